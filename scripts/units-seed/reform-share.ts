/**
 * The share of one pair of the 2025 reform mapping, from NSO's note.
 * `rule` names the rule that decided, so the generator can list every note that was not
 * settled by one of the three main values.
 */
export type Share = 'whole' | 'part' | 'unchanged'

export type ShareRule =
  | 'kept' // Giữ nguyên
  | 'merged-whole' // Nhập toàn bộ…
  | 'merged-part' // Nhập một phần… / Nhâp một phần…
  | 'renamed' // Đổi tên / Đổi loại hình, same code, the old unit went only into this one
  | 'district-to-dac-khu' // Sắp xếp toàn bộ … thành đặc khu
  | 'other-part' // anything else, including renames from a part of a unit

export const MAIN_RULES: readonly ShareRule[] = ['kept', 'merged-whole', 'merged-part']

export function shareOf(note: string, oldCode: string, newCode: string, newUnitsOfOld: number): { share: Share; rule: ShareRule } {
  const n = note.normalize('NFC').trim()
  if (n === 'Giữ nguyên') return { share: 'unchanged', rule: 'kept' }
  if (n.startsWith('Nhập toàn bộ')) return { share: 'whole', rule: 'merged-whole' }
  if (/^Nh[ậâ]p một phần/.test(n)) return { share: 'part', rule: 'merged-part' }
  if (/^Sắp xếp toàn bộ .+ thành đặc khu/.test(n)) return { share: 'whole', rule: 'district-to-dac-khu' }
  const renamed = /^Đổi (tên|loại hình)/.test(n) && !n.startsWith('Đổi tên từ một phần')
  if (renamed && oldCode === newCode && newUnitsOfOld === 1) return { share: 'unchanged', rule: 'renamed' }
  return { share: 'part', rule: 'other-part' }
}
