/**
 * Access control, exhaustively: every route of the app (read from the app itself, so that a new route
 * without an entry in the table below fails this test) × every kind of caller (no token, a wrong token,
 * viewer, registrar in scope, registrar out of scope, admin), asserting the exact status. Also: batch
 * items and CSV rows outside a registrar's scope, security headers on every answer, personal data
 * (individual certificates) never readable without a token, PUBLIC_REPORTS=false, rate limits.
 */
import fs from 'node:fs'
import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { createToken } from '../../src/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import { generateKey, issueCertificate } from '../../src/pki/issue.ts'
import { day, hierarchy, issueCrl, leaf, subject, tanHaDucLinh, trust } from '../helpers/pki.ts'
import type { App } from '../../src/http/types.ts'
import { DASHBOARD_ROOT } from '../../src/dashboard/routes.ts'
import { basePdf } from '../helpers/signed-docs.ts'

const CALLERS = ['none', 'wrong', 'viewer', 'registrarIn', 'registrarOut', 'admin'] as const
type Caller = (typeof CALLERS)[number]
type Request = { url: string; payload?: string | Buffer | object; headers?: Record<string, string> }
type Entry = {
  /** Builds a fresh, valid request (each call may create what it needs, so that a write can succeed every time). */
  request: () => Promise<Request> | Request
  /** The exact status for each caller. */
  expect: Record<Caller, number>
  /** For a batch: the status of its item for each caller answered 200. */
  item?: Partial<Record<Caller, number>>
}

// Expectation rows by access level (registrarOut is limited to Phan Thiết; registrarIn to Đức Linh, where the test unit 23221 is).
const OPEN = { none: 200, wrong: 401, viewer: 200, registrarIn: 200, registrarOut: 200, admin: 200 }
const REDIRECT = { none: 302, wrong: 401, viewer: 302, registrarIn: 302, registrarOut: 302, admin: 302 }
const VIEWER = { none: 401, wrong: 401, viewer: 200, registrarIn: 200, registrarOut: 200, admin: 200 }
const admin = (ok: number) => ({ none: 401, wrong: 401, viewer: 403, registrarIn: 403, registrarOut: 403, admin: ok })
const scoped = (ok: number) => ({ none: 401, wrong: 401, viewer: 403, registrarIn: ok, registrarOut: 403, admin: ok })
const registrar = (ok: number) => ({ none: 401, wrong: 401, viewer: 403, registrarIn: ok, registrarOut: ok, admin: ok })
/** A record outside a registrar's scope does not exist for it. */
const hidden = (ok: number) => ({ none: 401, wrong: 401, viewer: 403, registrarIn: ok, registrarOut: 404, admin: ok })

/** Every route as "METHOD /path", from the app's own route tree (HEAD routes mirror GET and are left out). */
function routesOf(app: App): string[] {
  const out: string[] = []
  const stack: { depth: number; path: string }[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│├└─]*?)(?:[├└]── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!m) continue
    const depth = m[1].length
    while (stack.length && stack[stack.length - 1].depth >= depth) stack.pop()
    const path = (stack.length ? stack[stack.length - 1].path : '') + m[2]
    stack.push({ depth, path })
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      if (method !== 'HEAD') out.push(`${method} ${path}`)
    }
  }
  return [...new Set(out)].sort()
}

