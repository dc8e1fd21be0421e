import type { LineageRow, Version } from './lineage.ts'

/** Figures on the generated files that the acceptance criteria name. */

export function inForce(history: Version[], day: string): Version[] {
  return history.filter((v) => (v.validFrom === '' || v.validFrom <= day) && (v.validTo === '' || v.validTo >= day))
}

/** Units in force on `day` under `parent` (children, grandchildren), parents resolved on that day. */
export function under(history: Version[], day: string, parent: string, level?: string): Version[] {
  const current = inForce(history, day)
  const parentOf = new Map(current.map((v) => [v.code, v.parentCode]))
  const isUnder = (code: string): boolean => {
    for (let p = parentOf.get(code); p; p = parentOf.get(p)) if (p === parent) return true
    return false
  }
  return current.filter((v) => (!level || v.level === level) && isUnder(v.code))
}

/** The versions in force on `day` that the given versions lead to, following lineage rows transitively. */
export function descendantsInForce(history: Version[], lineage: LineageRow[], start: Version[], day: string): Version[] {
  const byEnd = new Map(history.map((v) => [`${v.code}|${v.validTo}`, v]))
  const byStart = new Map(history.map((v) => [`${v.code}|${v.validFrom}`, v]))
  const next = new Map<string, string[]>()
  for (const r of lineage) {
    const from = byEnd.get(`${r.oldCode}|${r.oldValidTo}`)
    const to = byStart.get(`${r.newCode}|${r.newValidFrom}`)
    if (!from || !to) continue
    const key = `${from.code}|${from.validFrom}`
    next.set(key, [...(next.get(key) ?? []), `${to.code}|${to.validFrom}`])
  }
  const byKey = new Map(history.map((v) => [`${v.code}|${v.validFrom}`, v]))
  const found = new Map<string, Version>()
  const seen = new Set<string>()
  const queue = start.map((v) => `${v.code}|${v.validFrom}`)
  while (queue.length) {
    const key = queue.pop()!
    if (seen.has(key)) continue
    seen.add(key)
    const v = byKey.get(key)!
    if ((v.validFrom === '' || v.validFrom <= day) && (v.validTo === '' || v.validTo >= day)) found.set(key, v)
    for (const k of next.get(key) ?? []) queue.push(k)
  }
  return [...found.values()]
}

export function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1
  return out
}
