import t from 'tap'
import { testApp } from '../helpers/app.ts'

const TIMELINE = '/v1/coverage/timeline?from=2000-01&to=2019-12&kind=any'

t.test('an address without a token gets 429 with Retry-After past its heavy reads a minute (the computed ones); a token lifts it', async (t) => {
  const { app, auth } = await testApp(t, { config: { heavyReadsPerMinute: 3 } })
  const statuses: number[] = []
  for (const year of [2017, 2018, 2019]) statuses.push((await app.inject({ url: `/v1/reports/ministry?year=${year}&parent=60` })).statusCode)
  t.same(statuses, [200, 200, 200])
  const over = await app.inject({ url: '/v1/coverage' })
  t.equal(over.statusCode, 429, 'national coverage counts as a heavy read')
  t.equal(over.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(over.json().code, 'rate_limited')
  t.match(over.headers['retry-after'], /^\d+$/)
  t.ok(Number(over.headers['retry-after']) >= 1 && Number(over.headers['retry-after']) <= 60)
  t.equal((await app.inject({ url: TIMELINE })).statusCode, 429)
  t.equal((await app.inject({ url: '/v1/coverage?parent=60' })).statusCode, 200, 'coverage of a province is no heavy read')
  t.equal((await app.inject({ url: '/v1/units?parent=60' })).statusCode, 200)
  t.equal((await app.inject({ url: TIMELINE, headers: auth.viewer })).statusCode, 200, 'a token is not limited per address')
  t.equal((await app.inject({ url: '/v1/coverage/timeline?from=2000-13' })).statusCode, 400, 'a bad query is refused before it is counted')
  t.equal((await app.inject({ url: '/v1/reports/ministry?year=2017&parent=60' })).statusCode, 200, 'an answer the read cache holds costs nothing and is not refused')
})

t.test('past the concurrency limit a heavy read gets 429 with Retry-After at once', async (t) => {
  const { app, auth } = await testApp(t, { config: { heavyReadConcurrency: 1 } })
  const answers = await Promise.all(Array.from({ length: 8 }, () => app.inject({ url: TIMELINE, headers: auth.viewer })))
  const statuses = answers.map((a) => a.statusCode)
  t.ok(statuses.every((s) => s === 200 || s === 429), statuses.join(','))
  t.ok(statuses.includes(200), 'the first is answered')
  t.ok(statuses.includes(429), 'the others are refused, not queued')
  const refused = answers.find((a) => a.statusCode === 429)!
  t.equal(refused.headers['retry-after'], '1')
  t.equal(refused.json().code, 'rate_limited')
  const after = await app.inject({ url: TIMELINE, headers: auth.viewer })
  t.equal(after.statusCode, 200, 'the slots are given back')
})

t.test('/health answers while heavy reads run', async (t) => {
  const { app } = await testApp(t, { config: { heavyReadConcurrency: 16 } })
  let running = 16
  const heavy = Array.from({ length: 16 }, (_, i) =>
    app.inject({ url: `/v1/coverage/timeline?from=2000-01&to=2019-12&kind=any&parent=${i % 2 ? '60' : '593'}` }).finally(() => { running-- }))
  const health = await app.inject({ url: '/health' })
  const stillRunning = running
  const answers = await Promise.all(heavy)
  t.equal(health.statusCode, 200)
  t.same(health.json(), { status: 'ok' })
  t.ok(stillRunning > 0, `health answered before the heavy reads were done (${stillRunning} of 16 still running)`)
  t.same(answers.map((a) => a.statusCode), Array(16).fill(200))
})
