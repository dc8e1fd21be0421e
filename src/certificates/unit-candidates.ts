import { and, eq, inArray, or, type SQL } from 'drizzle-orm'
import { adminUnits } from '../db/schema.ts'
import type { DbOrTx } from '../db/open.ts'
import { chunks } from '../lib/chunks.ts'
import type { UnitRow } from './match.ts'

const UNIT_COLUMNS = {
  id: adminUnits.id, committeeId: adminUnits.committeeId, placeCodes: adminUnits.placeCodes,
  code: adminUnits.code, name: adminUnits.name, type: adminUnits.type, level: adminUnits.level,
  parentCode: adminUnits.parentCode, districtCode: adminUnits.districtCode, provinceCode: adminUnits.provinceCode,
  bareKey: adminUnits.bareKey, validFrom: adminUnits.validFrom, validTo: adminUnits.validTo,
}

export type UnitCandidates = { byCode: Map<string, UnitRow[]>; byKey: UnitRow[] }

/**
 * Every version of the units named explicitly, and of the units and places whose bare keys the subjects
 * mention: two queries at most (codes a thousand at a time). Callers pick the versions in force on each
 * certificate's day.
 */
export async function loadUnitCandidates(db: DbOrTx, codes: string[], communeKeys: string[], placeKeys: string[]): Promise<UnitCandidates> {
  const byCode = new Map<string, UnitRow[]>()
  for (const part of chunks([...new Set(codes)], 1000)) {
    for (const r of await db.select(UNIT_COLUMNS).from(adminUnits).where(inArray(adminUnits.code, part))) {
      byCode.set(r.code, [...(byCode.get(r.code) ?? []), r])
    }
  }
  const byKey: UnitRow[] = []
  const ck = [...new Set(communeKeys)]
  const pk = [...new Set(placeKeys)]
  if (ck.length || pk.length) {
    const filters: SQL[] = []
    if (ck.length) filters.push(and(eq(adminUnits.level, 'commune'), inArray(adminUnits.bareKey, ck))!)
    if (pk.length) filters.push(and(inArray(adminUnits.level, ['district', 'province']), inArray(adminUnits.bareKey, pk))!)
    byKey.push(...await db.select(UNIT_COLUMNS).from(adminUnits).where(or(...filters)))
  }
  return { byCode, byKey }
}
