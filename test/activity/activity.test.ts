import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { PROVINCE_91, importUnitsCsv } from '../helpers/coverage-data.ts'

const json = { 'content-type': 'application/json' }
const csv = { 'content-type': 'text/csv' }

t.test('PUT records, then updates, a month of activity, with an audit entry', async (t) => {
  const app = await testApp(t, { seed: false })
  await importUnitsCsv(app, PROVINCE_91)
  const put = (url: string, payload: unknown, headers = app.auth.registrar) =>
    app.app.inject({ method: 'PUT', url, headers: { ...headers, ...json }, payload: JSON.stringify(payload) })

  const first = await put('/v1/activity/91001/2017-03', { documentsSigned: 42 })
  t.equal(first.statusCode, 200)
  t.match(first.json(), { unitCode: '91001', month: '2017-03', documentsSigned: 42 })
  t.ok(Date.parse(first.json().updatedAt))
  const second = await put('/v1/activity/91001/2017-03', { documentsSigned: 40 })
  t.equal(second.json().documentsSigned, 40)
  const savings = await app.app.inject({ url: '/v1/savings?from=2017-03&to=2017-03&parent=91' })
  t.equal(savings.json().documentsSigned, 40, 'an upsert, not a second row')

  t.equal((await put('/v1/activity/91001/2017-03', { documentsSigned: 0 })).statusCode, 200, 'zero is allowed')
  t.equal((await put('/v1/activity/91001/2017-03', { documentsSigned: -1 })).statusCode, 400)
  t.equal((await put('/v1/activity/91001/2017-03', { documentsSigned: 1.5 })).statusCode, 400)
  t.equal((await put('/v1/activity/91001/2017-13', { documentsSigned: 1 })).statusCode, 400)
  t.equal((await put('/v1/activity/91001/2017-03-01', { documentsSigned: 1 })).statusCode, 400)
  t.equal((await put('/v1/activity/99999/2017-03', { documentsSigned: 1 })).statusCode, 404)
  const district = await put('/v1/activity/911/2017-03', { documentsSigned: 1 })
  t.equal(district.statusCode, 422)
  t.equal(district.json().problems[0].code, 'not_a_commune')
  t.equal((await put('/v1/activity/91001/2017-03', { documentsSigned: 1 }, app.auth.viewer)).statusCode, 403)
  t.equal((await app.app.inject({ method: 'PUT', url: '/v1/activity/91001/2017-03', headers: json, payload: '{"documentsSigned":1}' })).statusCode, 401)

  const audit = await app.app.inject({ url: '/v1/audit', headers: app.auth.admin })
  const entries = audit.json().items.filter((e: { action: string }) => e.action === 'activity.put')
  t.equal(entries.length, 3)
})

t.test('a registrar outside its scope: PUT 403, CSV 403 naming the lines, nothing stored', async (t) => {
  const app = await testApp(t, { seed: false })
  await importUnitsCsv(app, PROVINCE_91)
  const scoped = await app.token('registrar', ['911'])
  const inside = await app.app.inject({ method: 'PUT', url: '/v1/activity/91002/2017-01', headers: { ...scoped, ...json }, payload: '{"documentsSigned":5}' })
  t.equal(inside.statusCode, 200)
  const outside = await app.app.inject({ method: 'PUT', url: '/v1/activity/91004/2017-01', headers: { ...scoped, ...json }, payload: '{"documentsSigned":5}' })
  t.equal(outside.statusCode, 403)
  t.equal(outside.json().code, 'forbidden')

  const file = 'unit_code,month,documents_signed\n91001,2017-02,10\n91004,2017-02,10\n91003,2017-02,7\n91005,2017-03,1\n'
  const res = await app.app.inject({ method: 'POST', url: '/v1/activity/import', headers: { ...scoped, ...csv }, payload: file })
  t.equal(res.statusCode, 403)
  t.equal(res.json().code, 'forbidden')
  t.same(res.json().problems.map((p: { line: number; code: string }) => [p.line, p.code]), [[3, 'out_of_scope'], [5, 'out_of_scope']])
  const savings = await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=91' })
  t.equal(savings.json().documentsSigned, 5, 'only the PUT inside the scope was stored')

  const province = await app.token('registrar', ['91'])
  const ok = await app.app.inject({ method: 'POST', url: '/v1/activity/import', headers: { ...province, ...csv }, payload: file })
  t.equal(ok.statusCode, 200, 'a scope on the province covers its communes')
  t.same(ok.json(), { rows: 4, inserted: 4, updated: 0 })
})

