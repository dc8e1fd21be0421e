import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { hashToken } from '../../src/auth/tokens.ts'
import { apiTokens } from '../../src/db/schema.ts'

const json = { 'content-type': 'application/json' }

t.test('a created token works once shown, is stored hashed, and can be revoked', async (t) => {
  const { app, auth, database } = await testApp(t)
  const created = await app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, ...json }, payload: { name: 'Sở TT&TT Bình Thuận', role: 'viewer' } })
  t.equal(created.statusCode, 201)
  const { id, token } = created.json()
  t.match(token, /^kyso_[A-Za-z0-9_-]{43}$/)
  const rows = await database.db.select().from(apiTokens)
  t.notOk(rows.some((r) => r.tokenHash === token), 'the secret is not stored')
  t.ok(rows.some((r) => r.tokenHash === hashToken(token)), 'its hash is')

  const viewer = { authorization: `Bearer ${token}` }
  t.equal((await app.inject({ url: '/v1/units', headers: viewer })).statusCode, 200)
  const list = await app.inject({ url: '/v1/tokens', headers: auth.admin })
  t.equal(list.statusCode, 200)
  t.notOk(JSON.stringify(list.json()).includes(token), 'listing never shows a secret')
  t.ok(list.json().items.some((i: { id: string; name: string }) => i.id === id && i.name === 'Sở TT&TT Bình Thuận'))

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/tokens/${id}`, headers: auth.admin })).statusCode, 204)
  const after = await app.inject({ url: '/v1/units', headers: viewer })
  t.equal(after.statusCode, 401, 'a revoked token no longer authenticates')
  const again = await app.inject({ method: 'DELETE', url: `/v1/tokens/${id}`, headers: auth.admin })
  t.equal(again.statusCode, 404)

  const audit = (await app.inject({ url: '/v1/audit', headers: auth.admin })).json().items
  t.same(audit.slice(0, 2).map((e: { action: string; entityId: string }) => [e.action, e.entityId]), [['token.revoke', id], ['token.create', id]])
  t.notOk(JSON.stringify(audit).includes(token), 'the audit log holds no secret')
})

t.test('token creation refuses bad input and changes nothing', async (t) => {
  const { app, auth, database } = await testApp(t)
  const before = (await database.db.select().from(apiTokens)).length
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, ...json }, payload: payload as object })
  const badRole = await post({ name: 'x', role: 'superuser' })
  t.equal(badRole.statusCode, 400)
  t.equal(badRole.json().code, 'bad_request')
  const noName = await post({ role: 'viewer' })
  t.equal(noName.statusCode, 400)
  const unknownScope = await post({ name: 'x', role: 'registrar', scope: ['99999'] })
  t.equal(unknownScope.statusCode, 422)
  t.equal(unknownScope.json().problems[0].code, 'unit_not_found')
  const notJson = await app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, ...json }, payload: '{"name":' })
  t.equal(notJson.statusCode, 400)
  t.equal(notJson.json().code, 'malformed')
  t.equal((await database.db.select().from(apiTokens)).length, before)
})

t.test('the access matrix of the token and audit routes', async (t) => {
  const { app, auth } = await testApp(t)
  const wrong = { authorization: 'Bearer kyso_not-a-real-token' }
  const routes = [
    { method: 'POST', url: '/v1/tokens', payload: { name: 'x', role: 'viewer' } },
    { method: 'GET', url: '/v1/tokens' },
    { method: 'DELETE', url: '/v1/tokens/00000000-0000-4000-8000-000000000000' },
    { method: 'GET', url: '/v1/audit' },
    { method: 'POST', url: '/v1/units/import', payload: 'code,name,type,level,parent_code\n', headers: { 'content-type': 'text/csv' } },
  ] as const
  const expected: Record<string, number[]> = {
    // none, wrong token, viewer, registrar, admin
    'POST /v1/tokens': [401, 401, 403, 403, 201],
    'GET /v1/tokens': [401, 401, 403, 403, 200],
    'DELETE /v1/tokens/00000000-0000-4000-8000-000000000000': [401, 401, 403, 403, 404],
    'GET /v1/audit': [401, 401, 403, 403, 200],
    'POST /v1/units/import': [401, 401, 403, 403, 422],
  }
  for (const route of routes) {
    const statuses = []
    for (const headers of [{}, wrong, auth.viewer, auth.registrar, auth.admin]) {
      const res = await app.inject({
        method: route.method, url: route.url,
        headers: { ...('headers' in route ? route.headers : route.method === 'POST' ? json : {}), ...headers },
        payload: 'payload' in route ? (route.payload) : undefined,
      })
      statuses.push(res.statusCode)
      if (res.statusCode >= 400) t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    }
    t.same(statuses, expected[`${route.method} ${route.url}`], `${route.method} ${route.url}`)
  }
})

t.test('a registrar scope names known units', async (t) => {
  const { app, auth } = await testApp(t)
  const res = await app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, ...json }, payload: { name: 'Đức Linh', role: 'registrar', scope: ['600'] } })
  t.equal(res.statusCode, 201)
  const list = (await app.inject({ url: '/v1/tokens', headers: auth.admin })).json().items
  t.same(list.find((i: { id: string }) => i.id === res.json().id).scope, ['600'])
})

t.test('failed authentications are rate limited per address', async (t) => {
  const { app, auth } = await testApp(t, { config: { rateLimitFailedAuthPerMinute: 3 } })
  const wrong = { authorization: 'Bearer nope' }
  const statuses = []
  for (let i = 0; i < 5; i++) statuses.push((await app.inject({ url: '/v1/tokens', headers: wrong })).statusCode)
  t.same(statuses, [401, 401, 401, 429, 429])
  const limited = await app.inject({ url: '/v1/tokens', headers: auth.admin })
  t.equal(limited.statusCode, 429, 'the address is held back even with a good token')
  t.match(limited.headers['retry-after'], /^\d+$/)
  t.equal(limited.json().code, 'rate_limited')
  t.equal((await app.inject({ url: '/v1/units' })).statusCode, 200, 'public reads without a token still answer')
})

t.test('writes are rate limited per token; reads and other tokens are not', async (t) => {
  const { app, auth, token } = await testApp(t, { config: { rateLimitWritesPerMinute: 3 } })
  const create = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...headers, ...json }, payload: { name: 'x', role: 'viewer' } })
  const statuses = []
  for (let i = 0; i < 4; i++) statuses.push((await create(auth.admin)).statusCode)
  t.same(statuses, [201, 201, 201, 429])
  const limited = await create(auth.admin)
  t.equal(limited.json().code, 'rate_limited')
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(limited.headers['retry-after'], /^\d+$/)
  t.equal((await app.inject({ url: '/v1/tokens', headers: auth.admin })).statusCode, 200, 'reads go on')
  t.equal((await create(await token('admin'))).statusCode, 201, 'another token has its own budget')
})

t.test('security headers are on every answer', async (t) => {
  const { app } = await testApp(t, { seed: false })
  for (const url of ['/health', '/v1/nothing', '/documentation/json']) {
    const res = await app.inject({ url })
    t.equal(res.headers['x-content-type-options'], 'nosniff', url)
    t.match(res.headers['content-security-policy'], /default-src 'self'/, url)
  }
})
