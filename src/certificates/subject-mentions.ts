/**
 * The places a certificate subject mentions. Pure. Every attribute that can carry a place (CN, O, OU…,
 * L, ST; not CN for a person's certificate) is cut into mentions: `UBND xã Tân Hà, huyện Đức Linh` gives
 * `xã Tân Hà` (a commune mention, key `tan ha`, type word `xa`) and `huyện Đức Linh` (a district mention,
 * key `duc linh`). Names are folded with units/names.ts, so case, diacritics, tone-mark placement and
 * NFC/NFD do not matter. The caller loads the unit versions whose bare keys are mentioned (`lookupKeys`).
 */
import { foldName, stripCommittee, stripUnitType } from '../units/names.ts'
import type { UnitType } from '../units/types.ts'

export type Kind = 'organization' | 'individual'
export type SubjectAttribute = { type: string; value: string }
export type MentionLevel = 'commune' | 'district' | 'place' | 'province'

export type Mention = {
  /** The folded bare name, as admin_units.bare_key holds it. */
  key: string
  /** The folded unit-type word that preceded the name, if any. */
  typeWord: string | null
  /** What the type word says the unit is; null when there was none. */
  level: MentionLevel | null
  types: readonly UnitType[] | null
  attribute: string
  /** A whole attribute part (between commas), not a piece cut at an inner type word. */
  whole: boolean
}

const TYPE_WORDS: Record<string, { level: MentionLevel; types: readonly UnitType[] }> = {
  xa: { level: 'commune', types: ['xa'] },
  phuong: { level: 'commune', types: ['phuong'] },
  'thi tran': { level: 'commune', types: ['thi_tran'] },
  tt: { level: 'commune', types: ['thi_tran'] },
  'dac khu': { level: 'commune', types: ['dac_khu'] },
  huyen: { level: 'district', types: ['huyen'] },
  quan: { level: 'district', types: ['quan'] },
  'thi xa': { level: 'district', types: ['thi_xa'] },
  tx: { level: 'district', types: ['thi_xa'] },
  'thanh pho': { level: 'place', types: ['thanh_pho', 'thanh_pho_tw'] },
  tp: { level: 'place', types: ['thanh_pho', 'thanh_pho_tw'] },
  'thanh pho truc thuoc trung uong': { level: 'province', types: ['thanh_pho_tw'] },
  tinh: { level: 'province', types: ['tinh'] },
}

/** Words at which one attribute part is cut again: `xã Tân Hà huyện Đức Linh` → two mentions. */
const INNER_CUTS = ['uy ban nhan dan', 'ubnd', 'huyen', 'quan', 'thi xa', 'thanh pho', 'tinh', 'tp', 'tx']

const PLACE_ATTRIBUTES = ['CN', 'O', 'OU', 'L', 'ST']
const MAX_MENTIONS = 64

/** Type word and bare key of one folded piece (`xa tan ha` → `xa`, `tan ha`; numbered wards keep their word). */
function classify(piece: string): { typeWord: string | null; key: string } {
  const s = stripCommittee(piece)
  const bare = stripUnitType(s)
  if (bare !== s) return { typeWord: s.slice(0, s.length - bare.length).trim(), key: bare }
  const numbered = /^(.+) (\d+)$/.exec(s)
  if (numbered && stripUnitType(`${numbered[1]} x`) === 'x') return { typeWord: numbered[1], key: s }
  return { typeWord: null, key: s }
}

const INNER_CUT_WORDS = INNER_CUTS.map((w) => w.split(' '))

/** Cuts a folded part before each inner committee phrase or district/province type word. */
function innerPieces(folded: string): string[] {
  const words = folded.split(' ')
  if (words.length < 3) return []
  const cuts: number[] = []
  for (let i = 1; i < words.length; i++) {
    if (INNER_CUT_WORDS.some((cut) => cut.every((w, j) => words[i + j] === w))) cuts.push(i)
  }
  if (!cuts.length) return []
  const pieces: string[] = []
  let start = 0
  for (const c of [...cuts, words.length]) {
    pieces.push(words.slice(start, c).join(' '))
    start = c
  }
  return pieces
}

/** The place mentions of a subject. */
export function subjectMentions(attributes: SubjectAttribute[], kind: Kind): Mention[] {
  const out: Mention[] = []
  const seen = new Set<string>()
  const add = (piece: string, attribute: string, whole: boolean) => {
    const { typeWord, key } = classify(piece)
    if (!key || (typeWord === null && TYPE_WORDS[key]) || key === 'uy ban nhan dan' || key === 'ubnd') return
    const word = typeWord === null ? null : TYPE_WORDS[typeWord] ?? null
    const id = `${attribute}|${typeWord}|${key}|${whole}`
    if (seen.has(id) || out.length >= MAX_MENTIONS) return
    seen.add(id)
    out.push({ key, typeWord, level: word?.level ?? null, types: word?.types ?? null, attribute, whole })
  }
  for (const { type, value } of attributes) {
    if (!PLACE_ATTRIBUTES.includes(type)) continue
    if (type === 'CN' && kind === 'individual') continue
    for (const part of value.split(/[,;/()|]|\s[-–—]\s/)) {
      const folded = foldName(part)
      if (!folded) continue
      add(folded, type, true)
      for (const piece of innerPieces(folded)) add(piece, type, false)
    }
  }
  return out
}

/** Bare keys to load: communes by the keys of commune-or-untyped mentions, places by the others. */
export function lookupKeys(mentions: Mention[]): { communeKeys: string[]; placeKeys: string[] } {
  const communeKeys = new Set<string>()
  const placeKeys = new Set<string>()
  for (const m of mentions) {
    if (m.level === null || m.level === 'commune') communeKeys.add(m.key)
    if (m.level !== 'commune') placeKeys.add(m.key)
  }
  return { communeKeys: [...communeKeys], placeKeys: [...placeKeys] }
}
