import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { insertCertificate } from '../helpers/coverage-data.ts'
import { startReceiver, verifySignature } from '../helpers/notify.ts'

t.test('the scheduler runs in the process every NOTIFY_INTERVAL_SECONDS and stops with the app', async (t) => {
  const receiver = await startReceiver()
  t.teardown(receiver.close)
  const { app, auth, database } = await testApp(t, { config: { webhookAllowPrivate: true, notifyIntervalSeconds: 1 } })
  const secret = 'whsec_' + Buffer.alloc(32, 3).toString('base64')
  const res = await app.inject({ method: 'POST', url: '/v1/subscriptions', headers: auth.admin, payload: { channel: 'webhook', url: receiver.url, secret, scope: ['22915'], expiryDays: [7] } })
  t.equal(res.statusCode, 201)
  const certificateId = await insertCertificate(database.db, { unitCode: '22915', notBefore: new Date(Date.now() - 300 * 86_400_000), notAfter: new Date(Date.now() + 5 * 86_400_000) })
  for (let i = 0; i < 300 && !receiver.requests.length; i++) await new Promise((r) => setTimeout(r, 100))
  t.equal(receiver.requests.length, 1, 'the notice was sent without anyone calling tick()')
  const event = JSON.parse(receiver.requests[0].body)
  t.match(event, { type: 'certificate.expiring', data: { certificateId, unitCode: '22915', daysBefore: 7, daysLeft: 5 } })
  t.ok(verifySignature(secret, receiver.requests[0]))
  // The receiver has the request before the scheduler has recorded the delivery: wait for the record.
  const deliveries = async () => (await app.inject({ method: 'GET', url: `/v1/subscriptions/${res.json().id}/deliveries`, headers: auth.admin })).json().items as unknown[]
  let items = await deliveries()
  for (let i = 0; i < 300 && !items.length; i++) {
    await new Promise((r) => setTimeout(r, 100))
    items = await deliveries()
  }
  t.match(items, [{ type: 'certificate.expiring', ok: true, noticeStatus: 'delivered', key: `expiry:${certificateId}:7` }])
  await app.close()
  t.pass('the app closes with the scheduler stopped')
})
