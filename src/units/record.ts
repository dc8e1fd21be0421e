import { sql } from 'drizzle-orm'
import type { Level, Unit, UnitType } from './types.ts'

/** A unit version as read from admin_units, with the columns derived from the tree. */
export type UnitRecord = Unit & { id: number; districtCode: string | null; provinceCode: string | null; committeeId: number; placeCodes: string[] }

/** The columns `toUnit` reads, for raw statements over admin_units aliased u. */
export const UNIT_COLUMNS = sql`u.id, u.code, u.name, u.type, u.level, u.parent_code, u.district_code, u.province_code,
  u.valid_from::text as valid_from, u.valid_to::text as valid_to, u.committee_id, u.place_codes`

export function toUnit(row: Record<string, unknown>): UnitRecord {
  return {
    id: Number(row.id),
    code: row.code as string,
    name: row.name as string,
    type: row.type as UnitType,
    level: row.level as Level,
    parentCode: (row.parent_code as string | null) ?? null,
    validFrom: (row.valid_from as string | null) ?? null,
    validTo: (row.valid_to as string | null) ?? null,
    districtCode: (row.district_code as string | null) ?? null,
    provinceCode: (row.province_code as string | null) ?? null,
    committeeId: Number(row.committee_id),
    placeCodes: parseTextArray(row.place_codes),
  }
}

/** The API's view of a version. */
export function publicUnit(unit: UnitRecord): Unit {
  return { code: unit.code, name: unit.name, type: unit.type, level: unit.level, parentCode: unit.parentCode, validFrom: unit.validFrom, validTo: unit.validTo }
}

/** A text[] as either driver returns it: an array, or PostgreSQL's literal `{a,b}` (codes need no quoting). */
export function parseTextArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[]
  if (typeof value === 'string' && value.length > 2) return value.slice(1, -1).split(',')
  return []
}
