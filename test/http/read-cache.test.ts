/**
 * Cached reads are never stale: each kind of write, through the API, is seen by the next read of the
 * answers it changes; conditional requests get 304; the cache keeps PUBLIC_REPORTS=false and its byte bound.
 */
import t, { type Test } from 'tap'
import { testApp, type TestApp } from '../helpers/app.ts'
import { insertCertificate } from '../helpers/coverage-data.ts'
import { waitUntilSeen } from '../../src/db/version-watch.ts'
import { day, hierarchy, issueCrl, leaf, tanHaDucLinh, trust } from '../helpers/pki.ts'

const COVERAGE = '/v1/coverage?asOf=2025-01-01&parent=60'
const SAVINGS = '/v1/savings?parent=60&from=2024-01&to=2024-12'

async function get(ta: TestApp, url: string, headers: Record<string, string> = {}) {
  const res = await ta.app.inject({ url, headers })
  return { status: res.statusCode, etag: res.headers.etag, cacheControl: res.headers['cache-control'], body: res.body, type: res.headers['content-type'] }
}

/** Reads url twice (the second from the cache), runs the write, reads again: returns the answers. */
async function aroundWrite(t: Test, ta: TestApp, url: string, write: () => Promise<void>) {
  const first = await get(ta, url)
  t.equal(first.status, 200, `${url}: ${first.body}`)
  const hits = ta.app.readCache!.hits
  const again = await get(ta, url)
  t.equal(again.body, first.body, 'the repeated read answers the same')
  t.equal(again.etag, first.etag, 'with the same ETag')
  t.equal(ta.app.readCache!.hits, hits + 1, 'from the cache')
  await write()
  const after = await get(ta, url)
  t.equal(after.status, 200)
  t.not(after.etag, first.etag, 'the write gave the answer a new ETag')
  return { before: JSON.parse(first.body), after: JSON.parse(after.body) }
}

t.test('no stale answer after any kind of write', async (t) => {
  const ta = await testApp(t)
  const { app, auth } = ta
  const h = hierarchy('Cache')
  await trust(app, auth.admin, h, { intermediate: true })
  const register = async (t: Test, pem: string) => {
    const res = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: pem })
    t.equal(res.statusCode, 201, res.body)
    return res.json().id as string
  }

  let firstId = ''
  t.test('certificate registration', async (t) => {
    const { before, after } = await aroundWrite(t, ta, COVERAGE, async () => { firstId = await register(t, leaf(h, tanHaDucLinh()).pem) })
    t.equal(after.covered, before.covered + 1)
  })

  t.test('revocation', async (t) => {
    const { before, after } = await aroundWrite(t, ta, COVERAGE, async () => {
      const res = await app.inject({ method: 'POST', url: `/v1/certificates/${firstId}/revocation`, headers: auth.registrar, payload: { revokedAt: '2024-06-01' } })
      t.equal(res.statusCode, 200, res.body)
    })
    t.equal(after.covered, before.covered - 1)
  })

  t.test('CRL import', async (t) => {
    const second = leaf(h, tanHaDucLinh())
    await register(t, second.pem)
    const crl = issueCrl({ issuer: h.ca.cert, key: h.ca.key, thisUpdate: day('2024-07-01'), revoked: [{ serial: second.cert.serialNumber, date: day('2024-06-15') }] })
    const { before, after } = await aroundWrite(t, ta, COVERAGE, async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/crls', headers: { ...auth.registrar, 'content-type': 'application/pkix-crl' }, payload: crl.der })
      t.equal(res.statusCode, 200, res.body)
      t.equal(res.json().revoked, 1)
    })
    t.equal(after.covered, before.covered - 1)
  })

  t.test('a write that no route made (SQL in a script) is seen once the script waits for the instances, as the command line does', async (t) => {
    const { before, after } = await aroundWrite(t, ta, COVERAGE, async () => {
      await insertCertificate(ta.database.db, { unitCode: '23221', notBefore: '2024-01-01', notAfter: '2029-01-01' })
      await waitUntilSeen(ta.database.db)
    })
    t.equal(after.covered, before.covered + 1)
  })

  t.test('activity PUT', async (t) => {
    const { before, after } = await aroundWrite(t, ta, SAVINGS, async () => {
      const res = await app.inject({ method: 'PUT', url: '/v1/activity/23221/2024-05', headers: auth.registrar, payload: { documentsSigned: 40 } })
      t.equal(res.statusCode, 200, res.body)
    })
    t.equal(after.documentsSigned, before.documentsSigned + 40)
  })

  t.test('activity CSV import', async (t) => {
    const { before, after } = await aroundWrite(t, ta, SAVINGS, async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/activity/import', headers: { ...auth.registrar, 'content-type': 'text/csv' }, payload: 'unit_code,month,documents_signed\n23221,2024-06,7\n23221,2024-05,41\n' })
      t.equal(res.statusCode, 200, res.body)
    })
    t.equal(after.documentsSigned, before.documentsSigned + 7 + 1)
  })

  const units = 'code,name,type,level,parent_code,valid_from,valid_to\n23998,Xã Cũ Thử,xa,commune,600,,2020-12-31\n23997,Xã Mới Thử,xa,commune,600,2021-01-01,\n'
  t.test('units import', async (t) => {
    const { before, after } = await aroundWrite(t, ta, '/v1/units?parent=600&level=commune&asOf=2024-01-01', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, 'content-type': 'text/csv' }, payload: units })
      t.equal(res.statusCode, 200, res.body)
    })
    t.equal(after.total, before.total + 1)
    t.ok(after.items.some((u: { code: string }) => u.code === '23997'))
  })

  t.test('lineage import', async (t) => {
    const { before, after } = await aroundWrite(t, ta, '/v1/units/23997?asOf=2024-01-01', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/units/lineage', headers: { ...auth.admin, 'content-type': 'text/csv' }, payload: 'old_code,old_valid_to,new_code,new_valid_from,share\n23998,2020-12-31,23997,2021-01-01,whole\n' })
      t.equal(res.statusCode, 200, res.body)
    })
    t.same(before.predecessors, [])
    t.match(after.predecessors, [{ code: '23998', share: 'whole' }])
  })
})

