/**
 * Notifications through a database outage, on a throwaway PostgreSQL cluster: the server is stopped
 * for 12 simulated hours while notices come due, and once at the worst moment (the receiver has just
 * accepted a notice, its outcome is not yet recorded). Nothing is lost; the one notice whose outcome
 * was lost is sent again with the same webhook-id, which is what receivers deduplicate on.
 */
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../../src/config.ts'
import { openPreparedDatabase } from '../../src/bootstrap.ts'
import { createToken } from '../../src/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import { insertCertificate } from '../helpers/coverage-data.ts'
import { startReceiver, verifySignature } from '../helpers/notify.ts'
import { startThrowawayPostgres, throwawayPostgresUnavailable } from '../helpers/throwaway-postgres.ts'

const why = throwawayPostgresUnavailable()
const DAY = 86_400_000
const HOUR = 3_600_000
const START = Date.parse('2027-03-01T00:00:00Z')

t.test('a database outage loses no notice', { skip: why ? `needs a throwaway PostgreSQL cluster: ${why}` : false }, async (t) => {
  const pg = await startThrowawayPostgres()
  t.teardown(() => pg.remove())
  let now = START
  let cutAt = 0
  // The third accepted notice: the database goes down right after the receiver has taken it.
  const receiver = await startReceiver((n) => {
    if (n === 3) { pg.stop('immediate'); cutAt = n }
    return 200
  })
  t.teardown(receiver.close)
  const config = testConfig({ databaseUrl: pg.url, seed: 'binh-thuan-2017', webhookAllowPrivate: true, dbConnectTimeoutSeconds: 2, dbStatementTimeoutMs: 2_000, dbPoolSize: 4 })
  const database = await openPreparedDatabase(config)
  t.teardown(() => database.close())
  const app = await buildApp({ db: database.db, config, ping: database.ping, clock: () => new Date(now) })
  await app.ready()
  t.teardown(() => app.close())

  const units = ['22915', '22918', '22921', '22924', '22927', '22930']
  for (const [i, unit] of units.entries()) {
    await insertCertificate(database.db, { unitCode: unit, notBefore: new Date(START - 300 * DAY), notAfter: new Date(START + (8 + 2 * i) * DAY + 5 * HOUR) })
  }
  const { token } = await createToken(database.db, SYSTEM_ACTOR, { name: 'r', role: 'registrar', scope: ['60'] })
  const secret = 'whsec_' + Buffer.alloc(32, 9).toString('base64')
  const res = await app.inject({ method: 'POST', url: '/v1/subscriptions', headers: { authorization: `Bearer ${token}` }, payload: { channel: 'webhook', url: receiver.url, secret, scope: ['60'], expiryDays: [7, 1] } })
  t.equal(res.statusCode, 201, res.body)

  let failedTicks = 0
  const tick = async () => {
    try { await app.notifier.tick() } catch { failedTicks++ }
  }
  const outageFrom = START + 9 * DAY
  const outageTo = outageFrom + 12 * HOUR
  for (; now < START + 25 * DAY; now += HOUR) {
    if (now === outageFrom) pg.stop('immediate')
    if (now === outageTo) pg.start()
    await tick()
    if (cutAt === 3) { pg.start(); cutAt = -1 } // the cut happened in this run: the server comes back at once
  }
  t.ok(failedTicks > 0, `runs failed during the outage (${failedTicks})`)

  const accepted = receiver.requests.filter((r) => r.status === 200)
  t.ok(accepted.every((r) => verifySignature(secret, r)), 'all signed')
  const notices = accepted.map((r) => JSON.parse(r.body)).map((e) => `${e.data.unitCode}:${e.data.daysBefore}`)
  const unique = [...new Set(accepted.map((r) => r.id))]
  t.equal(unique.length, units.length * 2, 'every notice (6 units × 2 thresholds) arrived')
  t.same([...new Set(notices)].sort(), units.flatMap((u) => [`${u}:7`, `${u}:1`]).sort(), 'the right ones')
  t.equal(accepted.length - unique.length, 1, 'exactly one repeat: the notice taken just before the database went down, with its webhook-id unchanged')
  const times = [...new Map(accepted.map((r) => [r.id, Date.parse(JSON.parse(r.body).timestamp)])).values()]
  t.same(times, [...times].sort((a, b) => a - b), 'in order')
})
