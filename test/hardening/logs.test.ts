/**
 * Logs never carry secrets: src/server.ts runs as its own process at the most verbose level (trace)
 * and its whole log is searched for every secret that went through it: the admin token, a token
 * created through the API (in a response body), a wrong token, a cookie, a private key sent by
 * mistake, and the text of request bodies.
 */
import t from 'tap'
import { seededDataDir, startServer } from '../helpers/server-process.ts'
import { generateKey, privateKeyPem } from '../../src/pki/issue.ts'

t.test('a trace-level log holds no token, cookie, private key or body', async (t) => {
  const dir = await seededDataDir(t, 'kyso-logs-')
  const ADMIN = 'logs-test-admin-token-SECRET-4711'
  const server = await startServer({ DATA_DIR: dir, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'trace', WEBHOOK_ALLOW_PRIVATE: 'true' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const call = async (method: string, url: string, headers: Record<string, string> = {}, body?: string) => {
    const res = await fetch(`${server.url}${url}`, { method, headers, body })
    return { status: res.status, text: await res.text() }
  }
  const admin = { authorization: `Bearer ${ADMIN}` }

  const created = await call('POST', '/v1/tokens', { ...admin, 'content-type': 'application/json' }, JSON.stringify({ name: 'NameInBody-SECRET-1', role: 'registrar', scope: null }))
  t.equal(created.status, 201)
  const secret = JSON.parse(created.text).token as string
  t.equal((await call('GET', '/v1/tokens', { authorization: `Bearer ${secret}` })).status, 403, 'the new registrar token is used')
  const wrong = 'kyso_WRONG-token-SECRET-0815'
  t.equal((await call('GET', '/v1/audit', { authorization: `Bearer ${wrong}` })).status, 401)
  t.equal((await call('GET', '/v1/audit', { authorization: `Basic ${Buffer.from('user:BASIC-SECRET').toString('base64')}` })).status, 401, 'a badly formed Authorization header')
  t.equal((await call('GET', '/v1/units/23221', { cookie: 'session=COOKIE-SECRET-42' })).status, 200)
  const key = privateKeyPem(generateKey({ type: 'ec', curve: 'P-256' }).privateKey)
  const keyBody = key.split('\n')[1]
  const refused = await call('POST', '/v1/certificates', { ...admin, 'content-type': 'application/x-pem-file' }, key)
  t.equal(refused.status, 422, 'a private key is refused')
  t.notMatch(refused.text, keyBody, 'and not echoed')
  t.equal((await call('POST', '/v1/certificates', { ...admin, 'content-type': 'application/json' }, JSON.stringify({ certificate: key }))).status, 422)
  t.equal((await call('POST', '/v1/units/import', { ...admin, 'content-type': 'text/csv' }, 'code,name,type,level,parent_code\n1,Xã CsvBody-SECRET,xa,galaxy,593\n')).status, 422)
  t.equal((await call('POST', '/v1/units/import', { ...admin, 'content-type': 'text/csv' }, 'code,name,type,level,parent_code\n23999,Xã CsvGood-SECRET,xa,commune,593\n')).status, 200)
  t.equal((await call('POST', '/v1/tokens', { ...admin, 'content-type': 'application/json' }, '{"name": "BrokenJson-SECRET"')).status, 400)

  const hookSecret = 'whsec_' + Buffer.from('webhook key material, 32 bytes!!').toString('base64')
  const hook = await call('POST', '/v1/subscriptions', { ...admin, 'content-type': 'application/json' },
    JSON.stringify({ channel: 'webhook', url: 'http://127.0.0.1:9/nobody', secret: hookSecret, scope: ['60'] }))
  t.equal(hook.status, 201)
  t.equal((await call('POST', `/v1/subscriptions/${JSON.parse(hook.text).id}/test`, admin)).status, 200, 'a test event that fails')
  const generated = await call('POST', '/v1/subscriptions', { ...admin, 'content-type': 'application/json' },
    JSON.stringify({ channel: 'webhook', url: 'http://127.0.0.1:9/nobody', scope: ['60'] }))
  const generatedSecret = JSON.parse(generated.text).secret as string
  t.match(generatedSecret, /^whsec_/)
  t.equal((await call('GET', '/v1/units?q=QueryParam-SECRET-7')).status, 200, 'a value in the query string')
  t.equal((await call('GET', '/v1/units?token=QueryToken-SECRET-9')).status, 400, 'a token in the query string (an unknown parameter)')
  t.equal((await call('GET', '/nowhere?token=NotFoundQuery-SECRET-3')).status, 404, 'a secret in the query string of an unknown route')

  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
  const log = server.output()
  t.ok(log.split('\n').length > 20, 'the trace log was written')
  t.match(log, /"msg":"incoming request"/, 'requests are logged')
  for (const [what, value] of [
    ['the admin token', ADMIN], ['a token created through the API', secret], ['a wrong token', wrong], ['a Basic credential', 'BASIC-SECRET'],
    ['the Basic credential as sent', Buffer.from('user:BASIC-SECRET').toString('base64')], ['a cookie', 'COOKIE-SECRET-42'],
    ['a private key', keyBody], ['a JSON body', 'NameInBody-SECRET-1'], ['a refused CSV body', 'CsvBody-SECRET'],
    ['an accepted CSV body', 'CsvGood-SECRET'], ['a webhook secret', hookSecret.slice(6)], ['a generated webhook secret', generatedSecret.slice(6)], ['a broken JSON body', 'BrokenJson-SECRET'], ['any secret marker', 'SECRET'],
    ['an accepted CSV body', 'CsvGood-SECRET'], ['a broken JSON body', 'BrokenJson-SECRET'], ['a query parameter', 'QueryParam-SECRET-7'],
    ['a token in the query string', 'QueryToken-SECRET-9'], ['a query string of an unknown route', 'NotFoundQuery-SECRET-3'], ['any secret marker', 'SECRET'],
  ] as const) {
    t.notOk(log.includes(value), `${what} is not in the log`)
  }
})
