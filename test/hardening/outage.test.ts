/**
 * Database outages on a real PostgreSQL: the test starts its own throwaway cluster (initdb + pg_ctl on a
 * free port), runs the real app on it over a real socket, stops the cluster mid-run and starts it again.
 * Writes and /health must answer 503 `unavailable` promptly while it is down, and Kyso must serve again
 * without a restart once it is back.
 */
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../../src/config.ts'
import { openPreparedDatabase } from '../../src/bootstrap.ts'
import { startThrowawayPostgres, throwawayPostgresUnavailable } from '../helpers/throwaway-postgres.ts'

const why = throwawayPostgresUnavailable()
const ADMIN = 'outage-test-admin-token-0123456789'
/** Generous bound proving that nothing hangs; the measured times are reported with t.comment. */
/** Only to tell a hung request from an answer: the bounds themselves are the deadlines under test, not timed here. */
const HUNG_MS = 120_000

t.test('PostgreSQL stops mid-run: 503 promptly, then serves again without a restart', {
  skip: why ? `needs a throwaway PostgreSQL cluster: ${why}` : false,
}, async (t) => {
  const pg = await startThrowawayPostgres()
  t.teardown(() => pg.remove())
  // Short timeouts so that the frozen case below answers quickly: connect 2 s, statements 2 s → requests at most 9 s.
  const config = testConfig({ databaseUrl: pg.url, seed: 'binh-thuan-2017', adminToken: ADMIN, dbPoolSize: 4, dbConnectTimeoutSeconds: 2, dbStatementTimeoutMs: 2_000 })
  const database = await openPreparedDatabase(config)
  t.teardown(() => database.close())
  const app = await buildApp({ db: database.db, config, ping: database.ping })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const admin = { authorization: `Bearer ${ADMIN}` }
  type Answer = { status: number; body: { code?: string; [k: string]: unknown }; ms: number; type: string | null }
  const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> => {
    const started = performance.now()
    const res = await fetch(`${base}${path}`, { method, headers, body, signal: AbortSignal.timeout(60_000) })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : {}, ms: performance.now() - started, type: res.headers.get('content-type') }
  }
  const newToken = () => call('POST', '/v1/tokens', { ...admin, 'content-type': 'application/json' }, JSON.stringify({ name: 'outage', role: 'viewer' }))
  let importRound = 0
  const importUnits = () => {
    importRound++
    const csv = `code,name,type,level,parent_code\n9${importRound}0,Tỉnh Thử ${importRound},tinh,province,\n`
    return call('POST', '/v1/units/import', { ...admin, 'content-type': 'text/csv' }, csv)
  }

  // Healthy: the baseline.
  t.equal((await call('GET', '/health')).status, 200, 'healthy before the outage')
  t.equal((await newToken()).status, 201, 'a token can be created before the outage')
  t.equal((await importUnits()).status, 200, 'units can be imported before the outage')

  // The server dies (no checkpoint, every connection cut).
  pg.stop('immediate')
  const stoppedAt = performance.now()
  const down: [string, () => Promise<Answer>][] = [
    ['POST /v1/tokens', newToken],
    ['POST /v1/units/import', importUnits],
    ['GET /health', () => call('GET', '/health')],
    ['GET /v1/units (public read)', () => call('GET', '/v1/units?level=province')],
    ['POST /v1/tokens again (pool reconnecting)', newToken],
  ]
  for (const [name, request] of down) {
    const answer = await request()
    t.equal(answer.status, 503, `${name} answers 503 while PostgreSQL is down`)
    t.equal(answer.body.code, 'unavailable', `${name}: code unavailable`)
    t.match(answer.type, /^application\/problem\+json/, `${name}: problem+json`)
    t.notMatch(JSON.stringify(answer.body), /ECONN|postgres|select|insert/i, `${name}: no driver message leaks`)
    t.comment(`outage: ${name} → ${answer.status} in ${answer.ms.toFixed(0)} ms`)
  }
  t.comment(`outage: first 503 came ${(performance.now() - stoppedAt).toFixed(0)} ms after the stop for all ${down.length} requests`)

  // The server comes back: Kyso recovers by itself.
  pg.start()
  const startedAt = performance.now()
  let health = await call('GET', '/health')
  while (health.status !== 200 && performance.now() - startedAt < HUNG_MS) {
    await new Promise((r) => setTimeout(r, 50))
    health = await call('GET', '/health')
  }
  const recoveredMs = performance.now() - startedAt
  t.equal(health.status, 200, '/health says 200 again once PostgreSQL is back')
  t.comment(`outage: /health 200 again ${recoveredMs.toFixed(0)} ms after pg_ctl start returned`)
  const token = await newToken()
  t.equal(token.status, 201, 'a write succeeds after recovery, without restarting Kyso')
  const imported = await importUnits()
  t.equal(imported.status, 200, 'an import succeeds after recovery')
  const units = await call('GET', '/v1/units?level=province')
  t.equal(units.status, 200, 'a read succeeds after recovery')
  const codes = (units.body.items as { code: string }[]).map((u) => u.code).sort()
  t.same(codes, ['60', '910', '930'], 'the seed and the two successful imports are there; the one refused during the outage is not')

  // A server that accepts connections but never answers (frozen, or cut off by the network).
  pg.freeze()
  t.teardown(() => { try { pg.thaw() } catch { /* already running or gone */ } })
  const frozenHealth = await call('GET', '/health')
  t.equal(frozenHealth.status, 503, '/health says 503 while PostgreSQL is frozen')
  t.comment(`frozen: GET /health → ${frozenHealth.status} in ${frozenHealth.ms.toFixed(0)} ms`)
  const started = performance.now()
  const frozenWrite = await fetch(`${base}/v1/tokens`, {
    method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'frozen', role: 'viewer' }),
    signal: AbortSignal.timeout(HUNG_MS),
  }).then((r) => r.status, () => 'no answer')
  const frozenMs = performance.now() - started
  t.comment(`frozen: POST /v1/tokens → ${frozenWrite} after ${frozenMs.toFixed(0)} ms`)
  t.equal(frozenWrite, 503, 'a write answers 503 while PostgreSQL is frozen (the request deadline: statement + connect timeout + 5 s)')
  pg.thaw()
  let thawed = await call('GET', '/health')
  const thawedAt = performance.now()
  while (thawed.status !== 200 && performance.now() - thawedAt < HUNG_MS) {
    await new Promise((r) => setTimeout(r, 100))
    thawed = await call('GET', '/health')
  }
  t.equal(thawed.status, 200, 'serves again once PostgreSQL runs again')
  t.equal((await newToken()).status, 201, 'and writes')
})