t.test('every route × every caller answers the exact status', async (t) => {
  const { app, auth, database, token } = await testApp(t, { config: { rateLimitFailedAuthPerMinute: 100_000, rateLimitWritesPerMinute: 100_000 } })
  const callers: Record<Caller, Record<string, string>> = {
    none: {},
    wrong: { authorization: 'Bearer kyso_not-a-token-at-all-0000000000000000000000' },
    viewer: auth.viewer,
    registrarIn: await token('registrar', ['600']),
    registrarOut: await token('registrar', ['593']),
    admin: auth.admin,
  }
  const h = hierarchy('Access')
  await trust(app, auth.admin, h)
  const freshLeaf = () => leaf(h, tanHaDucLinh())
  const recordedId = async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.admin, 'content-type': 'application/x-pem-file' }, payload: freshLeaf().pem + h.ca.pem })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json().id as string
  }
  const someId = await recordedId()
  const subscription = { channel: 'email', addresses: ['it@example.org'], scope: ['23221'] }
  const subscriptionId = async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/subscriptions', headers: auth.admin, payload: subscription })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json().id as string
  }
  const someSubscription = await subscriptionId()
  let counter = 0
  const ecKey = generateKey({ type: 'ec', curve: 'P-256' })
  const pem = { 'content-type': 'application/x-pem-file' }
  const json = { 'content-type': 'application/json' }
  const csv = { 'content-type': 'text/csv' }

  const table: Record<string, Entry> = {
    'GET /': { request: () => ({ url: '/' }), expect: OPEN },
    // Every file of the dashboard is open: one entry each, from the folder itself.
    ...Object.fromEntries(fs.readdirSync(DASHBOARD_ROOT).filter((f) => f !== 'index.html').map((f) => [`GET /assets/${f}`, { request: () => ({ url: `/assets/${f}` }), expect: OPEN }])),
    'GET /documentation': { request: () => ({ url: '/documentation' }), expect: OPEN },
    'GET /documentation/': { request: () => ({ url: '/documentation/' }), expect: OPEN },
    'GET /documentation/*': { request: () => ({ url: '/documentation/static/swagger-ui.css' }), expect: OPEN },
    'GET /documentation/json': { request: () => ({ url: '/documentation/json' }), expect: OPEN },
    'GET /documentation/yaml': { request: () => ({ url: '/documentation/yaml' }), expect: OPEN },
    'GET /documentation/static/index.html': { request: () => ({ url: '/documentation/static/index.html' }), expect: REDIRECT },
    'GET /documentation/static/swagger-initializer.js': { request: () => ({ url: '/documentation/static/swagger-initializer.js' }), expect: OPEN },
    'GET /health': { request: () => ({ url: '/health' }), expect: OPEN },
    'GET /v1/units': { request: () => ({ url: '/v1/units?parent=600' }), expect: OPEN },
    'GET /v1/units/:code': { request: () => ({ url: '/v1/units/23221' }), expect: OPEN },
    'GET /v1/units/:code/history': { request: () => ({ url: '/v1/units/23221/history' }), expect: OPEN },
    // A pair naming no recorded version: refused whole (422) once the caller may import at all.
    'POST /v1/units/lineage': {
      request: () => ({ url: '/v1/units/lineage', headers: csv, payload: 'old_code,old_valid_to,new_code,new_valid_from,share\n23221,2019-12-31,23222,2020-01-01,whole\n' }),
      expect: admin(422),
    },
    'GET /v1/documents': { request: () => ({ url: '/v1/documents?limit=2' }), expect: VIEWER },
    // A PDF without a signature: 400 malformed once the caller may submit documents at all.
    'POST /v1/documents': { request: () => ({ url: '/v1/documents', headers: { 'content-type': 'application/pdf' }, payload: basePdf() }), expect: registrar(400) },
    'POST /v1/units/import': {
      request: () => ({ url: '/v1/units/import', headers: csv, payload: `code,name,type,level,parent_code\n${9000 + ++counter},Xã Mới ${counter},xa,commune,600\n` }),
      expect: admin(200),
    },
    'GET /v1/coverage': { request: () => ({ url: '/v1/coverage?parent=60' }), expect: OPEN },
    'GET /v1/coverage/timeline': { request: () => ({ url: '/v1/coverage/timeline?parent=60&from=2024-01&to=2024-03' }), expect: OPEN },
    'GET /v1/savings': { request: () => ({ url: '/v1/savings?parent=60&from=2024-01&to=2024-12' }), expect: OPEN },
    'GET /v1/reports/ministry': { request: () => ({ url: '/v1/reports/ministry?year=2025&parent=60' }), expect: OPEN },
    'POST /v1/tokens': { request: () => ({ url: '/v1/tokens', headers: json, payload: { name: 'matrix', role: 'viewer' } }), expect: admin(201) },
    'GET /v1/tokens': { request: () => ({ url: '/v1/tokens' }), expect: admin(200) },
    'DELETE /v1/tokens/:id': {
      request: async () => {
        const created = await createToken(database.db, SYSTEM_ACTOR, { name: 'to revoke', role: 'viewer' })
        return { url: `/v1/tokens/${created.id}` }
      },
      expect: admin(204),
    },
    'GET /v1/audit': { request: () => ({ url: '/v1/audit?limit=5' }), expect: admin(200) },
    'POST /v1/trust-anchors': {
      request: () => ({
        url: '/v1/trust-anchors', headers: pem,
        payload: issueCertificate({ subject: [['C', 'VN'], ['CN', `Matrix root ${++counter}`]], key: ecKey, notBefore: day('2015-01-01'), notAfter: day('2040-01-01'), basicConstraints: { cA: true }, keyUsage: ['keyCertSign', 'cRLSign'] }).pem,
      }),
      expect: admin(201),
    },
    'GET /v1/trust-anchors': { request: () => ({ url: '/v1/trust-anchors' }), expect: VIEWER },
    'POST /v1/intermediates': {
      request: () => ({
        url: '/v1/intermediates', headers: pem,
        payload: issueCertificate({ subject: [['C', 'VN'], ['CN', `Matrix CA ${++counter}`]], key: ecKey.publicKey, issuer: { cert: h.root.cert, key: h.root.key }, notBefore: day('2015-01-01'), notAfter: day('2040-01-01'), basicConstraints: { cA: true, pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'] }).pem,
      }),
      expect: admin(201),
    },
    'GET /v1/intermediates': { request: () => ({ url: '/v1/intermediates' }), expect: VIEWER },
    'POST /v1/certificates': { request: () => ({ url: '/v1/certificates', headers: pem, payload: freshLeaf().pem + h.ca.pem }), expect: scoped(201) },
    'POST /v1/certificates/batch': {
      request: () => ({ url: '/v1/certificates/batch', headers: pem, payload: h.ca.pem + freshLeaf().pem }),
      expect: registrar(200),
      item: { registrarIn: 201, registrarOut: 403, admin: 201 },
    },
    'GET /v1/certificates': { request: () => ({ url: '/v1/certificates?limit=2' }), expect: VIEWER },
    'GET /v1/certificates/:id': { request: () => ({ url: `/v1/certificates/${someId}` }), expect: VIEWER },
    'POST /v1/certificates/:id/revocation': {
      request: async () => ({ url: `/v1/certificates/${await recordedId()}/revocation`, headers: json, payload: { reason: 'superseded' } }),
      expect: scoped(200),
    },
    'POST /v1/crls': {
      request: () => ({
        url: '/v1/crls', headers: { 'content-type': 'application/pkix-crl' },
        payload: issueCrl({ issuer: h.ca.cert, key: h.ca.key, thisUpdate: new Date(Date.UTC(2025, 0, 1, 0, 0, ++counter)), revoked: [{ serial: `0a${counter}`, date: day('2024-12-01') }] }).der,
      }),
      expect: registrar(200),
    },
    'PUT /v1/activity/:unitCode/:month': { request: () => ({ url: '/v1/activity/23221/2025-01', headers: json, payload: { documentsSigned: ++counter } }), expect: scoped(200) },
    'POST /v1/activity/import': {
      request: () => ({ url: '/v1/activity/import', headers: csv, payload: `unit_code,month,documents_signed\n23221,2025-02,${++counter}\n` }),
      expect: scoped(200),
    },
    'POST /v1/subscriptions': { request: () => ({ url: '/v1/subscriptions', headers: json, payload: subscription }), expect: scoped(201) },
    'GET /v1/subscriptions': { request: () => ({ url: '/v1/subscriptions' }), expect: registrar(200) },
    'GET /v1/subscriptions/:id': { request: () => ({ url: `/v1/subscriptions/${someSubscription}` }), expect: hidden(200) },
    'DELETE /v1/subscriptions/:id': { request: async () => ({ url: `/v1/subscriptions/${await subscriptionId()}` }), expect: hidden(204) },
    'POST /v1/subscriptions/:id/test': { request: () => ({ url: `/v1/subscriptions/${someSubscription}/test` }), expect: hidden(200) },
    'GET /v1/notices': { request: () => ({ url: '/v1/notices' }), expect: registrar(200) },
    'GET /v1/subscriptions/:id/deliveries': { request: () => ({ url: `/v1/subscriptions/${someSubscription}/deliveries` }), expect: hidden(200) },
  }
  // The registrar scoped to Đức Linh must reach the CA's certificates through the chain sent along.
  await app.inject({ method: 'POST', url: '/v1/intermediates', headers: { ...auth.admin, ...pem }, payload: h.ca.pem })

  const routes = routesOf(app)
  t.same(routes, Object.keys(table).sort(), 'the table has exactly one entry per route of the app (a new route needs one)')

  let cells = 0
  for (const route of routes) {
    const entry = table[route]
    if (!entry) continue
    const method = route.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'DELETE'
    for (const caller of CALLERS) {
      const r = await entry.request()
      const res = await app.inject({ method, url: r.url, headers: { ...r.headers, ...callers[caller] }, payload: r.payload as string })
      cells++
      t.equal(res.statusCode, entry.expect[caller], `${route} as ${caller}: ${res.statusCode} ${res.statusCode >= 400 ? res.body.slice(0, 160) : ''}`)
      t.equal(res.headers['x-content-type-options'], 'nosniff', `${route} as ${caller}: security headers`)
      t.ok(res.headers['content-security-policy'], `${route} as ${caller}: a content security policy`)
      if (res.statusCode >= 400) t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `${route} as ${caller}: problem+json`)
      if (entry.item?.[caller] !== undefined && res.statusCode === 200) {
        t.same(res.json().results.map((i: { status: number }) => i.status), [entry.item[caller]], `${route} as ${caller}: the item answers ${entry.item[caller]}`)
      }
    }
  }
  t.comment(`access matrix: ${routes.length} routes × ${CALLERS.length} callers = ${cells} cells`)

  t.test('CSV rows outside a registrar\'s scope refuse the whole file', async (t) => {
    const res = await app.inject({
      method: 'POST', url: '/v1/activity/import', headers: { ...callers.registrarIn, ...csv },
      payload: 'unit_code,month,documents_signed\n23221,2025-05,1\n22915,2025-05,2\n',
    })
    t.equal(res.statusCode, 403)
    t.match(res.json().problems, [{ line: 3 }], 'the out-of-scope row is named')
  })
})

