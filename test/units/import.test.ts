import fs from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { testApp } from '../helpers/app.ts'

const NATIONAL = path.resolve(import.meta.dirname, '../fixtures/admin-units/vietnam-2017-12-31.csv')
const csv = { 'content-type': 'text/csv' }

const SMALL = `code,name,type,level,parent_code,valid_from,valid_to
90,Tỉnh Thử Nghiệm,tinh,province,,,
901,Huyện Một,huyen,district,90,,
90001,Xã An,xa,commune,901,,2019-12-31
90002,Phường Hai,phuong,commune,901,2020-01-01,
`

t.test('the seed holds Bình Thuận: 10 districts and 127 communes under 60', async (t) => {
  const { app } = await testApp(t)
  const communes = await app.inject({ url: '/v1/units?parent=60&level=commune' })
  t.equal(communes.statusCode, 200)
  t.equal(communes.json().total, 127)
  t.equal(communes.json().items.length, 127)
  const districts = await app.inject({ url: '/v1/units?parent=60&level=district' })
  t.equal(districts.json().total, 10)
  const types = communes.json().items.reduce((acc: Record<string, number>, u: { type: string }) => ({ ...acc, [u.type]: (acc[u.type] ?? 0) + 1 }), {})
  t.same(types, { phuong: 19, thi_tran: 12, xa: 96 })
})

t.test('import inserts, then updates by code, and writes an audit entry', async (t) => {
  const { app, auth } = await testApp(t, { seed: false })
  const first = await app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, ...csv }, payload: SMALL })
  t.equal(first.statusCode, 200)
  t.same(first.json(), { inserted: 4, updated: 0 })
  const again = await app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, ...csv }, payload: SMALL.replace('Xã An', 'Xã An Mới') })
  t.same(again.json(), { inserted: 0, updated: 4 })
  const unit = await app.inject({ url: '/v1/units/90001?asOf=2018-06-01' })
  t.same(unit.json(), { code: '90001', name: 'Xã An Mới', type: 'xa', level: 'commune', parentCode: '901', validFrom: null, validTo: '2019-12-31', predecessors: [], successors: [] })
  const gone = await app.inject({ url: '/v1/units/90001?asOf=2020-01-01' })
  t.equal(gone.statusCode, 404, 'not in force after its last day')
  t.match(gone.json().detail, /last in force on 2019-12-31/)
  const onDay = await app.inject({ url: '/v1/units?parent=90&level=commune&asOf=2018-06-01' })
  t.same(onDay.json().items.map((u: { code: string }) => u.code), ['90001'])
  const later = await app.inject({ url: '/v1/units?parent=90&level=commune&asOf=2020-01-01' })
  t.same(later.json().items.map((u: { code: string }) => u.code), ['90002'])
  const audit = await app.inject({ url: '/v1/audit', headers: auth.admin })
  const imports = audit.json().items.filter((e: { action: string }) => e.action === 'units.import')
  t.equal(imports.length, 2)
  t.equal(imports[0].details.updated, 4)
})

t.test('a bad row at the end of the national file refuses the whole file', async (t) => {
  const { app, auth } = await testApp(t, { seed: false })
  const national = fs.readFileSync(NATIONAL, 'utf8')
  const lines = national.trimEnd().split('\n').length
  const bad = `${national.trimEnd()}\n99999,Xã Lạc,xa,commune,000\n`
  const res = await app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, ...csv }, payload: bad })
  t.equal(res.statusCode, 422)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(res.json().code, 'unprocessable')
  t.same(res.json().problems.map((p: { line: number; code: string }) => [p.line, p.code]), [[lines + 1, 'unknown_parent']])
  const after = await app.inject({ url: '/v1/units' })
  t.equal(after.json().total, 0, 'nothing was stored')
  const audit = await app.inject({ url: '/v1/audit', headers: auth.admin })
  t.equal(audit.json().items.filter((e: { action: string }) => e.action === 'units.import').length, 0)

  const good = await app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, ...csv }, payload: national })
  t.same(good.json(), { inserted: 11938, updated: 0 })
  const counts = await Promise.all(['province', 'district', 'commune'].map(async (level) =>
    (await app.inject({ url: `/v1/units?level=${level}&limit=1` })).json().total))
  t.same(counts, [63, 713, 11162])
})

t.test('each kind of bad row is named with its line', async (t) => {
  const { app, auth } = await testApp(t, { seed: false })
  const body = `code,name,type,level,parent_code
90,Tỉnh A,tinh,province,
901,Huyện B,huyen,district,90
90001,Xã C,xa,commune,901
90001,Xã D,xa,commune,901
90002,Xã E,xa,village,901
90003,Xã F,hamlet,commune,901
90004,Xã G,xa,commune
90005,Xã H,huyen,commune,901
90006,Xã I,xa,commune,90001
abc,Xã J,xa,commune,901
`
  const res = await app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, ...csv }, payload: body })
  t.equal(res.statusCode, 422)
  t.same(res.json().problems.map((p: { line: number; code: string }) => [p.line, p.code]), [
    [6, 'bad_level'], [7, 'bad_type'], [8, 'column_count'], [9, 'bad_type'], [11, 'bad_code'], [5, 'duplicate_version'],
  ])
  t.match(res.json().problems[5].message, /^line 5: code 90001 with valid_from \(empty\) already appears on line 4/)
  const parentIsCommune = await app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, ...csv }, payload: body.split('\n').filter((_, i) => [0, 1, 2, 3, 9].includes(i)).join('\n') })
  t.same(parentIsCommune.json().problems.map((p: { line: number; code: string }) => [p.line, p.code]), [[5, 'bad_parent']], 'a commune cannot be a parent')
  t.equal((await app.inject({ url: '/v1/units' })).json().total, 0)
})

t.test('header, encoding and media type refusals', async (t) => {
  const { app, auth } = await testApp(t, { seed: false })
  const post = (payload: string | Buffer, headers: Record<string, string> = csv) =>
    app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, ...headers }, payload })
  const missing = await post('code,name,type,level\n')
  t.equal(missing.statusCode, 422)
  t.equal(missing.json().problems[0].code, 'missing_column')
  const latin1 = await post(Buffer.from('code,name,type,level,parent_code\n90,T\xecnh,tinh,province,\n', 'latin1'))
  t.equal(latin1.statusCode, 400)
  t.equal(latin1.json().code, 'malformed')
  const json = await post('{"a":1}', { 'content-type': 'application/json' })
  t.equal(json.statusCode, 415)
  t.equal(json.json().code, 'unsupported_media_type')
  const quote = await post('code,name,type,level,parent_code\n90,"Tỉnh,tinh,province,\n')
  t.equal(quote.statusCode, 422)
  t.equal(quote.json().problems[0].code, 'csv_syntax')
  const bom = await post(`\uFEFF${SMALL}`)
  t.equal(bom.statusCode, 200, 'a byte-order mark is accepted')
})

t.test('only an admin may import', async (t) => {
  const { app, auth } = await testApp(t, { seed: false })
  for (const [who, headers, status] of [['none', {}, 401], ['viewer', auth.viewer, 403], ['registrar', auth.registrar, 403]] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...headers, ...csv }, payload: SMALL })
    t.equal(res.statusCode, status, who)
  }
  t.equal((await app.inject({ url: '/v1/units' })).json().total, 0)
})
