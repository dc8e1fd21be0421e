import t from 'tap'
import type { Test } from 'tap'
import { sql } from 'drizzle-orm'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../../src/config.ts'
import { openDatabase } from '../../src/db/open.ts'
import { queryRows } from '../../src/db/rows.ts'
import { createToken } from '../../src/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import type { App } from '../../src/http/types.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { insertCertificate } from '../helpers/coverage-data.ts'
import { startReceiver, startSmtp, verifySignature } from '../helpers/notify.ts'

const DAY = 86_400_000
const HOUR = 3_600_000
const START = Date.parse('2027-03-01T00:00:00Z')
const STEP = 3 * HOUR
const END = START + 100 * DAY
const THRESHOLDS = [90, 30, 7, 1]

/**
 * The scenario: certificates in Bình Thuận ending at various points of a 100-day window, a webhook
 * subscription for the province (default thresholds, coverage alerts) whose receiver first fails, then
 * recovers, then is down for 20 hours, and an e-mail subscription for two communes of Phú Quí (7 and
 * 1 days, a weekly digest at 08:00, coverage alerts). The clock moves by 3 hours through 100 days; every
 * instance runs its scheduler at each step.
 */
async function scenario(t: Test, instances: number) {
  const database = await createTestDatabase({ seed: true })
  t.teardown(() => database.drop())
  let now = START
  const clock = () => new Date(now)
  const downFrom = START + 40 * DAY
  const downTo = downFrom + 20 * HOUR
  const receiver = await startReceiver((n) => (n <= 4 || (now >= downFrom && now < downTo) ? 503 : 200))
  const smtp = await startSmtp()
  t.teardown(async () => { await receiver.close(); await smtp.close() })
  const config = testConfig({ webhookAllowPrivate: true, smtpUrl: smtp.url, smtpFrom: 'Kyso <kyso@example.org>' })

  const extra = [] as { close(): Promise<void> }[]
  const open = async (): Promise<App> => {
    const db = instances === 1 ? database : await openDatabase(database.options)
    if (db !== database) extra.push(db)
    const app = await buildApp({ db: db.db, config, ping: db.ping, clock })
    await app.ready()
    return app
  }
  const apps = await Promise.all(Array.from({ length: instances }, open))
  t.teardown(async () => {
    for (const app of apps) await app.close()
    for (const db of extra) await db.close()
  })

  // Certificates: [unit, notBefore offset (days), notAfter offset (days), revoked?]
  const certs: { unit: string; from: number; to: number; revoked?: boolean; renewedBy?: number }[] = [
    { unit: '22915', from: -300, to: 12.5 },
    { unit: '22918', from: -300, to: 45.2 },
    { unit: '22921', from: -300, to: 95 },
    { unit: '22924', from: -300, to: 140 }, // past the window: its 90-day notice falls on day 50
    { unit: '22927', from: -300, to: 20, revoked: true },
    { unit: '22930', from: -300, to: 33 }, // renewed: no notice, stays covered
    { unit: '22930', from: 20, to: 400 },
    { unit: '23272', from: -300, to: 60.4 }, // e-mail scope
    { unit: '23275', from: 10, to: 500 }, // e-mail scope: covered from day 10
  ]
  const ids: string[] = []
  for (const c of certs) {
    ids.push(await insertCertificate(database.db, {
      unitCode: c.unit, notBefore: new Date(START + c.from * DAY), notAfter: new Date(START + c.to * DAY),
      revokedAt: c.revoked ? new Date(START - DAY) : null,
    }))
  }
  const { token } = await createToken(database.db, SYSTEM_ACTOR, { name: 'province registrar', role: 'registrar', scope: ['60'] })
  const secret = 'whsec_' + Buffer.from('a fixed key for the hundred days test').toString('base64')
  const hook = await apps[0].inject({
    method: 'POST', url: '/v1/subscriptions', headers: { authorization: `Bearer ${token}` },
    payload: { channel: 'webhook', url: receiver.url, secret, scope: ['60'], coverageAlerts: true },
  })
  t.equal(hook.statusCode, 201, hook.body)
  const mail = await apps[instances - 1].inject({
    method: 'POST', url: '/v1/subscriptions', headers: { authorization: `Bearer ${token}` },
    payload: { channel: 'email', addresses: ['it@phuqui.example.org'], scope: ['23272', '23275'], expiryDays: [7, 1], digest: { every: 'week', hour: 8 }, coverageAlerts: true },
  })
  t.equal(mail.statusCode, 201, mail.body)

  let restarted = false
  const deliveredBy = apps.map(() => 0)
  const run = async () => {
    const results = await Promise.all(apps.map((a) => a.notifier.tick()))
    results.forEach((r, i) => { deliveredBy[i] += r.delivered })
  }
  while (now < END) {
    now += STEP
    await run()
    if (!restarted && now >= START + 50 * DAY) {
      // A restart in the middle: the first instance goes away and a new one takes its place.
      restarted = true
      await apps[0].close()
      apps[0] = await open()
    }
  }
  // Retries still due after the last step.
  for (let i = 0; i < 8; i++) { now += 2 * HOUR; await run() }
  await smtp.settled()

  // What must have been sent, worked out from the certificates alone.
  const firstTick = START + STEP
  const expectedExpiry = (index: number, thresholds: number[]) => {
    const c = certs[index]
    const notAfter = START + c.to * DAY
    const due = thresholds.map((d) => ({ d, at: notAfter - d * DAY })).filter((x) => x.at <= END + 16 * HOUR && x.at > START + c.from * DAY)
    const atFirst = due.filter((x) => x.at <= firstTick)
    const later = due.filter((x) => x.at > firstTick).map((x) => x.d)
    return [...(atFirst.length ? [Math.min(...atFirst.map((x) => x.d))] : []), ...later].map((d) => `${ids[index]}:${d}`)
  }
  const hookExpected = [0, 1, 2, 3, 7].flatMap((i) => expectedExpiry(i, THRESHOLDS)).sort()
  const mailExpected = [7].flatMap((i) => expectedExpiry(i, [7, 1])).sort()

  // Webhooks: each notice accepted once, signed, in order.
  const accepted = receiver.requests.filter((r) => r.status === 200)
  const ids200 = accepted.map((r) => r.id)
  t.equal(new Set(ids200).size, ids200.length, 'no notice was accepted twice')
  t.ok(receiver.requests.every((r) => verifySignature(secret, r)), 'every request is signed with the subscription secret')
  const events = accepted.map((r) => JSON.parse(r.body))
  const expiryEvents = events.filter((e) => e.type === 'certificate.expiring')
  t.same(expiryEvents.map((e) => `${e.data.certificateId}:${e.data.daysBefore}`).sort(), hookExpected, 'every expiry notice, once')
  const times = events.map((e) => Date.parse(e.timestamp))
  t.same(times, [...times].sort((a, b) => a - b), 'in order')
  const uncovered = events.filter((e) => e.type === 'coverage.unit_uncovered').map((e) => e.data.unitCode).sort()
  // 22927's certificate was revoked before the first look and 22930 was renewed in time: no alert for them.
  t.same(uncovered, ['22915', '22918', '22921', '23272'], 'a coverage alert for each unit whose certificate ran out without a renewal')
  t.ok(receiver.requests.some((r) => r.status === 503), 'the receiver did fail')

  // E-mail: readable, in Vietnamese with an English line, text and HTML.
  const mails = smtp.messages.map((m) => m.mail)
  const byType = (type: string) => mails.filter((m) => m.headers.get('x-kyso-event') === type)
  t.same(byType('certificate.expiring').length, mailExpected.length, 'expiry e-mails')
  t.equal(new Set(mails.map((m) => m.messageId)).size, mails.length, 'no e-mail sent twice')
  const digests = byType('digest')
  t.equal(digests.length, 15, 'a weekly digest for each of the 15 Mondays from 1 March to 9 June 2027')
  t.equal(byType('coverage.complete').length, 1, 'the e-mail scope reached 100 % once (day 10)')
  t.equal(byType('coverage.unit_uncovered').length, 1, 'and lost a unit once (day 60)')
  for (const m of mails) {
    t.match(m.text, /English: /)
    t.match(m.html || '', /<html lang="vi">/)
    t.same(m.to && 'value' in m.to ? m.to.value.map((v) => v.address) : [], ['it@phuqui.example.org'])
  }
  const expiryMail = byType('certificate.expiring')[0]
  t.match(expiryMail?.subject, /Chứng thư số của Xã Ngũ Phụng hết hạn sau \d+ ngày/)
  t.match(expiryMail?.text, /hết hạn ngày \d\d\/\d\d\/2027/)

  // Figures from the database.
  const [figures] = await queryRows<{ notices: number; delivered: number; failed: number; pending: number; attempts: number; worst_ms: number; avg_ms: number }>(database.db, sql`
    select count(*)::int as notices, (count(*) filter (where status = 'delivered'))::int as delivered,
      (count(*) filter (where status = 'failed'))::int as failed, (count(*) filter (where status = 'pending'))::int as pending,
      (select count(*) from notify_deliveries)::int as attempts,
      (extract(epoch from max(delivered_at - greatest(due_at, enqueued_at))) * 1000)::bigint as worst_ms,
      (extract(epoch from avg(delivered_at - greatest(due_at, enqueued_at))) * 1000)::bigint as avg_ms
    from notify_jobs where type <> 'test'`)
  t.equal(figures.failed, 0)
  t.equal(figures.pending, 0)
  t.equal(figures.delivered, figures.notices)
  t.equal(accepted.length + mails.length, figures.notices, 'one accepted request or e-mail per notice')
  t.comment(`deliveries made by each instance: ${deliveredBy.join(' + ')}`)
  t.equal(deliveredBy.reduce((a, b) => a + b, 0), figures.notices, 'the instances together delivered each notice once')
  t.comment(`${instances} instance(s): ${figures.notices} notices (${accepted.length} webhooks, ${mails.length} e-mails), ${figures.attempts} attempts, `
    + `${receiver.requests.length - accepted.length} refused by the receiver; delay after due (simulated clock): worst ${(Number(figures.worst_ms) / HOUR).toFixed(2)} h, mean ${(Number(figures.avg_ms) / HOUR).toFixed(2)} h`)
}

t.test('one instance, 100 days', (t) => scenario(t, 1))
t.test('two instances on one PostgreSQL, 100 days', { skip: process.env.TEST_DATABASE_URL ? false : 'needs TEST_DATABASE_URL (PGlite serves one process)' },
  (t) => scenario(t, 2))
