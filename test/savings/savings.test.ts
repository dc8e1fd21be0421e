import t, { type Test } from 'tap'
import { testApp } from '../helpers/app.ts'
import { PROVINCE_91, importActivityCsv, importUnitsCsv } from '../helpers/coverage-data.ts'

/** Activity in province 91 (see PROVINCE_91): 2017 has 100 + 50 (911) and 30 + 20 (912) documents; 2016-12 has 1,000. */
async function setup(t: Test) {
  const app = await testApp(t, { seed: false })
  await importUnitsCsv(app, PROVINCE_91)
  t.equal(await importActivityCsv(app, 'unit_code,month,documents_signed\n91001,2017-01,100\n91001,2017-02,50\n91004,2017-01,30\n91006,2016-12,1000\n91007,2017-12,20\n'), 200)
  return app
}

t.test('defaults: 2,000 + 12,000 + 8,000 = 22,000 đồng per document', async (t) => {
  const app = await setup(t)
  const res = await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=91' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, {
    from: '2017-01', to: '2017-12', parent: { code: '91', name: 'Tỉnh Kiểm Thử' },
    documentsSigned: 200, costPerDocumentVnd: 22_000, estimatedSavingsVnd: 4_400_000,
    byDistrict: [
      { code: '911', name: 'Huyện Một', documentsSigned: 150, documentsVerified: 0, estimatedSavingsVnd: 3_300_000 },
      { code: '912', name: 'Thành phố Hai', documentsSigned: 50, documentsVerified: 0, estimatedSavingsVnd: 1_100_000 },
    ],
  })
  t.same(body.assumptions.parameters.map((p: { name: string; valueVnd: number; source: string; overridden: boolean; unit: string }) =>
    [p.name, p.valueVnd, p.source, p.overridden, p.unit]), [
    ['paperVnd', 2000, 'assumption', false, 'đồng per document'],
    ['postageVnd', 12000, 'assumption', false, 'đồng per document'],
    ['staffTimeVnd', 8000, 'assumption', false, 'đồng per document'],
    ['costPerDocumentVnd', 22000, 'assumption', false, 'đồng per document'],
  ])
  t.equal(body.assumptions.costPerDocumentFrom, 'components')
  t.equal(body.assumptions.reference.source, 'sourced')
  for (const p of body.assumptions.parameters) t.ok(p.note.length > 10, `${p.name} explains itself`)
})

t.test('overrides: a component, or the total; both echoed', async (t) => {
  const app = await setup(t)
  const paper = (await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=91&paperVnd=1000' })).json()
  t.equal(paper.costPerDocumentVnd, 21_000)
  t.equal(paper.estimatedSavingsVnd, 4_200_000)
  t.same(paper.assumptions.parameters.map((p: { name: string; valueVnd: number; overridden: boolean }) => [p.name, p.valueVnd, p.overridden]), [
    ['paperVnd', 1000, true], ['postageVnd', 12000, false], ['staffTimeVnd', 8000, false], ['costPerDocumentVnd', 21000, false],
  ])

  const all = (await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=91&paperVnd=0&postageVnd=5000&staffTimeVnd=0' })).json()
  t.equal(all.estimatedSavingsVnd, 200 * 5000)

  const total = (await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=91&costPerDocumentVnd=10000&paperVnd=1' })).json()
  t.equal(total.costPerDocumentVnd, 10_000)
  t.equal(total.estimatedSavingsVnd, 2_000_000)
  t.equal(total.byDistrict[0].estimatedSavingsVnd, 1_500_000)
  t.equal(total.assumptions.costPerDocumentFrom, 'request')
  t.same(total.assumptions.parameters.map((p: { name: string; valueVnd: number; overridden: boolean }) => [p.name, p.valueVnd, p.overridden]), [
    ['costPerDocumentVnd', 10000, true],
  ])

  t.equal((await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&costPerDocumentVnd=-1' })).statusCode, 400)
  t.equal((await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&foo=1' })).statusCode, 400)
})

t.test('ranges and parents', async (t) => {
  const app = await setup(t)
  const get = async (q: string) => (await app.app.inject({ url: `/v1/savings?${q}` })).json()
  t.equal((await get('from=2016-12&to=2017-01&parent=91')).documentsSigned, 1130, '1000 + 100 + 30')
  t.equal((await get('from=2017-02&to=2017-11&parent=91')).documentsSigned, 50)
  t.equal((await get('from=2017-01&to=2017-12&parent=911')).documentsSigned, 150)
  const country = await get('from=2016-01&to=2017-12')
  t.same(country.parent, { code: null, name: 'Việt Nam' })
  t.equal(country.documentsSigned, 1200)
  t.equal((await app.app.inject({ url: '/v1/savings?from=2017-01&to=2017-12&parent=98' })).statusCode, 404)
  t.equal((await app.app.inject({ url: '/v1/savings?from=2018-01&to=2017-12' })).statusCode, 400)
})
