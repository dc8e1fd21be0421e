import t, { type Test } from 'tap'
import { testApp } from '../helpers/app.ts'
import { PROVINCE_91, importActivityCsv, importUnitsCsv, insertCertificate } from '../helpers/coverage-data.ts'
import { parseCsv } from '../../src/lib/csv.ts'
import { CSV_COLUMNS, headlineSavings } from '../../src/reports/render.ts'
import { formatInteger, formatPercent, formatTy, formatVnd, escapeHtml, csvField } from '../../src/reports/format.ts'
import { formatDayVn } from '../../src/lib/dates.ts'

/**
 * Province 91 in 2017, by hand. Certificates (organisation, to 2022):
 *   91003 from 15/01, 91001 from 10/02, 91002 from 05/03, 91004 from 20/05, 91005 from 30/11 23:00, 91007 from 01/12.
 *   91006 (ends 30/06) never has one; 91007 exists from 01/07.
 * At 31/12/2017: 6 units (91001–91005, 91007), all covered: 100%. Month-ends: June has 91006 uncovered,
 * July–October lack 91005 and 91007, November lacks 91007, December is the first at 100%.
 * Activity 2017: 91001 40,000 (March), 91004 28,200 (June), 91007 500 (December) = 68,700 documents;
 * 911: 40,000, 912: 28,700. At 22,000 đồng each: 1,511,400,000 đồng (911: 880,000,000; 912: 631,400,000).
 * 91001's 9,999 documents of December 2016 are outside the year.
 */
async function setup(t: Test) {
  const app = await testApp(t, { seed: false })
  await importUnitsCsv(app, PROVINCE_91)
  const db = app.database.db
  const to = '2022-01-01T00:00:00+07:00'
  for (const [unitCode, notBefore] of [
    ['91003', '2017-01-15T09:00:00+07:00'], ['91001', '2017-02-10T09:00:00+07:00'], ['91002', '2017-03-05T09:00:00+07:00'],
    ['91004', '2017-05-20T09:00:00+07:00'], ['91005', '2017-11-30T23:00:00+07:00'], ['91007', '2017-12-01T00:00:00+07:00'],
  ]) await insertCertificate(db, { unitCode, notBefore, notAfter: to })
  t.equal(await importActivityCsv(app, 'unit_code,month,documents_signed\n91001,2017-03,40000\n91004,2017-06,28200\n91007,2017-12,500\n91001,2016-12,9999\n'), 200)
  return app
}

