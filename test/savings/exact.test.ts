/**
 * Savings at the bounds: the most documents a unit-month may declare, at the highest cost per document a request
 * may give. Every figure is worked out here again with BigInt and compared with what the API writes: a JSON
 * number up to 2^53 − 1, a string of decimal digits beyond.
 */
import t, { type Test } from 'tap'
import { testApp } from '../helpers/app.ts'
import { PROVINCE_91, importActivityCsv, importUnitsCsv } from '../helpers/coverage-data.ts'
import { parseCsv } from '../../src/lib/csv.ts'

const MAX_DOCUMENTS = 2_147_483_647
/** The highest cost per document a request may give; and one below it, whose products have more digits than a double holds. */
const COSTS = [100_000_000, 99_999_999]
/** Below 2^53 / 10^8 documents, so that district 912's savings stay a JSON number at either cost. */
const JUST_SAFE = 90_071_991

const UNITS: Record<string, { district: string; type: string }> = {
  91001: { district: '911', type: 'xa' }, 91002: { district: '911', type: 'xa' }, 91003: { district: '911', type: 'thi_tran' },
  91004: { district: '912', type: 'phuong' },
}
const MONTHS = Array.from({ length: 12 }, (_, i) => `2017-${String(i + 1).padStart(2, '0')}`)
/** Every commune of district 911 at the maximum in every month of 2017; 91004 once, just under the limit. */
const ACTIVITY = [
  ...['91001', '91002', '91003'].flatMap((unit) => MONTHS.map((month) => ({ unit, month, documents: MAX_DOCUMENTS }))),
  { unit: '91004', month: '2017-03', documents: JUST_SAFE },
]

/** The JSON form, written independently of src/lib/exact-integer.ts. */
const json = (b: bigint): number | string => (b <= 9_007_199_254_740_991n ? Number(b) : b.toString())
const sum = (pick: (a: typeof ACTIVITY[number]) => boolean) => ACTIVITY.filter(pick).reduce((s, a) => s + BigInt(a.documents), 0n)
const grouped = (b: bigint) => b.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.')
const TOTAL = sum(() => true)
const DISTRICTS = ['911', '912']
const byDistrict = (d: string) => sum((a) => UNITS[a.unit].district === d)
const byMonth = (month: string) => sum((a) => a.month === month)

async function setup(t: Test) {
  const app = await testApp(t, { seed: false })
  await importUnitsCsv(app, PROVINCE_91)
  // One row through PUT, the others through the CSV import.
  const [first, ...rest] = ACTIVITY
  const put = await app.app.inject({
    method: 'PUT', url: `/v1/activity/${first.unit}/${first.month}`, headers: app.auth.registrar, payload: { documentsSigned: first.documents },
  })
  t.equal(put.statusCode, 200, put.body)
  t.equal(await importActivityCsv(app, `unit_code,month,documents_signed\n${rest.map((a) => `${a.unit},${a.month},${a.documents}`).join('\n')}\n`), 200)
  return app
}

