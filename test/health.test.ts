import t from 'tap'
import { testApp } from './helpers/app.ts'

t.test('health is 200 while the database answers and 503 when it does not', async (t) => {
  const { app, database } = await testApp(t, { seed: false })
  const ok = await app.inject({ url: '/health' })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { status: 'ok' })
  await database.close()
  const down = await app.inject({ url: '/health' })
  t.equal(down.statusCode, 503)
  t.equal(down.json().code, 'unavailable')
  t.equal(down.headers['content-type'], 'application/problem+json; charset=utf-8')
})
