import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { notifySubscriptions } from '../../src/db/schema.ts'
import { openSecret } from '../../src/notify/secret-box.ts'
import { testApp } from '../helpers/app.ts'
import { startReceiver, verifySignature } from '../helpers/notify.ts'
import { isPrivateAddress } from '../../src/notify/address-guard.ts'
import { sign } from '../../src/notify/signature.ts'
import { sendWebhook } from '../../src/notify/webhook-send.ts'

t.test('signature: the Standard Webhooks example vector', async (t) => {
  // The example of the specification's reference libraries.
  t.equal(sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'),
    'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
})

t.test('private, loopback and link-local addresses are recognised', async (t) => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe']) t.ok(isPrivateAddress(a), a)
  for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) t.notOk(isPrivateAddress(a), a)
})

t.test('subscriptions through the API', async (t) => {
  const ta = await testApp(t, { config: { webhookAllowPrivate: true } })
  const { app, auth } = ta
  const receiver = await startReceiver()
  t.teardown(receiver.close)
  const post = (headers: Record<string, string>, payload: unknown) =>
    app.inject({ method: 'POST', url: '/v1/subscriptions', headers, payload: payload as object })

  t.test('validation: clear problems, nothing stored', async (t) => {
    const cases: [unknown, number, string][] = [
      [{ channel: 'webhook', scope: ['60'] }, 422, 'url_required'],
      [{ channel: 'webhook', url: receiver.url, secret: 'whsec_short', scope: ['60'] }, 422, 'bad_secret'],
      [{ channel: 'webhook', url: 'ftp://example.org/x', scope: ['60'] }, 422, 'bad_url'],
      [{ channel: 'webhook', url: 'http://u:p@127.0.0.1/x', scope: ['60'] }, 422, 'bad_url'],
      [{ channel: 'webhook', url: receiver.url, scope: ['99999'] }, 422, 'unit_not_found'],
      [{ channel: 'email', scope: ['60'] }, 422, 'addresses_required'],
      [{ channel: 'email', addresses: ['not an address'], scope: ['60'] }, 400, ''],
      [{ channel: 'email', addresses: ['a@example.org'], scope: ['60'], digest: { every: 'day', hour: 24 } }, 400, ''],
      [{ channel: 'email', addresses: ['a@example.org'], scope: [] }, 400, ''],
    ]
    for (const [body, status, code] of cases) {
      const res = await post(auth.admin, body)
      t.equal(res.statusCode, status, JSON.stringify(body))
      t.match(res.headers['content-type'], /problem\+json/)
      if (code) t.equal(res.json().problems[0].code, code)
    }
    const list = await app.inject({ method: 'GET', url: '/v1/subscriptions', headers: auth.admin })
    t.same(list.json().items, [])
  })

  t.test('roles and scope', async (t) => {
    t.equal((await post(auth.viewer, { channel: 'email', addresses: ['a@example.org'], scope: ['60'] })).statusCode, 403)
    const phuQui = await ta.token('registrar', ['602'])
    const outside = await post(phuQui, { channel: 'email', addresses: ['a@example.org'], scope: ['593'] })
    t.equal(outside.statusCode, 403)
    const inside = await post(phuQui, { channel: 'email', addresses: ['A@Example.org'], scope: ['23272'] })
    t.equal(inside.statusCode, 201)
    t.same(inside.json().addresses, ['a@example.org'])
    t.same(inside.json().expiryDays, [90, 30, 7, 1])
    const phanThiet = await ta.token('registrar', ['593'])
    const seen = await app.inject({ method: 'GET', url: `/v1/subscriptions/${inside.json().id}`, headers: phanThiet })
    t.equal(seen.statusCode, 404, 'another registrar does not see it')
    const mine = await app.inject({ method: 'GET', url: '/v1/subscriptions', headers: phuQui })
    t.same(mine.json().items.map((s: { id: string }) => s.id), [inside.json().id])
  })

  t.test('a generated secret is shown once; the test event is signed with it', async (t) => {
    const res = await post(auth.admin, { channel: 'webhook', url: receiver.url, scope: ['60'], digest: { every: 'week', hour: 8 }, coverageAlerts: true })
    t.equal(res.statusCode, 201)
    const { id, secret } = res.json()
    t.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/)
    const again = await app.inject({ method: 'GET', url: `/v1/subscriptions/${id}`, headers: auth.admin })
    t.notOk('secret' in again.json())
    t.notOk((await app.inject({ method: 'GET', url: '/v1/subscriptions', headers: auth.admin })).body.includes(secret))
    const audit = await app.inject({ method: 'GET', url: '/v1/audit', headers: auth.admin })
    t.notOk(audit.body.includes(secret.slice(6)), 'the audit log does not carry the secret')

    const sent = await app.inject({ method: 'POST', url: `/v1/subscriptions/${id}/test`, headers: auth.admin })
    t.equal(sent.statusCode, 200)
    t.match(sent.json(), { type: 'test', ok: true, statusCode: 204, attempt: 1, noticeStatus: 'delivered' })
    const got = receiver.requests.at(-1)!
    t.equal(got.id, sent.json().noticeId)
    t.ok(verifySignature(secret, got), 'signature verifies with node:crypto')
    t.notOk(verifySignature('whsec_' + Buffer.alloc(32, 1).toString('base64'), got), 'and not with another key')
    t.equal(JSON.parse(got.body).type, 'test')
    const log = await app.inject({ method: 'GET', url: `/v1/subscriptions/${id}/deliveries`, headers: auth.admin })
    t.equal(log.json().items.length, 1)
    t.equal(log.json().items[0].noticeId, got.id)

    t.equal((await app.inject({ method: 'DELETE', url: `/v1/subscriptions/${id}`, headers: auth.admin })).statusCode, 204)
    t.equal((await app.inject({ method: 'GET', url: `/v1/subscriptions/${id}`, headers: auth.admin })).statusCode, 404)
    t.equal((await app.inject({ method: 'POST', url: `/v1/subscriptions/${id}/test`, headers: auth.admin })).statusCode, 404)
  })

  t.test('a given secret is kept and not echoed; a down receiver gives a failed delivery, not an error', async (t) => {
    const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64')
    const res = await post(auth.admin, { channel: 'webhook', url: 'http://127.0.0.1:9/nothing-listens', secret, scope: ['60'] })
    t.equal(res.statusCode, 201)
    t.notOk('secret' in res.json())
    const sent = await app.inject({ method: 'POST', url: `/v1/subscriptions/${res.json().id}/test`, headers: auth.admin })
    t.equal(sent.statusCode, 200)
    t.match(sent.json(), { ok: false, statusCode: null, noticeStatus: 'failed' })
    t.notOk(sent.body.includes(secret.slice(6)))
  })
})

