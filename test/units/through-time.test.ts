/**
 * The whole country through time, on the project's own seed (src/units/seed): units on a day, a code that
 * ended, history, lineage, and coverage across the 2025 reform with real certificates registered through the API.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { testApp } from '../helpers/app.ts'
import { queryRows } from '../../src/db/rows.ts'
import { recomputeAncestors, recomputeCommittees, recomputePlaceCodes } from '../../src/units/integrity.ts'
import { day, hierarchy, leaf, subject, trust, withChain } from '../helpers/pki.ts'

const app = await testApp(t, { seed: 'vietnam' })
const get = async (url: string) => {
  const res = await app.app.inject({ url })
  return { status: res.statusCode, body: res.json() }
}
const total = async (url: string) => (await get(url)).body.total

t.test('units in force on a day', async (t) => {
  t.equal(await total('/v1/units?level=province&limit=1'), 34, '34 provinces today')
  t.equal(await total('/v1/units?level=commune&asOf=2025-07-01&limit=1'), 3321, '3,321 communes on 2025-07-01')
  t.equal(await total('/v1/units?level=province&asOf=2025-06-30&limit=1'), 63, '63 provinces the day before')
  t.equal(await total('/v1/units?level=district&asOf=2025-07-01&limit=1'), 0, 'no districts from 2025-07-01')
  t.equal(await total('/v1/units?asOf=2017-12-31&parent=60&level=commune&limit=1'), 127)
  t.equal(await total('/v1/units?asOf=2020-01-01&parent=60&level=commune&limit=1'), 124)
  t.equal(await total('/v1/units?asOf=2025-01-01&parent=60&level=commune&limit=1'), 121)
  t.equal(await total('/v1/units?asOf=2025-07-01&parent=68&level=commune&limit=1'), 124)
  const listed = await get('/v1/units?level=province&limit=1')
  t.match(listed.body.asOf, /^\d{4}-\d{2}-\d{2}$/, 'the answer says which day it is for')
})

t.test('a code that ended names its successors; a reused code has two versions', async (t) => {
  const gone = await get('/v1/units/60')
  t.equal(gone.status, 404)
  t.match(gone.body.detail, /Bình Thuận \(60\) was last in force on 2025-06-30/)
  t.match(gone.body.detail, /68 Tỉnh Lâm Đồng/)
  t.same(gone.body.successors, [{ code: '68', name: 'Tỉnh Lâm Đồng' }])
  const then = await get('/v1/units/60?asOf=2017-12-31')
  t.equal(then.body.name, 'Tỉnh Bình Thuận')
  t.match(then.body.successors, [{ code: '68', share: 'whole', validFrom: '2025-07-01' }])

  const before = await get('/v1/units/00004?asOf=2025-06-30')
  const after = await get('/v1/units/00004?asOf=2025-07-01')
  t.equal(before.body.name, 'Phường Trúc Bạch')
  t.equal(after.body.name, 'Phường Ba Đình')
  t.ok(after.body.predecessors.some((p: { code: string; name: string; share: string }) => p.code === '00004' && p.name === 'Phường Trúc Bạch' && p.share === 'whole'))
  t.ok(after.body.predecessors.length > 1, 'Ba Đình was formed from several wards')
  const history = await get('/v1/units/00004/history')
  t.same(history.body.map((v: { name: string; validFrom: string | null; validTo: string | null }) => [v.name, v.validFrom, v.validTo]),
    [['Phường Trúc Bạch', null, '2025-06-30'], ['Phường Ba Đình', '2025-07-01', null]])
  const district = await get('/v1/units/593')
  t.equal(district.status, 404)
  t.ok(district.body.successors.some((s: { code: string }) => s.code === '22918'), 'a district names the communes its communes went into')
  const parentGone = await get('/v1/coverage?parent=60')
  t.equal(parentGone.status, 404)
  t.match(parentGone.body.detail, /68 Tỉnh Lâm Đồng/)
})

t.test('coverage follows a former province and each month end on its own structure', async (t) => {
  const successors = await get('/v1/coverage?successorsOf=60')
  t.equal(successors.status, 200)
  t.equal(successors.body.total, 45, "the former Bình Thuận's territory is 45 communes today")
  t.equal(successors.body.successorsOf, '60')
  t.same(successors.body.byDistrict, [], 'no districts today')
  const timeline = await get('/v1/coverage/timeline?parent=68&from=2024-01&to=2026-12')
  const totals = new Map(timeline.body.points.map((p: { month: string; total: number }) => [p.month, p.total]))
  t.equal(totals.get('2025-07'), 124, 'the new Lâm Đồng from July 2025')
  t.not(totals.get('2025-06'), 124, 'the old Lâm Đồng before')
  t.equal(totals.get('2025-06'), await total('/v1/units?asOf=2025-06-30&parent=68&level=commune&limit=1'))
  const national = await get('/v1/coverage/timeline?from=2025-06&to=2025-07')
  t.same(national.body.points.map((p: { total: number }) => p.total), [10035, 3321])
})

t.test('certificates register to the version of their day; a certificate follows its committee, not a merger', async (t) => {
  const h = hierarchy('Units')
  await trust(app.app, app.auth.admin, h, { intermediate: true })
  const post = (pem: string, query = '') => app.app.inject({
    method: 'POST', url: `/v1/certificates${query}`, headers: { ...app.auth.registrar, 'content-type': 'application/x-pem-file' }, payload: pem,
  })
  const in2019 = await post(withChain(leaf(h, subject(['ST', 'Bình Thuận'], ['L', 'Huyện Đức Linh'], ['CN', 'UBND xã Tân Hà']), { notBefore: day('2019-05-01') }), h))
  t.equal(in2019.statusCode, 201, in2019.body)
  t.equal(in2019.json().unitCode, '23221')
  const lamDong = await post(withChain(leaf(h, subject(['ST', 'Lâm Đồng'], ['CN', 'UBND phường Mũi Né']), { notBefore: day('2025-09-01') }), h))
  t.equal(lamDong.statusCode, 201, lamDong.body)
  t.equal(lamDong.json().unitCode, '22918')
  t.same(lamDong.json().warnings, [])
  const formerProvince = await post(withChain(leaf(h, subject(['ST', 'Bình Thuận'], ['CN', 'UBND phường Bình Thuận']), { notBefore: day('2025-09-01') }), h))
  t.equal(formerProvince.statusCode, 201, formerProvince.body)
  t.equal(formerProvince.json().unitCode, '22960', 'Phường Bình Thuận of Lâm Đồng, not the wards of that name that ended')
  t.ok(formerProvince.json().warnings.some((w: { code: string }) => w.code === 'former_unit_named'), 'the former province is named: a warning')

  const otherProvince = await post(withChain(leaf(h, subject(['ST', 'Lâm Đồng'], ['CN', 'UBND xã Tân Hà']), { notBefore: day('2024-03-01') }), h))
  t.equal(otherProvince.statusCode, 201, otherProvince.body)
  t.not(otherProvince.json().unitCode, '23221', 'a named province is never crossed')
  const unknownProvince = await post(withChain(leaf(h, subject(['ST', 'Tỉnh Thử Nghiệm'], ['CN', 'UBND xã Tân Hà']), { notBefore: day('2024-03-02') }), h))
  t.equal(unknownProvince.statusCode, 422)
  t.equal(unknownProvince.json().problems[0].code, 'unit_not_found')

  const mismatch = await post(withChain(leaf(h, subject(['ST', 'Hà Nội'], ['CN', 'UBND phường Trúc Bạch']), { notBefore: day('2024-03-03') }), h), '?unitCode=22915')
  t.equal(mismatch.statusCode, 422)
  t.ok(mismatch.json().problems.every((p: { code: string }) => p.code === 'unit_mismatch'), mismatch.body)

  // A certificate of the old Mũi Né (merged into the new one, code reused) does not cover the new ward;
  // one of Xã Ia Mơ (unchanged through the reform) covers its successor.
  const oldMuiNe = await post(withChain(leaf(h, subject(['ST', 'Bình Thuận'], ['CN', 'UBND phường Mũi Né']), { notBefore: day('2024-03-04') }), h))
  t.equal(oldMuiNe.json().unitCode, '22915')
  const iaMo = await post(withChain(leaf(h, subject(['ST', 'Gia Lai'], ['CN', 'UBND xã Ia Mơ']), { notBefore: day('2024-03-05') }), h))
  t.equal(iaMo.statusCode, 201, iaMo.body)
  const covered = async (asOf: string, parent: string) => (await get(`/v1/coverage?asOf=${asOf}&parent=${parent}`)).body.uncovered.map((u: { code: string }) => u.code)
  t.notOk((await covered('2025-06-30', '593')).includes('22915'), 'old Mũi Né covered before the reform')
  t.notOk((await covered('2025-06-30', '64')).includes('23938'), 'Ia Mơ covered before the reform, under the old Gia Lai')
  t.notOk((await covered('2025-07-01', '52')).includes('23938'), 'Ia Mơ (unchanged) stays covered')
  t.ok((await covered('2025-08-31', '68')).includes('22918'), 'the new Mũi Né is not covered by the old ward\'s certificate')
  t.notOk((await covered('2025-09-01', '68')).includes('22918'), 'until its own certificate')
})

t.test('a token scoped to a former province keeps the units descending from it, and no others', async (t) => {
  const h = hierarchy('Scope')
  await trust(app.app, app.auth.admin, h, { intermediate: true })
  const binhThuan = await app.token('registrar', ['60'])
  const fromBinhThuan = new Set((await get('/v1/coverage?successorsOf=60&asOf=2025-08-01')).body.uncovered.map((u: { code: string }) => u.code))
  const lamDong = (await get('/v1/units?parent=68&level=commune&asOf=2025-09-01')).body.items as { code: string; name: string }[]
  const elsewhere = lamDong.find((u) => !fromBinhThuan.has(u.code))!
  const inside = lamDong.find((u) => fromBinhThuan.has(u.code) && u.code !== '22918')!
  const post = (unitCode: string, cn: string) => app.app.inject({
    method: 'POST', url: `/v1/certificates?unitCode=${unitCode}`, headers: { ...binhThuan, 'content-type': 'application/x-pem-file' },
    payload: withChain(leaf(h, subject(['ST', 'Lâm Đồng'], ['CN', `UBND ${cn}`]), { notBefore: day('2025-09-02') }), h),
  })
  const ok = await post(inside.code, inside.name)
  t.equal(ok.statusCode, 201, `${inside.name} descends from Bình Thuận: ${ok.body}`)
  const refused = await post(elsewhere.code, elsewhere.name)
  t.equal(refused.statusCode, 403, `${elsewhere.name} does not`)
})

t.test('a year across the reform: each month on its own structure', async (t) => {
  const put = (unitCode: string, month: string, documentsSigned: number) => app.app.inject({
    method: 'PUT', url: `/v1/activity/${unitCode}/${month}`, headers: app.auth.registrar, payload: { documentsSigned },
  })
  t.equal((await put('22915', '2025-06', 100)).statusCode, 200, 'the old Phường Mũi Né in June')
  t.equal((await put('22918', '2025-07', 40)).statusCode, 200, 'the new one in July')
  const savings = await get('/v1/savings?from=2025-01&to=2025-12&parent=68')
  t.equal(savings.status, 200)
  t.equal(savings.body.documentsSigned, 40, 'under 68: only July, when Mũi Né was in Lâm Đồng')
  t.same(savings.body.byMonth.map((m: { structure: string }) => m.structure), [...Array(6).fill('districts'), ...Array(6).fill('provinces')])
  const former = await get('/v1/savings?from=2025-01&to=2025-12&successorsOf=60')
  t.equal(former.body.documentsSigned, 140, "the former Bình Thuận's territory: June and July")
  const report = await get('/v1/reports/ministry?year=2025&parent=68')
  t.equal(report.status, 200)
  t.equal(report.body.groupBy, 'type', 'no districts at the end of 2025: grouped by commune type')
  t.same(report.body.districts, [])
  t.equal(report.body.months.length, 12)
  const html = await app.app.inject({ url: '/v1/reports/ministry?year=2025&parent=68&format=html' })
  t.match(html.body, 'theo địa giới ba cấp')
  t.match(html.body, 'theo địa giới hai cấp')
  const national = await get('/v1/reports/ministry?year=2017')
  t.equal(national.body.groupBy, 'province')
  t.equal(national.body.groups.length, 63, 'the 63 provinces of 2017')
})

t.test('the import writes the derived columns as the recomputation would', async (t) => {
  const db = app.database.db
  const derived = async () => (await queryRows<{ md5: string }>(db, sql`
    select md5(string_agg(concat_ws('|', id, province_code, district_code, committee_id, array(select unnest(place_codes) order by 1)::text), ',' order by id)) as md5
    from admin_units`))[0].md5
  const before = await derived()
  await db.transaction(async (tx) => {
    await recomputeAncestors(tx)
    await recomputeCommittees(tx)
    await recomputePlaceCodes(tx)
  })
  t.equal(await derived(), before, 'recomputing changes nothing')
})
