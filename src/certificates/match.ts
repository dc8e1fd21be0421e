/**
 * Finds the commune-level People's Committee a certificate subject names, on the day the certificate
 * became valid, and checks an explicit unit against the subject. Pure: the caller loads every version of
 * the units whose bare keys the subject mentions (subject-mentions.ts, `lookupKeys`).
 *
 * Candidates are the communes in force on the day that a mention names (by bare key, with no contradicting
 * type word). A province or district the subject names is a constraint, never a preference: a commune
 * outside every place a mention can denote is no candidate. A place that ended before the day stands for
 * the units descending from it (through lineage, as placeCodes records), with a warning. Among the remaining
 * candidates, those named with a commune type word, in an organisation attribute, by a whole attribute part win.
 */
import { inForceOn } from '../units/rules.ts'
import type { UnitType } from '../units/types.ts'
import type { Mention, MentionLevel } from './subject-mentions.ts'

export type { Kind, Mention, SubjectAttribute } from './subject-mentions.ts'

export type UnitRow = {
  id: number
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
  committeeId: number
  placeCodes: string[]
}

export type Candidate = { code: string; name: string; parentCode: string | null }

export type MatchResult =
  | { outcome: 'matched'; unit: UnitRow; warnings: string[] }
  | { outcome: 'not_found'; message: string }
  | { outcome: 'ambiguous'; message: string; candidates: Candidate[] }

function fits(m: Mention, unit: UnitRow, levels: (MentionLevel | null)[]): boolean {
  return m.key === unit.bareKey && levels.includes(m.level) && (m.types === null || m.types.includes(unit.type as UnitType))
}

const NAME_ATTRIBUTES = new Set(['CN', 'O', 'OU'])

function rank(m: Mention): number {
  return (m.typeWord ? 4 : 0) + (NAME_ATTRIBUTES.has(m.attribute) ? 2 : 0) + (m.whole ? 1 : 0)
}

/** A place mention and the place versions (up to the day) it can denote. */
type PlaceConstraint = { mention: Mention; current: UnitRow[]; former: UnitRow[] }

/**
 * The place constraints of the subject on `day`: typed district, province or city mentions, and untyped
 * mentions that name a province or district. A typed mention naming no known place is kept with no place,
 * so that nothing satisfies it.
 */
function placeConstraints(mentions: Mention[], rows: UnitRow[], day: string): PlaceConstraint[] {
  const places = rows.filter((r) => r.level !== 'commune' && (r.validFrom === null || r.validFrom <= day))
  const out: PlaceConstraint[] = []
  for (const m of mentions) {
    if (m.level === 'commune') continue
    const denoted = places.filter((p) => fits(m, p, m.level === null ? [null] : [m.level]))
    if (m.level === null && !denoted.length) continue
    out.push({ mention: m, current: denoted.filter((p) => inForceOn(p, day)), former: denoted.filter((p) => !inForceOn(p, day)) })
  }
  return out
}

/** Whether a commune in force on the day lies in a place the constraint denotes; `viaFormer` when only through lineage. */
function satisfies(unit: UnitRow, c: PlaceConstraint): { ok: boolean; viaFormer?: UnitRow } {
  // An untyped name in CN, O or OU may be the commune's own; in L and ST it names a place.
  if (c.mention.level === null && c.mention.key === unit.bareKey && NAME_ATTRIBUTES.has(c.mention.attribute)) return { ok: true }
  if (c.current.some((p) => p.code === unit.districtCode || p.code === unit.provinceCode || p.code === unit.parentCode)) return { ok: true }
  const former = c.former.find((p) => unit.placeCodes.includes(p.code))
  return former ? { ok: true, viaFormer: former } : { ok: false }
}

function formerWarning(unit: UnitRow, former: UnitRow): string {
  return `The subject names ${former.name} (${former.code}), which ended on ${former.validTo}; ${unit.name} (${unit.code}) descends from it, so it was taken to mean that territory. The next certificate should name the units in force.`
}

function describe(c: PlaceConstraint): string {
  const m = c.mention
  return m.typeWord ? `${m.typeWord} ${m.key}` : m.key
}

