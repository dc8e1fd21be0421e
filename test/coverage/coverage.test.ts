import t, { type Test } from 'tap'
import { testApp, type TestApp } from '../helpers/app.ts'
import { PROVINCE_91, importUnitsCsv, insertCertificate } from '../helpers/coverage-data.ts'
import { todayVn } from '../../src/lib/dates.ts'
import { percentOf } from '../../src/coverage/kinds.ts'

/**
 * Province 91 (see PROVINCE_91) with these certificates; every expectation below is worked out by hand.
 *   91001 org 2017-01-01 → 2018-01-01                            covered all summer
 *   91002 org 2017-01-01 → exactly 2017-06-30 23:59:59.999 +07   NOT covered on 06-30 (asOf < notAfter fails)
 *         individual 2017-01-01 → 2020-01-01                     counts only for kind individual/any
 *   91003 org 2017-01-01 → 2020-01-01, revoked 2017-06-30 10:00 +07  NOT covered on 06-30 (revoked that day)
 *   91004 org 2017-03-01 → 2017-09-15 00:00 +07, revoked 2017-07-01 00:00 +07
 *         covered on 06-30 and expiring within 90 days; not covered on 07-01
 *   91005 individual only
 *   91006 org from exactly 2017-06-30 23:59:59.999 +07 (notBefore <= asOf holds); the unit ends 2017-06-30
 *   91007 org from 2017-07-01 08:00 +07; the unit begins 2017-07-01
 */
async function setup(t: Test) {
  const app = await testApp(t, { seed: false })
  await importUnitsCsv(app, PROVINCE_91)
  const db = app.database.db
  const ids: Record<string, string> = {}
  ids.a = await insertCertificate(db, { unitCode: '91001', notBefore: '2017-01-01T00:00:00+07:00', notAfter: '2018-01-01T00:00:00+07:00' })
  ids.b = await insertCertificate(db, { unitCode: '91002', notBefore: '2017-01-01T00:00:00+07:00', notAfter: '2017-06-30T23:59:59.999+07:00' })
  ids.bi = await insertCertificate(db, { unitCode: '91002', kind: 'individual', notBefore: '2017-01-01T00:00:00+07:00', notAfter: '2020-01-01T00:00:00+07:00' })
  ids.c = await insertCertificate(db, { unitCode: '91003', notBefore: '2017-01-01T00:00:00+07:00', notAfter: '2020-01-01T00:00:00+07:00', revokedAt: '2017-06-30T10:00:00+07:00' })
  ids.d = await insertCertificate(db, { unitCode: '91004', notBefore: '2017-03-01T00:00:00+07:00', notAfter: '2017-09-15T00:00:00+07:00', revokedAt: '2017-07-01T00:00:00+07:00' })
  ids.ei = await insertCertificate(db, { unitCode: '91005', kind: 'individual', notBefore: '2017-01-01T00:00:00+07:00', notAfter: '2020-01-01T00:00:00+07:00' })
  ids.g = await insertCertificate(db, { unitCode: '91006', notBefore: '2017-06-30T23:59:59.999+07:00', notAfter: '2019-01-01T00:00:00+07:00' })
  ids.h = await insertCertificate(db, { unitCode: '91007', notBefore: '2017-07-01T08:00:00+07:00', notAfter: '2022-07-01T00:00:00+07:00' })
  return { ...app, ids }
}
const get = async (app: TestApp, url: string) => {
  const res = await app.app.inject({ url })
  return { status: res.statusCode, body: res.json(), headers: res.headers }
}

t.test('organisation coverage on 2017-06-30, by hand', async (t) => {
  const app = await setup(t)
  const { status, body } = await get(app, '/v1/coverage?asOf=2017-06-30&parent=91')
  t.equal(status, 200)
  t.same(body, {
    asOf: '2017-06-30',
    parent: { code: '91', name: 'Tỉnh Kiểm Thử' },
    kind: 'organization',
    total: 6,
    covered: 3,
    percent: 50,
    byType: { xa: { total: 3, covered: 2 }, phuong: { total: 2, covered: 1 }, thi_tran: { total: 1, covered: 0 }, dac_khu: { total: 0, covered: 0 } },
    byDistrict: [
      { code: '911', name: 'Huyện Một', total: 3, covered: 1, percent: 33.33 },
      { code: '912', name: 'Thành phố Hai', total: 3, covered: 2, percent: 66.66 },
    ],
    uncovered: [
      { code: '91002', name: 'Xã Bình', type: 'xa', parentCode: '911' },
      { code: '91003', name: 'Thị trấn Cát', type: 'thi_tran', parentCode: '911' },
      { code: '91005', name: 'Phường Én', type: 'phuong', parentCode: '912' },
    ],
    expiringWithin90Days: [{ unitCode: '91004', certificateId: app.ids.d, notAfter: '2017-09-14T17:00:00.000Z', recordedFor: null }],
  })
})

