import { shareOf, type Share, type ShareRule } from './reform-share.ts'

/** One row of the history file; empty strings where the file has empty cells. */
export type Version = {
  code: string
  name: string
  type: string
  level: string
  parentCode: string
  validFrom: string
  validTo: string
}

export type LineageRow = {
  oldCode: string
  oldValidTo: string
  newCode: string
  newValidFrom: string
  share: Share
  origin: 'reform-commune' | 'reform-province' | 'continuation'
}

export type NotePair = { oldCode: string; newCode: string; note: string }
export type ProvinceMove = { oldCode: string; newCode: string }

export const REFORM_LAST_OLD_DAY = '2025-06-30'
export const REFORM_FIRST_NEW_DAY = '2025-07-01'

export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

/** Versions by code, oldest first (empty valid_from sorts first). */
export function versionsByCode(history: Version[]): Map<string, Version[]> {
  const byCode = new Map<string, Version[]>()
  for (const v of history) {
    const list = byCode.get(v.code) ?? []
    list.push(v)
    byCode.set(v.code, list)
  }
  for (const list of byCode.values()) list.sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0))
  return byCode
}

export type CommuneReform = {
  rows: LineageRow[]
  byNote: Map<string, { share: Share; rule: ShareRule; count: number; pairs: string[] }>
}

/** (a) The 2025 reform, commune level: one row per pair of NSO's conversion table. */
export function reformCommuneRows(pairs: NotePair[]): CommuneReform {
  const newUnitsOfOld = new Map<string, number>()
  for (const p of pairs) newUnitsOfOld.set(p.oldCode, (newUnitsOfOld.get(p.oldCode) ?? 0) + 1)
  const rows: LineageRow[] = []
  const byNote = new Map<string, { share: Share; rule: ShareRule; count: number; pairs: string[] }>()
  for (const p of pairs) {
    const { share, rule } = shareOf(p.note, p.oldCode, p.newCode, newUnitsOfOld.get(p.oldCode)!)
    rows.push({ oldCode: p.oldCode, oldValidTo: REFORM_LAST_OLD_DAY, newCode: p.newCode, newValidFrom: REFORM_FIRST_NEW_DAY, share, origin: 'reform-commune' })
    const key = `${p.note}\u0000${share}\u0000${rule}`
    const seen = byNote.get(key)
    if (seen) { seen.count++; seen.pairs.push(`${p.oldCode}→${p.newCode}`) } else byNote.set(key, { share, rule, count: 1, pairs: [`${p.oldCode}→${p.newCode}`] })
  }
  return { rows, byNote }
}

/**
 * (b) The 2025 reform, provinces: an old province whose version ends on 2025-06-30 went whole
 * into its new province. The provinces that were not rearranged run on without a break.
 */
export function reformProvinceRows(moves: ProvinceMove[], byCode: Map<string, Version[]>, problems: string[]): { rows: LineageRow[]; continuing: string[] } {
  const rows: LineageRow[] = []
  const continuing: string[] = []
  for (const m of moves) {
    const versions = byCode.get(m.oldCode) ?? []
    if (versions.some((v) => v.validTo === REFORM_LAST_OLD_DAY)) {
      rows.push({ oldCode: m.oldCode, oldValidTo: REFORM_LAST_OLD_DAY, newCode: m.newCode, newValidFrom: REFORM_FIRST_NEW_DAY, share: 'whole', origin: 'reform-province' })
      continue
    }
    const across = versions.find((v) => v.validFrom <= REFORM_LAST_OLD_DAY && (v.validTo === '' || v.validTo >= REFORM_FIRST_NEW_DAY))
    if (!across || m.oldCode !== m.newCode) problems.push(`province ${m.oldCode} → ${m.newCode}: no version ends on ${REFORM_LAST_OLD_DAY}, yet it does not run on unchanged either`)
    else continuing.push(m.oldCode)
  }
  return { rows, continuing }
}

/**
 * (c) Outside the reform date, the only succession the history gives: a code whose version ends
 * on day D and whose next version starts on D + 1 is the same unit going on (renamed, new type,
 * new parent). Mergers are not in the history, so they get no row.
 */
export function continuationRows(byCode: Map<string, Version[]>): { rows: LineageRow[]; gaps: string[] } {
  const rows: LineageRow[] = []
  const gaps: string[] = []
  for (const [code, versions] of byCode) {
    for (let i = 1; i < versions.length; i++) {
      const prev = versions[i - 1]
      const next = versions[i]
      if (prev.validTo === '' || nextDay(prev.validTo) !== next.validFrom) { gaps.push(`${code} (${prev.validTo} → ${next.validFrom})`); continue }
      if (next.validFrom === REFORM_FIRST_NEW_DAY) continue
      rows.push({ oldCode: code, oldValidTo: prev.validTo, newCode: code, newValidFrom: next.validFrom, share: 'unchanged', origin: 'continuation' })
    }
  }
  rows.sort((a, b) => (a.newValidFrom !== b.newValidFrom ? (a.newValidFrom < b.newValidFrom ? -1 : 1) : a.oldCode < b.oldCode ? -1 : a.oldCode > b.oldCode ? 1 : 0))
  return { rows, gaps }
}

/** Every row must join two versions of the history, and no pair may appear twice. */
export function checkLineage(rows: LineageRow[], byCode: Map<string, Version[]>): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const r of rows) {
    const id = `${r.oldCode}@${r.oldValidTo} → ${r.newCode}@${r.newValidFrom}`
    if (seen.has(id)) problems.push(`duplicate lineage pair ${id}`)
    seen.add(id)
    if (!(byCode.get(r.oldCode) ?? []).some((v) => v.validTo === r.oldValidTo)) problems.push(`${id}: no version of ${r.oldCode} ends on ${r.oldValidTo}`)
    if (!(byCode.get(r.newCode) ?? []).some((v) => v.validFrom === r.newValidFrom)) problems.push(`${id}: no version of ${r.newCode} starts on ${r.newValidFrom}`)
    if (r.oldValidTo >= r.newValidFrom) problems.push(`${id}: the new version does not start after the old one ends`)
  }
  return problems
}