t.test('personal data: individual certificates are never readable without a token', async (t) => {
  const { app, auth } = await testApp(t)
  const h = hierarchy('Person')
  await trust(app, auth.admin, h, { intermediate: true })
  const person = 'Nguyễn Thị Bí Mật'
  const l = leaf(h, subject(['ST', 'Bình Thuận'], ['L', 'Huyện Đức Linh'], ['O', 'UBND xã Tân Hà'], ['CN', person]))
  const res = await app.inject({ method: 'POST', url: '/v1/certificates?kind=individual', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: l.pem })
  t.equal(res.statusCode, 201, res.body)
  const id = res.json().id
  for (const accept of ['application/json', 'application/x-pem-file', 'application/pkix-cert']) {
    t.equal((await app.inject({ url: `/v1/certificates/${id}`, headers: { accept } })).statusCode, 401, `GET /v1/certificates/:id (${accept}) without a token`)
  }
  t.equal((await app.inject({ url: '/v1/certificates?kind=individual' })).statusCode, 401, 'the list without a token')
  t.equal((await app.inject({ url: `/v1/certificates/${id}`, headers: auth.viewer })).json().subject.CN, person, 'a viewer reads it')
  const publicReads = [
    '/v1/coverage?parent=60&kind=individual', '/v1/coverage?parent=60&kind=any', '/v1/coverage/timeline?parent=60&kind=individual',
    '/v1/savings?parent=60', '/v1/reports/ministry?year=2026&parent=60', '/v1/reports/ministry?year=2026&parent=60&format=csv',
    '/v1/reports/ministry?year=2026&parent=60&format=html', '/v1/units?q=Tan', '/',
  ]
  for (const url of publicReads) {
    const r = await app.inject({ url })
    t.ok(r.statusCode < 500, `${url}: ${r.statusCode}`)
    t.notOk(r.body.includes(person) || r.body.includes('Bí Mật'), `${url}: the person's name is not in a public answer`)
  }
})

