/**
 * Vietnamese name folding, written once for search and certificate matching.
 * `Thủy`, `Thuỷ`, `THUY` and NFD input all fold to `thuy`: every diacritic and tone mark is dropped
 * (so their placement cannot matter), `đ` becomes `d`, case and spacing are folded.
 */
// The same place names come back in every certificate of a batch and every units import: the folds of
// short texts are kept, up to a bound (at most a few megabytes).
const FOLDS_KEPT = 20_000
const FOLD_KEPT_LENGTH = 120
const folds = new Map<string, string>()

export function foldName(text: string): string {
  let folded = folds.get(text)
  if (folded === undefined) {
    folded = text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
    if (text.length <= FOLD_KEPT_LENGTH) {
      if (folds.size >= FOLDS_KEPT) folds.clear()
      folds.set(text, folded)
    }
  }
  return folded
}

/** Unit-type words as written at the front of GSO names (and in certificate subjects), longest first. */
const TYPE_PREFIXES = [
  'thanh pho truc thuoc trung uong', 'thanh pho', 'thi tran', 'thi xa', 'dac khu',
  'tinh', 'quan', 'huyen', 'phuong', 'xa', 'tp', 'tx', 'tt',
]

const COMMITTEE_PREFIXES = ['uy ban nhan dan', 'ubnd']

/** Removes a leading committee phrase (`Ủy ban nhân dân`, `UBND`) from a folded name. */
export function stripCommittee(folded: string): string {
  for (const prefix of COMMITTEE_PREFIXES) {
    if (folded === prefix) return ''
    if (folded.startsWith(prefix + ' ')) return folded.slice(prefix.length + 1)
  }
  return folded
}

/** Removes a leading unit-type word from a folded name; numbered wards keep it (`phuong 1` stays). */
export function stripUnitType(folded: string): string {
  for (const prefix of TYPE_PREFIXES) {
    if (folded.startsWith(prefix + ' ')) {
      const rest = folded.slice(prefix.length + 1)
      return /^\d+$/.test(rest) ? folded : rest
    }
  }
  return folded
}

/** The folded bare name of a unit: `Xã Tân Hà` → `tan ha`, `UBND Phường Mũi Né` → `mui ne`. */
export function bareKey(name: string): string {
  return stripUnitType(stripCommittee(foldName(name)))
}

/** NFC text with collapsed whitespace, as stored and returned. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim()
}