t.test('private targets are refused unless allowed', async (t) => {
  const { app, auth } = await testApp(t)
  for (const url of ['http://127.0.0.1:8080/x', 'http://[::1]/x', 'http://169.254.169.254/latest', 'http://localhost/x', 'http://10.0.0.5/x']) {
    const res = await app.inject({ method: 'POST', url: '/v1/subscriptions', headers: auth.admin, payload: { channel: 'webhook', url, scope: ['60'] } })
    t.equal(res.statusCode, 422, url)
    t.equal(res.json().problems[0].code, 'target_refused')
  }
})

t.test('with WEBHOOK_SECRET_KEY, secrets are sealed at rest and still sign', async (t) => {
  const key = crypto.randomBytes(32)
  const { app, auth, database } = await testApp(t, { config: { webhookAllowPrivate: true, webhookSecretKey: key } })
  const receiver = await startReceiver()
  t.teardown(receiver.close)
  const secret = 'whsec_' + crypto.randomBytes(32).toString('base64')
  const created = await app.inject({ method: 'POST', url: '/v1/subscriptions', headers: auth.admin, payload: { channel: 'webhook', url: receiver.url, secret, scope: ['60'] } })
  t.equal(created.statusCode, 201)
  const id = created.json().id
  const [row] = await database.db.select({ secret: notifySubscriptions.secret }).from(notifySubscriptions).where(eq(notifySubscriptions.id, id))
  t.match(row.secret, /^enc1:/)
  t.notOk(row.secret!.includes(secret.slice(6)), 'the stored value does not contain the secret')
  t.equal(openSecret(key, id, row.secret!), secret)
  t.equal(openSecret(crypto.randomBytes(32), id, row.secret!), null, 'another key does not open it')
  t.equal(openSecret(key, crypto.randomUUID(), row.secret!), null, 'nor does it open for another subscription')
  t.equal(openSecret(null, id, row.secret!), null, 'nor without a key')
  const sent = await app.inject({ method: 'POST', url: `/v1/subscriptions/${id}/test`, headers: auth.admin })
  t.equal(sent.json().ok, true)
  t.ok(verifySignature(secret, receiver.requests.at(-1)!))
})

t.test('at send time, the resolved addresses are checked again (DNS rebinding)', async (t) => {
  const receiver = await startReceiver()
  t.teardown(receiver.close)
  const port = new URL(receiver.url).port
  const secret = 'whsec_' + Buffer.alloc(32, 5).toString('base64')
  const body = '{"type":"test"}'
  const allowed = await sendWebhook({ url: `http://localhost:${port}/hook`, secret }, 'msg_1', 1_800_000_000, body, { allowPrivate: true, timeoutMs: 5000 })
  t.match(allowed, { ok: true, statusCode: 204 }, 'a name is resolved through the guarded lookup')
  t.equal(receiver.requests.length, 1)
  const refused = await sendWebhook({ url: `http://localhost:${port}/hook`, secret }, 'msg_2', 1_800_000_000, body, { allowPrivate: false, timeoutMs: 5000 })
  t.match(refused, { ok: false, statusCode: null, error: /private address/ })
  const literal = await sendWebhook({ url: receiver.url, secret }, 'msg_3', 1_800_000_000, body, { allowPrivate: false, timeoutMs: 5000 })
  t.match(literal, { ok: false, error: /private address/ })
  t.equal(receiver.requests.length, 1, 'neither refused request reached the receiver')
})

t.test('deliveries are bounded: a receiver that never answers, one that answers without end', async (t) => {
  const silent = http.createServer(() => { /* never answers */ })
  const endless = http.createServer((_req, res) => {
    res.writeHead(200)
    const chunk = Buffer.alloc(16 * 1024, 120)
    const pump = () => { while (res.write(chunk)) { /* until the socket pushes back */ } }
    res.on('drain', pump)
    pump()
  })
  for (const s of [silent, endless]) await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { silent.closeAllConnections(); endless.closeAllConnections(); silent.close(); endless.close() })
  const secret = 'whsec_' + Buffer.alloc(32, 6).toString('base64')
  const url = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/`
  const noAnswer = await sendWebhook({ url: url(silent), secret }, 'msg_a', 1_800_000_000, '{}', { allowPrivate: true, timeoutMs: 300 })
  t.match(noAnswer, { ok: false, statusCode: null, error: /No answer within 300 ms/ })
  const big = await sendWebhook({ url: url(endless), secret }, 'msg_b', 1_800_000_000, '{}', { allowPrivate: true, timeoutMs: 60_000 })
  t.match(big, { ok: true, statusCode: 200 }, 'the status counts; reading stops after 64 KiB instead of waiting for the end')
})