t.test('ETag, Cache-Control and If-None-Match', async (t) => {
  const ta = await testApp(t)
  const first = await get(ta, COVERAGE)
  t.match(first.etag, /^W\/"\d+-[\w-]+"$/)
  t.equal(first.cacheControl, 'no-cache')
  const notModified = await ta.app.inject({ url: COVERAGE, headers: { 'if-none-match': first.etag! } })
  t.equal(notModified.statusCode, 304)
  t.equal(notModified.body, '', 'no body')
  t.equal(notModified.headers.etag, first.etag)
  const listed = await ta.app.inject({ url: COVERAGE, headers: { 'if-none-match': `"other", ${first.etag}` } })
  t.equal(listed.statusCode, 304, 'a list of tags that holds ours')
  const other = await get(ta, '/v1/coverage?asOf=2025-01-02&parent=60')
  t.not(other.etag, first.etag, 'another URL, another tag')
  const stale = await ta.app.inject({ url: '/v1/coverage?asOf=2025-01-02&parent=60', headers: { 'if-none-match': first.etag! } })
  t.equal(stale.statusCode, 200, 'the tag of another answer does not match')

  await insertCertificate(ta.database.db, { unitCode: '23221', notBefore: '2024-01-01', notAfter: '2029-01-01' })
  await waitUntilSeen(ta.database.db)
  const changed = await ta.app.inject({ url: COVERAGE, headers: { 'if-none-match': first.etag! } })
  t.equal(changed.statusCode, 200, 'after a write the old tag no longer matches')
  t.equal(changed.json().covered, JSON.parse(first.body).covered + 1)

  const report = await get(ta, '/v1/reports/ministry?year=2017&parent=60&format=csv')
  t.equal(report.status, 200)
  const reportAgain = await ta.app.inject({ url: '/v1/reports/ministry?year=2017&parent=60&format=csv' })
  t.equal(reportAgain.headers['content-type'], report.type, 'a cached answer keeps its content type')
  t.match(reportAgain.headers['content-disposition'], /attachment; filename="kyso-bao-cao-2017-60.csv"/)
  t.equal(reportAgain.body, report.body)
  t.ok(reportAgain.headers['x-content-type-options'], 'and gets the security headers of every answer')

  const problem = await ta.app.inject({ url: '/v1/units/99999' })
  t.equal(problem.statusCode, 404)
  t.notOk(problem.headers.etag, 'a problem answer has no ETag')
  t.notOk(problem.headers['cache-control'])
  const bytes = ta.app.readCache!.bytes
  await ta.app.inject({ url: '/v1/units/99999' })
  t.equal(ta.app.readCache!.bytes, bytes, 'and is not kept')
})

t.test('PUBLIC_REPORTS=false: a cached answer still needs a token', async (t) => {
  const ta = await testApp(t, { config: { publicReports: false } })
  const withToken = await get(ta, COVERAGE, ta.auth.viewer)
  t.equal(withToken.status, 200)
  t.equal((await get(ta, COVERAGE, ta.auth.viewer)).body, withToken.body, 'cached for token holders')
  const anonymous = await ta.app.inject({ url: COVERAGE })
  t.equal(anonymous.statusCode, 401)
  t.notOk(anonymous.headers.etag)
  const conditional = await ta.app.inject({ url: COVERAGE, headers: { 'if-none-match': withToken.etag! } })
  t.equal(conditional.statusCode, 401, 'not even a 304 without a token')
  const bad = await ta.app.inject({ url: COVERAGE, headers: { authorization: 'Bearer not-a-real-token-at-all' } })
  t.equal(bad.statusCode, 401)
})

t.test('the cache holds at most READ_CACHE_MAX_BYTES', async (t) => {
  const max = 25_000
  const ta = await testApp(t, { config: { readCacheMaxBytes: max } })
  const urls = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01'].map((d) => `/v1/coverage?asOf=${d}&parent=60`)
  let sum = 0
  for (const url of urls) {
    const res = await get(ta, url)
    t.equal(res.status, 200)
    sum += res.body.length
  }
  t.ok(sum > max, `the answers (${sum} bytes) do not all fit`)
  const cache = ta.app.readCache!
  t.ok(cache.bytes <= max, `held ${cache.bytes} bytes`)
  t.ok(cache.size >= 1 && cache.size < urls.length, `kept ${cache.size} of ${urls.length}`)
  // The last read is the most recent: kept. The first was evicted, least recently used.
  const hits = cache.hits
  await get(ta, urls.at(-1)!)
  t.equal(cache.hits, hits + 1, 'the latest answer is served from the cache')
  await get(ta, urls[0])
  t.equal(cache.hits, hits + 1, 'the first one was evicted')
  t.ok(cache.bytes <= max)

  const off = await testApp(t, { config: { readCacheMaxBytes: 0 } })
  t.equal(off.app.readCache, null, '0 turns the cache off')
  const plain = await get(off, COVERAGE)
  t.equal(plain.status, 200)
  t.notOk(plain.etag)
})
