import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { loadDemo, demoActivity, issueDay } from '../../src/demo/load.ts'
import { demoSummary } from '../../src/cli/demo.ts'

t.test('the 2017 demonstration: 127/127 at the year end, fewer at mid-year, over 1.5 billion đồng', async (t) => {
  const app = await testApp(t, { seed: false })
  const db = app.database.db
  const first = await loadDemo(db)
  t.equal(first.status, 'loaded')
  t.equal(first.certificates, 127)

  const end = (await app.app.inject({ url: '/v1/coverage?asOf=2017-12-31&parent=60' })).json()
  t.equal(end.total, 127)
  t.equal(end.covered, 127)
  t.equal(end.percent, 100)
  t.same(end.byType, { xa: { total: 96, covered: 96 }, phuong: { total: 19, covered: 19 }, thi_tran: { total: 12, covered: 12 }, dac_khu: { total: 0, covered: 0 } })
  t.equal(end.byDistrict.length, 10)

  const mid = (await app.app.inject({ url: '/v1/coverage?asOf=2017-06-30&parent=60' })).json()
  t.ok(mid.covered > 0 && mid.covered < 127, `mid-year ${mid.covered}/127`)
  const start = (await app.app.inject({ url: '/v1/coverage?asOf=2016-12-31&parent=60' })).json()
  t.equal(start.covered, 0, 'nothing before 2017')

  const timeline = (await app.app.inject({ url: '/v1/coverage/timeline?from=2017-01&to=2017-12&parent=60' })).json()
  const covered = timeline.points.map((p: { covered: number }) => p.covered)
  t.ok(covered.every((n: number, i: number) => i === 0 || n >= covered[i - 1]), 'coverage grows through the year')
  t.equal(timeline.reached100At, '2017-12')

  const savings = (await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=60' })).json()
  t.ok(savings.estimatedSavingsVnd > 1_500_000_000, `savings ${savings.estimatedSavingsVnd}`)
  t.ok(savings.estimatedSavingsVnd < 1_600_000_000, 'just over 1.5 billion, not far over')
  t.equal(savings.documentsSigned, first.documents)

  // Registered through the certificate service: matched from the subject, readable through the API.
  const list = await app.app.inject({ url: '/v1/certificates?unitCode=23221&kind=organization', headers: app.auth.viewer })
  t.equal(list.statusCode, 200)
  const items = list.json().items
  t.equal(items.length, 1, 'Xã Tân Hà of Đức Linh has its own certificate')
  t.match(items[0].issuerDn, /Kyso DEMO Issuing CA — not a real CA/)
  t.match(items[0].subject, { L: 'Huyện Đức Linh', CN: 'Ủy ban nhân dân xã Tân Hà' })
  t.equal(items[0].matchedBy, 'subject')

  const report = (await app.app.inject({ url: '/v1/reports/ministry?year=2017&parent=60' })).json()
  t.equal(report.demonstration, true)
  const html = (await app.app.inject({ url: '/v1/reports/ministry?year=2017&parent=60&format=html' })).body
  t.match(html, '<strong>100%</strong>')
  t.match(html, 'hơn 1,5 tỷ đồng')
  t.match(html, 'DỮ LIỆU MINH HỌA')
  t.match(await demoSummary(db), '127/127 = 100%')

  const again = await loadDemo(db)
  t.equal(again.status, 'already_loaded')
  const after = (await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=60' })).json()
  t.equal(after.documentsSigned, savings.documentsSigned, 'a second run changes nothing')
  const anchors = await app.app.inject({ url: '/v1/trust-anchors', headers: app.auth.viewer })
  t.equal(anchors.statusCode, 200)
  const anchorList = Array.isArray(anchors.json()) ? anchors.json() : anchors.json().items
  t.equal(anchorList.length, 1, 'one demonstration anchor')
})

t.test('demonstration activity adds up exactly and starts with each certificate', async (t) => {
  const communes = Array.from({ length: 127 }, (_, i) => ({ code: String(23000 + i), name: `Xã ${i}`, districtCode: '600', districtName: 'Huyện' }))
  const rows = demoActivity(communes, 22_000)
  const total = rows.reduce((s, r) => s + r.documents, 0)
  t.equal(total, Math.ceil(1_512_000_000 / 22_000))
  t.ok(total * 22_000 > 1_500_000_000)
  t.equal(issueDay(0, 127).toISOString(), '2017-01-10T02:00:00.000Z')
  t.ok(issueDay(126, 127) < new Date('2017-12-31T00:00:00+07:00'))
  const last = rows.filter((r) => r.unitCode === '23126')
  t.same(last.map((r) => r.month), ['2017-12'], 'the last commune signs only in December')
})
