import t from 'tap'
import { chooseUnit, type UnitRow } from '../../src/certificates/match.ts'
import { lookupKeys, subjectMentions } from '../../src/certificates/subject-mentions.ts'
import { certificateStatus } from '../../src/certificates/status.ts'
import { dayVn } from '../../src/lib/dates.ts'

const unit = (code: string, name: string, type: string, parentCode: string, bareKey: string, extra: Partial<UnitRow> = {}): UnitRow =>
  ({ id: Number(code), committeeId: Number(code), placeCodes: [code, parentCode, '60'], code, name, type, level: 'commune', parentCode, districtCode: parentCode, provinceCode: '60', bareKey, validFrom: null, validTo: null, ...extra })
const place = (code: string, name: string, type: string, level: string, bareKey: string): UnitRow =>
  ({ id: Number(code), committeeId: Number(code), placeCodes: [code], code, name, type, level, parentCode: level === 'district' ? '60' : null, districtCode: null, provinceCode: '60', bareKey, validFrom: null, validTo: null })

const rows = [
  unit('23221', 'Xã Tân Hà', 'xa', '600', 'tan ha'), unit('23257', 'Xã Tân Hà', 'xa', '601', 'tan ha'),
  place('600', 'Huyện Đức Linh', 'huyen', 'district', 'duc linh'), place('601', 'Huyện Hàm Tân', 'huyen', 'district', 'ham tan'),
  place('60', 'Tỉnh Bình Thuận', 'tinh', 'province', 'binh thuan'),
]

t.test('mentions and keys', async (t) => {
  const m = subjectMentions([{ type: 'CN', value: 'UBND xã Tân Hà, huyện Đức Linh' }, { type: 'L', value: 'Tỉnh Bình Thuận' }], 'organization')
  t.same(lookupKeys(m), { communeKeys: ['tan ha'], placeKeys: ['duc linh', 'binh thuan'] })
  t.same(subjectMentions([{ type: 'CN', value: 'Nguyễn Văn A' }], 'individual'), [], 'a person\'s CN is not a place')
})

t.test('choosing', async (t) => {
  const choose = (attrs: [string, string][], day = '2024-01-01') =>
    chooseUnit(subjectMentions(attrs.map(([type, value]) => ({ type, value })), 'organization'), rows, day)
  t.match(choose([['CN', 'UBND xã Tân Hà'], ['OU', 'UBND huyện Hàm Tân']]), { outcome: 'matched', unit: { code: '23257' } })
  t.match(choose([['CN', 'UBND xa Tan Ha'], ['L', 'Duc Linh']]), { outcome: 'matched', unit: { code: '23221' } })
  t.match(choose([['CN', 'UBND xã Tân Hà']]), { outcome: 'ambiguous', candidates: [{ code: '23221' }, { code: '23257' }] })
  t.match(choose([['CN', 'UBND xã Tân Hà'], ['L', 'Huyện Tánh Linh']]), { outcome: 'not_found' }, 'a named district that fits neither is a constraint, not a preference')
  t.match(choose([['CN', 'UBND huyện Đức Linh']]), { outcome: 'not_found' }, 'a district is not a commune')
  const dated = [unit('1', 'Xã Mới', 'xa', '600', 'moi', { validFrom: '2020-01-01' })]
  t.match(chooseUnit(subjectMentions([{ type: 'CN', value: 'UBND xã Mới' }], 'organization'), dated, '2020-01-01'), { outcome: 'matched' }, 'valid_from inclusive')
  t.match(chooseUnit(subjectMentions([{ type: 'CN', value: 'UBND xã Mới' }], 'organization'), dated, '2019-12-31'), { outcome: 'not_found' })
})

t.test('status', async (t) => {
  const c = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2029-01-01T00:00:00Z'), revokedAt: null }
  t.equal(certificateStatus(c, new Date('2023-12-31T23:59:59Z')), 'not_yet_valid')
  t.equal(certificateStatus(c, new Date('2024-01-01T00:00:00Z')), 'valid')
  t.equal(certificateStatus(c, new Date('2029-01-01T00:00:00Z')), 'expired')
  t.equal(certificateStatus({ ...c, revokedAt: new Date('2025-01-01T00:00:00Z') }, new Date('2025-01-01T00:00:00Z')), 'revoked')
  t.equal(certificateStatus({ ...c, revokedAt: new Date('2025-01-01T00:00:00Z') }, new Date('2024-12-31T00:00:00Z')), 'valid')
  t.equal(dayVn(new Date('2024-02-29T17:00:00Z')), '2024-03-01', 'days are Vietnam days')
})
