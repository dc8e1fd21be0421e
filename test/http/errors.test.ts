import t from 'tap'
import { testApp } from '../helpers/app.ts'

const PROBLEM = 'application/problem+json; charset=utf-8'

t.test('every error is problem+json with a code', async (t) => {
  const { app, auth } = await testApp(t, { config: { bodyLimit: 2048 } })
  const cases = [
    { name: 'unknown route', req: { url: '/v1/nothing-here' }, status: 404, code: 'not_found' },
    { name: 'unknown method', req: { method: 'PATCH' as const, url: '/v1/units' }, status: 404, code: 'not_found' },
    { name: 'schema error', req: { url: '/v1/units?limit=0' }, status: 400, code: 'bad_request' },
    { name: 'too large', req: { method: 'POST' as const, url: '/v1/units/import', headers: { ...auth.admin, 'content-type': 'text/csv' }, payload: 'x'.repeat(4096) }, status: 413, code: 'payload_too_large' },
    { name: 'unknown media type', req: { method: 'POST' as const, url: '/v1/tokens', headers: { ...auth.admin, 'content-type': 'application/xml' }, payload: '<a/>' }, status: 415, code: 'unsupported_media_type' },
    { name: 'broken JSON', req: { method: 'POST' as const, url: '/v1/tokens', headers: { ...auth.admin, 'content-type': 'application/json' }, payload: '{' }, status: 400, code: 'malformed' },
    { name: 'empty JSON', req: { method: 'POST' as const, url: '/v1/tokens', headers: { ...auth.admin, 'content-type': 'application/json' }, payload: '' }, status: 400, code: 'bad_request' },
    { name: 'bad bearer', req: { url: '/v1/tokens', headers: { authorization: 'Basic abc' } }, status: 401, code: 'unauthorized' },
  ]
  for (const c of cases) {
    const res = await app.inject(c.req)
    t.equal(res.statusCode, c.status, c.name)
    t.equal(res.headers['content-type'], PROBLEM, `${c.name}: content type`)
    const body = res.json()
    t.equal(body.code, c.code, `${c.name}: code`)
    t.equal(body.status, c.status, `${c.name}: status in body`)
    t.match(body, { type: /^urn:kyso:problem:/, title: String, detail: String }, `${c.name}: shape`)
  }
})

t.test('a database error never leaks its message, and carries a correlation id', async (t) => {
  const { app, auth, database } = await testApp(t)
  await database.close()
  const res = await app.inject({ url: '/v1/tokens', headers: auth.admin })
  t.ok(res.statusCode === 503 || res.statusCode === 500, `status ${res.statusCode}`)
  t.notMatch(res.body, /select|SELECT|api_tokens|token_hash/, 'no SQL in the answer')
  t.equal(res.headers['content-type'], PROBLEM)
})
