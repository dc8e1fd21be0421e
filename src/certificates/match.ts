/**
 * Finds the commune-level People's Committee a certificate subject names. Pure: the caller loads
 * the few unit rows whose bare keys the subject mentions (`lookupKeys`) and hands them to `chooseUnit`.
 *
 * Every attribute that can carry a place (CN, O, OU…, L, ST; not CN for a person's certificate) is
 * cut into mentions: `UBND xã Tân Hà, huyện Đức Linh` gives `xã Tân Hà` (a commune mention, key
 * `tan ha`, type word `xa`) and `huyện Đức Linh` (a district mention, key `duc linh`). Names are
 * folded with units/names.ts, so case, diacritics, tone-mark placement and NFC/NFD do not matter.
 *
 * A commune is a candidate when a mention carries its bare key and no contradicting type word.
 * Candidates under a district or province that the subject also names are preferred (when any
 * are), then those named with an explicit commune type word, in an organisation attribute, by a
 * whole attribute part rather than a piece of one.
 */
import { foldName, stripCommittee, stripUnitType } from '../units/names.ts'
import type { UnitType } from '../units/types.ts'

export type Kind = 'organization' | 'individual'
export type SubjectAttribute = { type: string; value: string }
type MentionLevel = 'commune' | 'district' | 'place' | 'province'

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

export type UnitRow = {
  code: string
  name: string
  type: string
  level: string
  parentCode: string | null
  districtCode: string | null
  provinceCode: string | null
  bareKey: string
  validFrom: string | null
  validTo: string | null
}

export type Candidate = { code: string; name: string; parentCode: string | null }

export type MatchResult =
  | { outcome: 'matched'; unit: UnitRow; warning?: string }
  | { outcome: 'not_found'; message: string }
  | { outcome: 'ambiguous'; message: string; candidates: Candidate[] }

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

/** Whether a unit exists on a day (valid_from and valid_to inclusive, null open). */
export function existsOn(unit: Pick<UnitRow, 'validFrom' | 'validTo'>, day: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= day) && (unit.validTo === null || unit.validTo >= day)
}

function fits(m: Mention, unit: UnitRow, levels: (MentionLevel | null)[]): boolean {
  return m.key === unit.bareKey && levels.includes(m.level) && (m.types === null || m.types.includes(unit.type as UnitType))
}

const NAME_ATTRIBUTES = new Set(['CN', 'O', 'OU'])

function rank(m: Mention): number {
  return (m.typeWord ? 4 : 0) + (NAME_ATTRIBUTES.has(m.attribute) ? 2 : 0) + (m.whole ? 1 : 0)
}

/** Keeps the candidates that pass `keep`, unless none would. */
function prefer<T>(list: T[], keep: (item: T) => boolean): T[] {
  const kept = list.filter(keep)
  return kept.length ? kept : list
}

/**
 * Chooses the commune among `rows` (communes and places loaded by `lookupKeys`) that the mentions name,
 * among units that exist on `day` (YYYY-MM-DD, the certificate's notBefore in Vietnam time).
 */
export function chooseUnit(mentions: Mention[], rows: UnitRow[], day: string): MatchResult {
  const communes = rows.filter((r) => r.level === 'commune')
  const named = (unit: UnitRow) => mentions.filter((m) => fits(m, unit, ['commune', null]))
  // A commune named with another commune type word (`xã Mũi Né` for Phường Mũi Né: upgraded since, or
  // written loosely) stays a candidate of the lowest rank, so that it is chosen only when nothing fits better.
  const misnamed = (unit: UnitRow) => mentions.some((m) => m.key === unit.bareKey && m.level === 'commune')
  let candidates = communes.filter((c) => existsOn(c, day))
    .map((unit) => ({ unit, rank: Math.max(misnamed(unit) ? 0 : -1, ...named(unit).map((m) => rank(m) + 1)) }))
    .filter((c) => c.rank >= 0)

  if (!candidates.length) {
    const elsewhen = communes.filter((c) => named(c).length > 0 || misnamed(c))
    const described = describeMentions(mentions)
    return {
      outcome: 'not_found',
      message: elsewhen.length
        ? `The subject names ${elsewhen.map((u) => `${u.name} (${u.code})`).join(', ')}, which did not exist on ${day}, the day the certificate became valid. Send unitCode to choose the unit.`
        : described
          ? `No commune, ward or town found for the names in the subject (${described}). Send unitCode to choose the unit.`
          : 'The subject names no commune, ward or town. Send unitCode to choose the unit.',
    }
  }

  const places = rows.filter((r) => r.level !== 'commune')
  const districts = new Set(places.filter((p) => p.level === 'district' && mentions.some((m) => fits(m, p, ['district', 'place', null]))).map((p) => p.code))
  const provinces = new Set(places.filter((p) => p.level === 'province' && mentions.some((m) => fits(m, p, ['province', 'place', null]))).map((p) => p.code))
  if (districts.size) candidates = prefer(candidates, (c) => districts.has(c.unit.districtCode ?? '') || districts.has(c.unit.parentCode ?? ''))
  if (provinces.size) candidates = prefer(candidates, (c) => provinces.has(c.unit.provinceCode ?? ''))
  const best = Math.max(...candidates.map((c) => c.rank))
  candidates = candidates.filter((c) => c.rank === best)

  if (candidates.length === 1) {
    const { unit, rank: r } = candidates[0]
    return r === 0
      ? { outcome: 'matched', unit, warning: `The subject calls the unit by another type word than ${unit.name} (${unit.code}) has; it was matched by its name.` }
      : { outcome: 'matched', unit }
  }
  const list = candidates.map((c) => c.unit).sort((a, b) => a.code.localeCompare(b.code))
  return {
    outcome: 'ambiguous',
    message: `The subject fits ${list.length} units: ${list.map((u) => `${u.name} (${u.code}, under ${u.parentCode ?? 'no parent'})`).join(', ')}. Send unitCode to choose one, or put the district in the subject.`,
    candidates: list.map((u) => ({ code: u.code, name: u.name, parentCode: u.parentCode })),
  }
}

function describeMentions(mentions: Mention[]): string {
  return [...new Set(mentions.filter((m) => m.level === null || m.level === 'commune').map((m) => (m.typeWord ? `${m.typeWord} ${m.key}` : m.key)))]
    .slice(0, 5).map((s) => `"${s}"`).join(', ')
}