t.test('a revoked token stops working at once, though valid tokens are cached', async (t) => {
  const { app, auth } = await testApp(t)
  const created = await app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, 'content-type': 'application/json' }, payload: { name: 'soon revoked', role: 'viewer' } })
  const victim = { authorization: `Bearer ${created.json().token}` }
  t.equal((await app.inject({ url: '/v1/certificates', headers: victim })).statusCode, 200, 'works (and is now cached)')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/tokens/${created.json().id}`, headers: auth.admin })).statusCode, 204)
  t.equal((await app.inject({ url: '/v1/certificates', headers: victim })).statusCode, 401, 'refused right after the revocation')
})

t.test('PUBLIC_REPORTS=false: the public reads need a token too', async (t) => {
  const { app, auth } = await testApp(t, { config: { publicReports: false } })
  for (const url of ['/v1/units', '/v1/units/23221', '/v1/coverage?parent=60', '/v1/coverage/timeline?parent=60', '/v1/savings?parent=60', '/v1/reports/ministry?year=2025&parent=60']) {
    t.equal((await app.inject({ url })).statusCode, 401, `${url} without a token`)
    t.equal((await app.inject({ url, headers: auth.viewer })).statusCode, 200, `${url} as viewer`)
  }
  t.equal((await app.inject({ url: '/health' })).statusCode, 200, '/health stays open')
  t.equal((await app.inject({ url: '/documentation/json' })).statusCode, 200, 'the API documentation stays open')
})

t.test('rate limits: failed authentications per address, writes per token', async (t) => {
  const { app, auth } = await testApp(t, { config: { rateLimitFailedAuthPerMinute: 5, rateLimitWritesPerMinute: 3 } })
  const writes = []
  for (let i = 0; i < 4; i++) {
    writes.push((await app.inject({ method: 'PUT', url: '/v1/activity/23221/2025-01', headers: { ...auth.registrar, 'content-type': 'application/json' }, payload: { documentsSigned: i } })).statusCode)
  }
  t.same(writes, [200, 200, 200, 429], 'the fourth write of a token within the minute is limited')
  t.equal((await app.inject({ url: '/v1/units/23221', headers: auth.registrar })).statusCode, 200, 'reads are not limited')
  t.equal((await app.inject({ method: 'PUT', url: '/v1/activity/23221/2025-01', headers: { ...auth.admin, 'content-type': 'application/json' }, payload: { documentsSigned: 9 } })).statusCode, 200, 'another token still writes')

  const wrong = { authorization: 'Bearer kyso_wrong' }
  for (let i = 0; i < 5; i++) t.equal((await app.inject({ url: '/v1/tokens', headers: wrong })).statusCode, 401)
  const limited = await app.inject({ url: '/v1/tokens', headers: wrong })
  t.equal(limited.statusCode, 429, 'the sixth failed authentication within the minute is limited')
  t.equal(limited.json().code, 'rate_limited')
  t.ok(Number(limited.headers['retry-after']) > 0, 'with Retry-After')
  // Deliberate: once an address is over its limit, it may not try any token until the window ends.
  t.equal((await app.inject({ url: '/v1/tokens', headers: auth.admin })).statusCode, 429, 'a limited address cannot go on trying tokens, valid ones included')
  t.equal((await app.inject({ url: '/v1/units/23221' })).statusCode, 200, 'public reads without a token still answer')
})