t.test('the next day: a unit ended, one began, a revocation took effect', async (t) => {
  const app = await setup(t)
  const { body } = await get(app, '/v1/coverage?asOf=2017-07-01&parent=91')
  t.equal(body.total, 6, '91006 is gone, 91007 exists')
  t.equal(body.covered, 2, '91001 and 91007')
  t.equal(body.percent, 33.33)
  t.same(body.uncovered.map((u: { code: string }) => u.code), ['91002', '91003', '91004', '91005'])
  t.same(body.byDistrict.find((d: { code: string }) => d.code === '912'), { code: '912', name: 'Thành phố Hai', total: 3, covered: 1, percent: 33.33 })
  t.same(body.expiringWithin90Days, [], '91004 is revoked now')
})

t.test('individual certificates count for kind=individual and kind=any only', async (t) => {
  const app = await setup(t)
  const ind = await get(app, '/v1/coverage?asOf=2017-06-30&parent=91&kind=individual')
  t.equal(ind.body.covered, 2, '91002 and 91005')
  t.equal(ind.body.percent, 33.33)
  t.same(ind.body.uncovered.map((u: { code: string }) => u.code), ['91001', '91003', '91004', '91006'])
  const any = await get(app, '/v1/coverage?asOf=2017-06-30&parent=91&kind=any')
  t.equal(any.body.covered, 5)
  t.equal(any.body.percent, 83.33)
  t.same(any.body.uncovered.map((u: { code: string }) => u.code), ['91003'])
})

t.test('a district as parent, the whole country, defaults and errors', async (t) => {
  const app = await setup(t)
  const district = await get(app, '/v1/coverage?asOf=2017-06-30&parent=911')
  t.equal(district.body.total, 3)
  t.equal(district.body.covered, 1)
  t.same(district.body.byDistrict, [{ code: '911', name: 'Huyện Một', total: 3, covered: 1, percent: 33.33 }])

  const country = await get(app, '/v1/coverage?asOf=2017-06-30')
  t.same(country.body.parent, { code: null, name: 'Việt Nam' })
  t.equal(country.body.total, 6)
  t.equal(country.body.covered, 3)

  const today = await get(app, '/v1/coverage?parent=91')
  t.equal(today.body.asOf, todayVn())

  t.equal((await get(app, '/v1/coverage?parent=99')).status, 404)
  t.equal((await get(app, '/v1/coverage?parent=99')).body.code, 'not_found')
  t.equal((await get(app, '/v1/coverage?parent=91001')).status, 400, 'a commune is not a parent')
  t.equal((await get(app, '/v1/coverage?asOf=2017-02-30')).status, 400)
  t.equal((await get(app, '/v1/coverage?asOf=yesterday')).status, 400)
  t.equal((await get(app, '/v1/coverage?kind=everything')).status, 400)
})

t.test('timeline: month-ends, and when 100% was first reached', async (t) => {
  const app = await setup(t)
  const { status, body } = await get(app, '/v1/coverage/timeline?from=2017-05&to=2017-07&parent=91')
  t.equal(status, 200)
  t.same(body.points, [
    { month: '2017-05', asOf: '2017-05-31', total: 6, covered: 4, percent: 66.66 },
    { month: '2017-06', asOf: '2017-06-30', total: 6, covered: 3, percent: 50 },
    { month: '2017-07', asOf: '2017-07-31', total: 6, covered: 2, percent: 33.33 },
  ])
  t.equal(body.reached100At, null)
  // 912 with any kind: May 91004 + 91005 of 3; June all three (91006's certificate starts at the very end of June).
  const any = await get(app, '/v1/coverage/timeline?from=2017-05&to=2017-07&parent=912&kind=any')
  t.same(any.body.points.map((p: { covered: number; total: number }) => [p.covered, p.total]), [[2, 3], [3, 3], [2, 3]])
  t.equal(any.body.reached100At, '2017-06')

  t.equal((await get(app, '/v1/coverage/timeline?from=2017-07&to=2017-05&parent=91')).status, 400)
  t.equal((await get(app, '/v1/coverage/timeline?from=2000-01&to=2020-12&parent=91')).status, 400, 'over 240 months')
  t.equal((await get(app, '/v1/coverage/timeline?from=2017-13&to=2018-01')).status, 400)
})

t.test('percent is rounded down: 100 only when every unit is covered', async (t) => {
  t.equal(percentOf(11161, 11162), 99.99)
  t.equal(percentOf(2, 3), 66.66)
  t.equal(percentOf(1, 3), 33.33)
  t.equal(percentOf(127, 127), 100)
  t.equal(percentOf(0, 0), 0)
})

t.test('coverage is public unless PUBLIC_REPORTS=false', async (t) => {
  const app = await testApp(t, { seed: false, config: { publicReports: false } })
  t.equal((await app.app.inject({ url: '/v1/coverage' })).statusCode, 401)
  t.equal((await app.app.inject({ url: '/v1/coverage', headers: app.auth.viewer })).statusCode, 200)
})
