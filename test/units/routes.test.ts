import t from 'tap'
import { testApp } from '../helpers/app.ts'

t.test('search ignores case, diacritics, tone-mark placement and normalisation form', async (t) => {
  const { app } = await testApp(t)
  const codes = async (q: string) =>
    (await app.inject({ url: `/v1/units?q=${encodeURIComponent(q)}` })).json().items.map((u: { code: string }) => u.code)
  const thuy = await codes('Thủy')
  t.same(thuy, ['22924'], 'Phường Phú Thủy')
  t.same(await codes('Thuỷ'), thuy)
  t.same(await codes('thuy'), thuy)
  t.same(await codes('Thủy'.normalize('NFD')), thuy)
  t.same(await codes('vu hoa'), ['23218'], 'GSO writes Vũ Hoà with the old tone mark')
  t.same(await codes('Vũ Hòa'), ['23218'])
  t.same(await codes('tân hà'), ['23221', '23245', '23257'], 'both Xã Tân Hà, and Xã Tân Hải: q matches part of a name')
})

t.test('listing by parent and level, and lookup', async (t) => {
  const { app } = await testApp(t)
  const duclinh = await app.inject({ url: '/v1/units?parent=600' })
  t.equal(duclinh.json().total, 13)
  t.ok(duclinh.json().items.every((u: { parentCode: string }) => u.parentCode === '600'))
  const province = await app.inject({ url: '/v1/units/60' })
  t.same(province.json(), { code: '60', name: 'Tỉnh Bình Thuận', type: 'tinh', level: 'province', parentCode: null, validFrom: null, validTo: null, predecessors: [], successors: [] })
  const missing = await app.inject({ url: '/v1/units/12345678' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().code, 'not_found')
  const bad = await app.inject({ url: '/v1/units/abc' })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().code, 'bad_request')
  const badLevel = await app.inject({ url: '/v1/units?level=hamlet' })
  t.equal(badLevel.statusCode, 400)
})

t.test('public reads can be switched off', async (t) => {
  const { app, auth } = await testApp(t, { config: { publicReports: false } })
  t.equal((await app.inject({ url: '/v1/units' })).statusCode, 401)
  t.equal((await app.inject({ url: '/v1/units', headers: auth.viewer })).statusCode, 200)
  t.equal((await app.inject({ url: '/health' })).statusCode, 200)
})
