/**
 * Schemas compile when first used (http/schema-compilers.ts); this proves that every schema the routes
 * declare compiles, without waiting for a request to reach each one, and that a validator compiled late
 * still reports its errors and coerces as Fastify expects.
 */
import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { compilePendingSchemas } from '../../src/http/schema-compilers.ts'

const { app, auth } = await testApp(t, { seed: false })

t.test('every route\'s request and answer schemas compile', async (t) => {
  const compiled = compilePendingSchemas()
  t.ok(compiled > 20, `${compiled} schemas compiled`)
  t.equal(compilePendingSchemas(), 0, 'and none is left')
})

t.test('a validator compiled on first use reports what is wrong and coerces the query', async (t) => {
  const bad = await app.inject({ url: '/v1/coverage?asOf=2017-13-45', headers: auth.viewer })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { status: 400 }, 'a problem document')
  const tooMany = await app.inject({ url: '/v1/units?limit=abc', headers: auth.viewer })
  t.equal(tooMany.statusCode, 400, 'a number expected where text came')
  const ok = await app.inject({ url: '/v1/units?limit=5', headers: auth.viewer })
  t.equal(ok.statusCode, 200, 'a number given as text is taken')
})
