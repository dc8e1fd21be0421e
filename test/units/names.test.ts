import t from 'tap'
import { bareKey, foldName, stripCommittee, stripUnitType, cleanText } from '../../src/units/names.ts'

t.test('tone-mark placement, case and normalisation form do not matter', async (t) => {
  const forms = ['Thủy', 'Thuỷ', 'thuy', 'THỦY', 'Thủy'.normalize('NFD'), 'Thuỷ'.normalize('NFD')]
  for (const f of forms) t.equal(foldName(f), 'thuy', JSON.stringify(f))
  t.equal(foldName('Hòa'), foldName('Hoà'))
  t.equal(foldName('Đức Linh'), 'duc linh')
  t.equal(foldName('  Phú   Quí  '), 'phu qui')
})

t.test('committee and unit-type words are stripped', async (t) => {
  t.equal(bareKey('Ủy ban nhân dân xã Tân Hà'), 'tan ha')
  t.equal(bareKey('UBND Phường Mũi Né'), 'mui ne')
  t.equal(bareKey('Uỷ ban nhân dân thị trấn Liên Hương'), 'lien huong')
  t.equal(bareKey('Thành phố Phan Thiết'), 'phan thiet')
  t.equal(bareKey('Xã Vũ Hoà'), bareKey('xa Vu Hoa'))
  t.equal(bareKey('Phường 1'), 'phuong 1', 'numbered wards keep their type word')
  t.equal(stripCommittee('ubnd'), '')
  t.equal(stripUnitType('xa'), 'xa', 'a lone type word is kept')
})

t.test('cleanText stores NFC with collapsed spaces', async (t) => {
  const nfd = 'Xã  Tân Hà'.normalize('NFD')
  t.equal(cleanText(nfd), 'Xã Tân Hà')
  t.equal(cleanText(nfd).length, 'Xã Tân Hà'.normalize('NFC').length)
})