t.test('json: coverage at the year end, the month of 100%, savings per district', async (t) => {
  const app = await setup(t)
  const res = await app.app.inject({ url: '/v1/reports/ministry?year=2017&parent=91' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const r = res.json()
  t.match(r, {
    year: 2017, asOf: '2017-12-31', parent: { code: '91', name: 'Tỉnh Kiểm Thử' },
    coverage: { total: 6, covered: 6, percent: 100, byType: { xa: { total: 2, covered: 2 }, phuong: { total: 3, covered: 3 }, thi_tran: { total: 1, covered: 1 } } },
    reached100At: '2017-12',
    uncovered: [],
    documentsSigned: 68_700, costPerDocumentVnd: 22_000, estimatedSavingsVnd: 1_511_400_000,
    demonstration: false,
  })
  t.same(r.districts, [
    { code: '911', name: 'Huyện Một', total: 3, covered: 3, percent: 100, documentsSigned: 40_000, documentsVerified: 0, estimatedSavingsVnd: 880_000_000 },
    { code: '912', name: 'Thành phố Hai', total: 3, covered: 3, percent: 100, documentsSigned: 28_700, documentsVerified: 0, estimatedSavingsVnd: 631_400_000 },
  ])
  t.equal(r.assumptions.parameters.length, 4)

  const timeline = (await app.app.inject({ url: '/v1/coverage/timeline?from=2017-01&to=2017-12&parent=91' })).json()
  t.same(timeline.points.map((p: { covered: number; total: number }) => `${p.covered}/${p.total}`),
    ['1/6', '2/6', '3/6', '3/6', '4/6', '4/6', '4/6', '4/6', '4/6', '4/6', '5/6', '6/6'])
})

t.test('csv: UTF-8 with a byte-order mark, one table that parses', async (t) => {
  const app = await setup(t)
  const res = await app.app.inject({ url: '/v1/reports/ministry?year=2017&parent=91&format=csv' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
  t.match(res.headers['content-disposition'], /^attachment; filename="[^"]+\.csv"$/)
  const bytes = res.rawPayload
  t.same([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM')
  const rows = parseCsv(bytes.toString('utf8').slice(1)).map((r) => r.fields)
  t.same(rows[0], [...CSV_COLUMNS])
  t.same(rows[1], ['total', '91', 'Tỉnh Kiểm Thử', '', '', '6', '6', '100.00', '68700', '1511400000', '2017-12-31', '2017-12', ''])
  t.same(rows[2], ['district', '911', 'Huyện Một', '', '91', '3', '3', '100.00', '40000', '880000000', '', '', ''])
  t.same(rows[3], ['district', '912', 'Thành phố Hai', '', '91', '3', '3', '100.00', '28700', '631400000', '', '', ''])
  t.equal(rows.length, 4)
})

t.test('html: a printable Vietnamese page with the headline figures, escaped', async (t) => {
  const app = await setup(t)
  const res = await app.app.inject({ url: '/v1/reports/ministry?year=2017&parent=91&format=html' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  const html = res.body
  t.match(html, /^<!DOCTYPE html>\n<html lang="vi">/)
  t.match(html, '@media print')
  t.notMatch(html, /<(script|link|img)\b/, 'no scripts, no external assets')
  t.match(html, '<strong>100%</strong>')
  t.match(html, 'hơn 1,5 tỷ đồng')
  t.match(html, '1.511.400.000 đồng')
  t.match(html, '1,51 tỷ đồng')
  t.match(html, '68.700')
  t.match(html, 'hết ngày 31/12/2017')
  t.match(html, '<strong>12/2017</strong>')
  t.match(html, 'Huyện Một')
  t.match(html, 'Giả định')
})

t.test('uncovered units are listed, and names are escaped', async (t) => {
  const app = await setup(t)
  await importUnitsCsv(app, 'code,name,type,level,parent_code\n91008,"Xã <b>Lạ</b> & ""Mới""",xa,commune,912\n')
  const json = (await app.app.inject({ url: '/v1/reports/ministry?year=2017&parent=91' })).json()
  t.equal(json.coverage.total, 7)
  t.equal(json.coverage.percent, 85.71)
  t.equal(json.reached100At, null)
  t.same(json.uncovered, [{ code: '91008', name: 'Xã <b>Lạ</b> & "Mới"', type: 'xa', parentCode: '912' }])
  const html = (await app.app.inject({ url: '/v1/reports/ministry?year=2017&parent=91&format=html' })).body
  t.match(html, 'Xã &lt;b&gt;Lạ&lt;/b&gt; &amp; &quot;Mới&quot;')
  t.notMatch(html, '<b>Lạ</b>')
  t.match(html, '85,71%')
  const csv = (await app.app.inject({ url: '/v1/reports/ministry?year=2017&parent=91&format=csv' })).body
  const rows = parseCsv(csv.slice(1)).map((r) => r.fields)
  t.same(rows.at(-1), ['uncovered', '91008', 'Xã <b>Lạ</b> & "Mới"', 'xa', '912', '', '', '', '', '', '', '', ''])
})

t.test('errors and overrides', async (t) => {
  const app = await setup(t)
  t.equal((await app.app.inject({ url: '/v1/reports/ministry?parent=91' })).statusCode, 400, 'year is required')
  t.equal((await app.app.inject({ url: '/v1/reports/ministry?year=2017&parent=77' })).statusCode, 404)
  t.equal((await app.app.inject({ url: '/v1/reports/ministry?year=2017&format=pdf' })).statusCode, 400)
  const cheap = (await app.app.inject({ url: '/v1/reports/ministry?year=2017&parent=91&costPerDocumentVnd=1000' })).json()
  t.equal(cheap.estimatedSavingsVnd, 68_700_000)
  const country = (await app.app.inject({ url: '/v1/reports/ministry?year=2017' })).json()
  t.same(country.parent, { code: null, name: 'Việt Nam' })
  const doc = (await app.app.inject({ url: '/documentation/json' })).json()
  t.same(Object.keys(doc.paths['/v1/reports/ministry'].get.responses['200'].content).sort(), ['application/json', 'text/csv', 'text/html'])
  t.ok(doc.paths['/v1/coverage/timeline'], 'the timeline is documented')
})

t.test('Vietnamese number and date formatting', async (t) => {
  t.equal(formatTy(1_836_000_000_000), '1.836 tỷ')
  t.equal(formatVnd(1_836_000_000_000), '1.836 tỷ đồng')
  t.equal(formatTy(1_500_000_000), '1,5 tỷ')
  t.equal(formatTy(1_511_400_000), '1,51 tỷ')
  t.equal(formatVnd(750_000), '750.000 đồng')
  t.equal(formatInteger(1_511_400_000), '1.511.400.000')
  t.equal(formatInteger(0), '0')
  t.equal(formatPercent(100), '100%')
  t.equal(formatPercent(87.4), '87,4%')
  t.equal(formatPercent(33.33), '33,33%')
  t.equal(formatPercent(0), '0%')
  t.equal(headlineSavings(1_511_400_000), 'hơn 1,5 tỷ đồng')
  t.equal(headlineSavings(1_500_000_000), '1,5 tỷ đồng')
  t.equal(headlineSavings(1_599_999_999), 'hơn 1,5 tỷ đồng', 'never rounded up')
  t.equal(formatDayVn('2017-12-31'), '31/12/2017')
  t.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  t.equal(csvField('a,b'), '"a,b"')
  t.equal(csvField('=SUM(A1)'), `'=SUM(A1)`)
  t.equal(csvField(12), '12')
})
