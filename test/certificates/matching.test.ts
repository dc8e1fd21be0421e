import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { day, hierarchy, leaf, stored, subject, tanHaDucLinh, trust } from '../helpers/pki.ts'
import type { NameSpec } from '../../src/pki/issue.ts'

const EXTRA_UNITS = [
  'code,name,type,level,parent_code,valid_from,valid_to',
  '99001,Phường 1,phuong,commune,593,,',
  '99002,Phường 2,phuong,commune,593,,',
  '99010,Xã Đồng Mới,xa,commune,599,2020-01-01,',
  '99011,Xã Đồng Cũ,xa,commune,599,,2019-12-31',
].join('\n')

t.test('finding the unit from the subject', async (t) => {
  const { app, auth, database } = await testApp(t)
  const h = hierarchy('Match')
  await trust(app, auth.admin, h, { intermediate: true })
  const imported = await app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, 'content-type': 'text/csv' }, payload: EXTRA_UNITS })
  t.equal(imported.statusCode, 200, imported.body)

  const upload = (name: NameSpec, query = '', opts: Parameters<typeof leaf>[2] = {}) =>
    app.inject({ method: 'POST', url: `/v1/certificates${query}`, headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: leaf(h, name, opts).pem })

  const matches: [string, NameSpec, string, string?][] = [
    ['province in ST, district in L, commune in CN', tanHaDucLinh(), '23221'],
    ['district after a comma in CN', subject(['CN', 'UBND xã Tân Hà, huyện Hàm Tân']), '23257'],
    ['district and province in CN without commas', subject(['CN', 'UBND xã Tân Hà huyện Đức Linh tỉnh Bình Thuận']), '23221'],
    ['district in an OU (G1 order)', subject(['O', 'UBND tỉnh Bình Thuận'], ['OU', 'Sở Nội vụ'], ['OU', 'UBND huyện Hàm Tân'], ['L', 'Bình Thuận'], ['CN', 'UBND xã Tân Hà']), '23257'],
    ['district name alone in L', subject(['L', 'Đức Linh'], ['O', 'UBND tỉnh Bình Thuận'], ['CN', 'Ủy ban nhân dân xã Tân Hà']), '23221'],
    ['ASCII first-generation subject', subject(['O', 'UBND tinh Binh Thuan'], ['OU', 'UBND huyen Duc Linh'], ['L', 'Binh Thuan'], ['CN', 'UBND xa Tan Ha']), '23221'],
    ['upper case', subject(['L', 'TỈNH BÌNH THUẬN'], ['OU', 'HUYỆN HÀM TÂN'], ['CN', 'ỦY BAN NHÂN DÂN XÃ TÂN HÀ']), '23257'],
    ['NFD text', tanHaDucLinh().map(([k, v]) => [k, v.normalize('NFD')] as [string, string]), '23221'],
    ['BMPString values', [['C', 'VN'], ['L', 'Huyện Hàm Tân', 'bmp'], ['CN', 'Ủy ban nhân dân xã Tân Hà', 'bmp']], '23257'],
    ['old tone mark (Hoà) against GSO Hòa', subject(['L', 'Bình Thuận'], ['CN', 'UBND xã Hoà Minh']), '22993'],
    ['new tone mark (Hòa) against GSO Hoà', subject(['L', 'Bình Thuận'], ['CN', 'Ủy ban nhân dân xã Vũ Hòa']), '23218'],
    ['ward Bình Tân: the type word decides', subject(['L', 'Bình Thuận'], ['CN', 'UBND phường Bình Tân']), '23237'],
    ['commune Bình Tân: the type word decides', subject(['L', 'Bình Thuận'], ['CN', 'UBND xã Bình Tân']), '23047'],
    ['Bình Tân without type word, the district decides', subject(['L', 'Thị xã La Gi'], ['CN', 'UBND Bình Tân']), '23237'],
    ['town (thị trấn)', subject(['L', 'Bình Thuận'], ['CN', 'UBND thị trấn Liên Hương']), '22969'],
    ['numbered ward keeps its type word', subject(['L', 'Thành phố Phan Thiết'], ['CN', 'UBND Phường 1']), '99001'],
    ['numbered ward, ASCII', subject(['CN', 'UBND phuong 2, TP Phan Thiet']), '99002'],
    ['a unit that exists at notBefore', subject(['CN', 'UBND xã Đồng Mới']), '99010'],
  ]
  for (const [name, subj, code] of matches) {
    const res = await upload(subj)
    t.equal(res.statusCode, 201, `${name}: ${res.body.slice(0, 400)}`)
    t.equal(res.json().unitCode, code, name)
    t.equal(res.json().matchedBy, 'subject', name)
  }

  t.test('subject text is stored NFC', async (t) => {
    const res = await upload(subject(['CN', 'Ủy ban nhân dân phường Mũi Né'.normalize('NFD')], ['L', 'Phan Thiết']), '', {})
    t.equal(res.statusCode, 201, res.body)
    t.equal(res.json().subject.CN, 'Ủy ban nhân dân phường Mũi Né'.normalize('NFC'))
    t.same(res.json().warnings, [])
  })

  t.test('a unit named with another type word is matched by its name, with a warning', async (t) => {
    const res = await upload(subject(['L', 'Bình Thuận'], ['CN', 'UBND xã Mũi Né']))
    t.equal(res.statusCode, 201, res.body)
    t.equal(res.json().unitCode, '22915')
    t.same(res.json().warnings.map((w: { code: string }) => w.code), ['unit_type_differs'])
  })

  t.test('a person\'s certificate: CN names the person, the unit comes from O/OU/L', async (t) => {
    const person = subject(['L', 'Bình Thuận'], ['O', 'UBND phường Mũi Né'], ['CN', 'Tân Hà'])
    const res = await upload(person, '?kind=individual')
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json(), { unitCode: '22915', kind: 'individual' })
  })

  t.test('refusals: unit_not_found, unit_ambiguous with candidates, unit not existing at notBefore', async (t) => {
    const before = await stored(database.db)
    const notFound = await upload(subject(['L', 'Bình Thuận'], ['CN', 'UBND xã Không Có Thật']))
    t.equal(notFound.statusCode, 422)
    t.equal(notFound.json().problems[0].code, 'unit_not_found')
    t.match(notFound.json().problems[0].message, /khong co that/)

    const ambiguous = await upload(subject(['L', 'Bình Thuận'], ['CN', 'UBND xã Tân Hà']))
    t.equal(ambiguous.statusCode, 422)
    const p = ambiguous.json().problems.find((x: { code: string }) => x.code === 'unit_ambiguous')
    t.ok(p, 'unit_ambiguous')
    t.same(p.candidates, [
      { code: '23221', name: 'Xã Tân Hà', parentCode: '600' },
      { code: '23257', name: 'Xã Tân Hà', parentCode: '601' },
    ])
    const untyped = await upload(subject(['CN', 'UBND Bình Tân']))
    t.same(untyped.json().problems[0].candidates.map((c: { code: string }) => c.code), ['23047', '23237'])

    const gone = await upload(subject(['CN', 'UBND xã Đồng Cũ']))
    t.equal(gone.statusCode, 422)
    t.equal(gone.json().problems[0].code, 'unit_not_found')
    t.match(gone.json().problems[0].message, /was not in force on 2024-03-01/)
    const notYet = await upload(subject(['CN', 'UBND xã Đồng Mới']), '', { notBefore: day('2018-05-01') })
    t.equal(notYet.json().problems[0].code, 'unit_not_found')
    t.same(await stored(database.db), before, 'nothing stored')

    const past = await upload(subject(['CN', 'UBND xã Đồng Cũ']), '', { notBefore: day('2018-05-01') })
    t.equal(past.statusCode, 201, 'the old commune matches a certificate of its time')
    t.equal(past.json().unitCode, '99011')
  })
})