t.test('the savings are exact at the bounds: strings beyond 2^53 − 1, numbers below', async (t) => {
  const app = await setup(t)
  for (const cost of COSTS) {
    const row = (code: string, documents: bigint) => ({
      code, documentsSigned: json(documents), documentsVerified: 0, estimatedSavingsVnd: json(documents * BigInt(cost)),
    })
    const res = await app.app.inject({ url: `/v1/savings?from=2017-01&to=2017-12&parent=91&costPerDocumentVnd=${cost}` })
    t.equal(res.statusCode, 200)
    const body = res.json()
    t.strictSame(body.documentsSigned, json(TOTAL))
    t.strictSame(body.estimatedSavingsVnd, json(TOTAL * BigInt(cost)), `at ${cost} đồng a document`)
    t.match(res.body, `"estimatedSavingsVnd":"${TOTAL * BigInt(cost)}"`, 'written as a string')
    t.equal(typeof body.documentsSigned, 'number')
    t.strictSame(body.byProvince.map(({ name: _, ...r }: { name: string }) => r), [row('91', TOTAL)])
    t.strictSame(body.byDistrict.map(({ name: _, ...r }: { name: string }) => r), DISTRICTS.map((d) => row(d, byDistrict(d))))
    t.strictSame(body.byType.map(({ name: _, ...r }: { name: string }) => r), ['phuong', 'thi_tran', 'xa'].map((type) => row(type, sum((a) => UNITS[a.unit].type === type))))
    t.strictSame(body.byMonth.map(({ structure: _, ...m }: { structure: string }) => m), MONTHS.map((month) => ({
      month, documentsSigned: json(byMonth(month)), documentsVerified: 0,
    })))
    const [d911, d912] = body.byDistrict
    t.equal(typeof d911.estimatedSavingsVnd, 'string', 'beyond 2^53 − 1: a string')
    t.equal(typeof d912.estimatedSavingsVnd, 'number', 'just below 2^53 − 1: a number')
    t.match(res.body, new RegExp(`"estimatedSavingsVnd":${BigInt(JUST_SAFE) * BigInt(cost)}[,}]`))
  }
  const round = (await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=91&costPerDocumentVnd=100000000' })).json()
  t.equal(round.estimatedSavingsVnd, '7739948328300000000', 'and by hand: (36 × 2,147,483,647 + 90,071,991) × 10^8')
  const odd = (await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=91&costPerDocumentVnd=99999999' })).json()
  t.equal(odd.estimatedSavingsVnd, '7739948250900516717', 'and by hand: 77,399,483,283 × 99,999,999')
  const verified = (await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=91&costPerDocumentVnd=100000000&basis=verified' })).json()
  t.equal(verified.estimatedSavingsVnd, 0, 'nothing verified: 0, a number')
})

t.test('the ministry report carries the same exact figures in JSON, CSV and HTML', async (t) => {
  const app = await setup(t)
  for (const cost of COSTS) {
    const savings = TOTAL * BigInt(cost)
    const url = `/v1/reports/ministry?year=2017&parent=91&costPerDocumentVnd=${cost}`
    const report = (await app.app.inject({ url })).json()
    t.equal(report.groupBy, 'district')
    t.strictSame(report.documentsSigned, json(TOTAL))
    t.strictSame(report.estimatedSavingsVnd, json(savings), `at ${cost} đồng a document`)
    t.strictSame(report.groups.map((g: { code: string; documentsSigned: unknown; estimatedSavingsVnd: unknown }) => [g.code, g.documentsSigned, g.estimatedSavingsVnd]),
      DISTRICTS.map((d) => [d, json(byDistrict(d)), json(byDistrict(d) * BigInt(cost))]))
    t.strictSame(report.months.map((m: { month: string; documentsSigned: unknown }) => [m.month, m.documentsSigned]), MONTHS.map((month) => [month, json(byMonth(month))]))

    const csv = (await app.app.inject({ url: `${url}&format=csv` })).body
    const rows = parseCsv(csv.slice(1)).map((r) => r.fields)
    t.strictSame(rows[1].slice(8, 10), [TOTAL.toString(), savings.toString()], 'the total row holds every digit')
    t.strictSame(rows.filter((r) => r[0] === 'district').map((r) => [r[1], r[8], r[9]]),
      DISTRICTS.map((d) => [d, byDistrict(d).toString(), (byDistrict(d) * BigInt(cost)).toString()]))

    const html = (await app.app.inject({ url: `${url}&format=html` })).body
    t.match(html, `<strong>${grouped(savings)} đồng</strong>`, 'the total in full, grouped')
    t.match(html, `(${grouped((savings + 500_000_000n) / 1_000_000_000n)} tỷ đồng)`, 'in tỷ, rounded exactly')
    for (const d of DISTRICTS) t.match(html, `<td class="n">${grouped(byDistrict(d))}</td><td class="n">${grouped(byDistrict(d) * BigInt(cost))}</td>`)
    t.match(html, `<td class="n">${grouped(TOTAL)}</td><td class="n">${grouped(savings)}</td>`)
    const tenths = savings / 100_000_000n
    const headline = `${grouped(tenths / 10n)}${tenths % 10n ? `,${tenths % 10n}` : ''} tỷ đồng`
    t.match(html, `<strong>${savings % 100_000_000n ? 'hơn ' : ''}${headline}</strong>`, 'the headline, floored to a tenth of a tỷ')
  }
})