/** Chooses the commune among `rows` that the mentions name, among the units in force on `day` (YYYY-MM-DD, Vietnam time). */
export function chooseUnit(mentions: Mention[], rows: UnitRow[], day: string): MatchResult {
  const communes = rows.filter((r) => r.level === 'commune')
  const named = (unit: UnitRow) => mentions.filter((m) => fits(m, unit, ['commune', null]))
  // A commune named with another commune type word (`xã Mũi Né` for Phường Mũi Né: upgraded since, or
  // written loosely) stays a candidate of the lowest rank, so that it is chosen only when nothing fits better.
  const misnamed = (unit: UnitRow) => mentions.some((m) => m.key === unit.bareKey && m.level === 'commune')
  const named0 = communes.filter((c) => inForceOn(c, day))
    .map((unit) => ({ unit, rank: Math.max(misnamed(unit) ? 0 : -1, ...named(unit).map((m) => rank(m) + 1)) }))
    .filter((c) => c.rank >= 0)

  if (!named0.length) {
    const elsewhen = communes.filter((c) => named(c).length > 0 || misnamed(c))
    const described = describeMentions(mentions)
    return {
      outcome: 'not_found',
      message: elsewhen.length
        ? `The subject names ${[...new Set(elsewhen.map((u) => `${u.name} (${u.code})`))].join(', ')}, which was not in force on ${day}, the day the certificate became valid. Send unitCode to choose the unit.`
        : described
          ? `No commune, ward or town found for the names in the subject (${described}). Send unitCode to choose the unit.`
          : 'The subject names no commune, ward or town. Send unitCode to choose the unit.',
    }
  }

  const constraints = placeConstraints(mentions, rows, day)
  const warningsOf = new Map<UnitRow, string[]>()
  const kept = named0.filter(({ unit }) => {
    const warnings: string[] = []
    for (const c of constraints) {
      const s = satisfies(unit, c)
      if (!s.ok) return false
      if (s.viaFormer) warnings.push(formerWarning(unit, s.viaFormer))
    }
    warningsOf.set(unit, [...new Set(warnings)])
    return true
  })
  if (!kept.length) {
    const places = [...new Set(constraints.map(describe))].map((p) => `"${p}"`).join(', ')
    return {
      outcome: 'not_found',
      message: `The subject names ${[...new Set(named0.map((c) => `${c.unit.name} (${c.unit.code})`))].join(', ')}, but none lies in ${places} as named in the same subject on ${day}. Check the certificate, or send unitCode.`,
    }
  }
  const best = Math.max(...kept.map((c) => c.rank))
  const top = kept.filter((c) => c.rank === best)

  if (top.length === 1) {
    const { unit, rank: r } = top[0]
    const warnings = warningsOf.get(unit) ?? []
    if (r === 0) warnings.unshift(`The subject calls the unit by another type word than ${unit.name} (${unit.code}) has; it was matched by its name.`)
    return { outcome: 'matched', unit, warnings }
  }
  const list = top.map((c) => c.unit).sort((a, b) => a.code.localeCompare(b.code))
  return {
    outcome: 'ambiguous',
    message: `The subject fits ${list.length} units: ${list.map((u) => `${u.name} (${u.code}, under ${u.parentCode ?? 'no parent'})`).join(', ')}. Send unitCode to choose one, or put the district or province in the subject.`,
    candidates: list.map((u) => ({ code: u.code, name: u.name, parentCode: u.parentCode })),
  }
}

/**
 * What in the subject contradicts an explicitly chosen unit (in force on `day`): a commune named with a
 * commune type word that is not this unit, or a named province or district that this unit does not lie in.
 * Names that match no known unit are not contradictions. Returns the messages (empty: no contradiction)
 * and the warnings for places named by a former name.
 */
export function explicitUnitConflicts(unit: UnitRow, mentions: Mention[], rows: UnitRow[], day: string): { conflicts: string[]; warnings: string[] } {
  const conflicts: string[] = []
  const warnings: string[] = []
  const knownCommuneKeys = new Set(rows.filter((r) => r.level === 'commune').map((r) => r.bareKey))
  for (const m of mentions) {
    if (m.level === 'commune' && m.key !== unit.bareKey && knownCommuneKeys.has(m.key)) {
      conflicts.push(`The subject names ${m.typeWord} "${m.key}" (in ${m.attribute}), not ${unit.name} (${unit.code}).`)
    }
  }
  for (const c of placeConstraints(mentions, rows, day)) {
    if (!c.current.length && !c.former.length) continue
    const s = satisfies(unit, c)
    if (!s.ok) conflicts.push(`The subject names "${describe(c)}" (in ${c.mention.attribute}), and ${unit.name} (${unit.code}) does not lie there on ${day}.`)
    else if (s.viaFormer) warnings.push(formerWarning(unit, s.viaFormer))
  }
  return { conflicts: [...new Set(conflicts)], warnings: [...new Set(warnings)] }
}

function describeMentions(mentions: Mention[]): string {
  return [...new Set(mentions.filter((m) => m.level === null || m.level === 'commune').map((m) => (m.typeWord ? `${m.typeWord} ${m.key}` : m.key)))]
    .slice(0, 5).map((s) => `"${s}"`).join(', ')
}