t.test('CSV import: line-numbered problems, upserts, audit', async (t) => {
  const app = await testApp(t, { seed: false })
  await importUnitsCsv(app, PROVINCE_91)
  const post = (payload: string | Buffer) => app.app.inject({ method: 'POST', url: '/v1/activity/import', headers: { ...app.auth.registrar, ...csv }, payload })

  const bad = 'unit_code,month,documents_signed\n91001,2017-01,3\n91001,2017-1,3\n99999,2017-01,3\n91002,2017-01,-4\n91001,2017-01,8\n911,2017-01,1\n91003,2017-01\n'
  const refused = await post(bad)
  t.equal(refused.statusCode, 422)
  t.equal(refused.json().code, 'unprocessable')
  t.same(refused.json().problems.map((p: { line: number; code: string }) => [p.line, p.code]), [
    [3, 'bad_month'], [4, 'unknown_unit'], [5, 'bad_count'], [6, 'duplicate_row'], [7, 'not_a_commune'], [8, 'column_count'],
  ])
  t.match(refused.json().problems[0].message, /^line 3: /)

  t.equal((await post('unit,month,documents_signed\n91001,2017-01,3\n')).statusCode, 422, 'wrong header')
  t.equal((await post('unit_code,month,documents_signed\n')).statusCode, 422, 'no rows')
  t.equal((await post(Buffer.from([0x75, 0xff, 0xfe, 0x0a]))).statusCode, 400, 'not UTF-8')
  const wrongType = await app.app.inject({ method: 'POST', url: '/v1/activity/import', headers: { ...app.auth.registrar, 'content-type': 'application/json' }, payload: '{}' })
  t.equal(wrongType.statusCode, 415)

  const good = '\uFEFFunit_code,month,documents_signed\r\n91001,2017-01,3\r\n91002,2017-01,4\r\n'
  t.same((await post(good)).json(), { rows: 2, inserted: 2, updated: 0 })
  t.same((await post(good.replace(',3\r', ',30\r'))).json(), { rows: 2, inserted: 0, updated: 2 })
  const savings = await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-01&parent=91' })
  t.equal(savings.json().documentsSigned, 34)

  const audit = await app.app.inject({ url: '/v1/audit', headers: app.auth.admin })
  const imports = audit.json().items.filter((e: { action: string }) => e.action === 'activity.import')
  t.equal(imports.length, 2, 'one entry per accepted file; refused files leave none')
})

t.test('a 100,000-line file imports in one go; a bad last row refuses all of it', async (t) => {
  const app = await testApp(t, { seed: true, config: { bodyLimit: 8 * 1024 * 1024 } })
  const units = await app.app.inject({ url: '/v1/units?parent=60&level=commune' })
  const codes: string[] = units.json().items.map((u: { code: string }) => u.code)
  t.equal(codes.length, 127)
  const lines = ['unit_code,month,documents_signed']
  let expected = 0
  outer: for (let m = 0; ; m++) {
    const month = `${1950 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`
    for (const code of codes) {
      if (lines.length > 100_000) break outer
      const n = (lines.length % 7) + 1
      if (month.startsWith('2017')) expected += n
      lines.push(`${code},${month},${n}`)
    }
  }
  t.equal(lines.length, 100_001)
  const body = lines.join('\n') + '\n'

  const withBadEnd = body + '22915,2017-01,x\n'
  const refused = await app.app.inject({ method: 'POST', url: '/v1/activity/import', headers: { ...app.auth.registrar, ...csv }, payload: withBadEnd })
  t.equal(refused.statusCode, 422)
  t.same(refused.json().problems.map((p: { line: number; code: string }) => [p.line, p.code]), [[100_002, 'bad_count']])
  const none = await app.app.inject({ url: '/v1/savings?from=1950-01&to=1969-12&parent=60' })
  t.equal(none.json().documentsSigned, 0, 'nothing was stored')

  const started = performance.now()
  const res = await app.app.inject({ method: 'POST', url: '/v1/activity/import', headers: { ...app.auth.registrar, ...csv }, payload: body })
  const ms = performance.now() - started
  t.equal(res.statusCode, 200)
  t.same(res.json(), { rows: 100_000, inserted: 100_000, updated: 0 })
  t.comment(`imported 100,000 rows in ${Math.round(ms)} ms`)
  const year = await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=60' })
  t.equal(year.json().documentsSigned, expected)
})
