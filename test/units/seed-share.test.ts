import t from 'tap'
import { shareOf } from '../../scripts/units-seed/reform-share.ts'

t.test('NSO notes of the 2025 reform become lineage shares', async (t) => {
  t.same(shareOf('Giữ nguyên', '23938', '23938', 1), { share: 'unchanged', rule: 'kept' })
  t.equal(shareOf('Nhập toàn bộ', '00001', '00097', 1).share, 'whole')
  t.equal(shareOf('Nhập một phần diện tích, toàn bộ dân số', '00112', '00103', 2).share, 'part')
  t.equal(shareOf('Nhâp một phần diện tích', '11041', '10999', 2).share, 'part', 'NSO\'s typo')
  t.equal(shareOf('Nhập một phần'.normalize('NFD'), '00007', '00008', 2).share, 'part', 'any normalisation form')
  t.equal(shareOf('Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo', '755', '26732', 1).share, 'whole')
})

t.test('a rename is the same committee only when the unit went whole, under its own code', async (t) => {
  t.same(shareOf('Đổi tên', '24235', '24235', 1), { share: 'unchanged', rule: 'renamed' })
  t.equal(shareOf('Đổi loại hình', '14845', '14845', 1).share, 'unchanged')
  t.equal(shareOf('Đổi tên', '24235', '99999', 1).share, 'part', 'another code')
  t.same(shareOf('Đổi tên, đổi loại hình từ một phần thị trấn Lai Uyên', '25822', '25822', 2), { share: 'part', rule: 'other-part' })
  t.equal(shareOf('Đổi tên từ một phần Phường 15', '27007', '27007', 1).share, 'part')
  t.equal(shareOf('Phần còn lại sau khi tách một phần vào xã Canh Vinh', '21997', '21997', 2).share, 'part')
})
