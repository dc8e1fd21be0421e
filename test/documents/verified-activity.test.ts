import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { tanHaDucLinh, trust } from '../helpers/pki.ts'
import { basePdf, signPdf, signingKit } from '../helpers/signed-docs.ts'
import { thisMonthVn } from '../../src/lib/dates.ts'
import { verifiedCounts } from '../../src/documents/verified-activity.ts'

const kit = signingKit(tanHaDucLinh(), 'Savings')
const chain = kit.ca.pem

t.test('savings and the report show declared and verified documents side by side; basis picks the estimate', async (t) => {
  const { app, auth, database } = await testApp(t)
  await trust(app, auth.admin, kit)
  const reg = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: kit.rsa.pem + chain })
  t.equal(reg.statusCode, 201, reg.body)
  const month = thisMonthVn()
  for (const text of ['one', 'two']) {
    const r = await app.inject({ method: 'POST', url: '/v1/documents', headers: { ...auth.registrar, 'content-type': 'application/pdf' }, payload: signPdf(basePdf({ text }), kit.rsa, { chain }) })
    t.match(r.json(), { counted: true, unitCode: '23221', month })
  }
  const put = await app.inject({ method: 'PUT', url: `/v1/activity/23221/${month}`, headers: { ...auth.registrar, 'content-type': 'application/json' }, payload: { documentsSigned: 10 } })
  t.equal(put.statusCode, 200, put.body)

  t.same(await verifiedCounts(database.db, month, month), [{ unitCode: '23221', month, documentsVerified: 2 }])

  const declared = (await app.inject({ method: 'GET', url: `/v1/savings?from=${month}&to=${month}&parent=60` })).json()
  t.match(declared, { documentsSigned: 10, documentsVerified: 2, communesWithVerifiedDocuments: 1, basis: 'declared' })
  t.equal(declared.estimatedSavingsVnd, 10 * declared.costPerDocumentVnd)
  const district = declared.byDistrict.find((d: { documentsVerified: number }) => d.documentsVerified > 0)
  t.match(district, { documentsSigned: 10, documentsVerified: 2, estimatedSavingsVnd: 10 * declared.costPerDocumentVnd })

  const verified = (await app.inject({ method: 'GET', url: `/v1/savings?from=${month}&to=${month}&parent=60&basis=verified` })).json()
  t.match(verified, { documentsSigned: 10, documentsVerified: 2, basis: 'verified' })
  t.equal(verified.estimatedSavingsVnd, 2 * verified.costPerDocumentVnd)
  t.equal(verified.byDistrict[0].estimatedSavingsVnd, 2 * verified.costPerDocumentVnd)

  const elsewhere = (await app.inject({ method: 'GET', url: `/v1/savings?from=${month}&to=${month}&parent=593` })).json()
  t.match(elsewhere, { documentsVerified: 0, communesWithVerifiedDocuments: 0 }, 'other districts are not affected')

  const year = Number(month.slice(0, 4))
  const report = (await app.inject({ method: 'GET', url: `/v1/reports/ministry?year=${year}&parent=60&basis=verified` })).json()
  t.match(report, { documentsSigned: 10, documentsVerified: 2, communesWithVerifiedDocuments: 1, basis: 'verified' })
  t.equal(report.estimatedSavingsVnd, 2 * report.costPerDocumentVnd)
  t.ok(report.districts.some((d: { documentsVerified: number }) => d.documentsVerified === 2))
  const html = (await app.inject({ method: 'GET', url: `/v1/reports/ministry?year=${year}&parent=60&format=html` })).body
  t.match(html, /đã được Kyso kiểm tra: <strong>2<\/strong>, từ 1 đơn vị cấp xã/)

  const bad = await app.inject({ method: 'GET', url: '/v1/savings?basis=guessed' })
  t.equal(bad.statusCode, 400)
})
