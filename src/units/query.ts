/** Reading units on a day: the list, one version, a parent. */
import { sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { BadRequest } from '../lib/errors.ts'
import { foldName } from './names.ts'
import { inForceOnSql, underSql } from './rules.ts'
import { notInForce } from './history.ts'
import { toUnit, UNIT_COLUMNS, type UnitRecord } from './record.ts'
import type { Level } from './types.ts'

/** The version of a code in force on a day, or null. */
export async function versionOn(db: DbOrTx, code: string, day: string): Promise<UnitRecord | null> {
  const rows = await queryRows<Record<string, unknown>>(db, sql`
    select ${UNIT_COLUMNS} from admin_units u where u.code = ${code} and ${inForceOnSql('u', sql`${day}::date`)} limit 1`)
  return rows.length ? toUnit(rows[0]) : null
}

/** The version in force on a day, or a 404 saying when the code was in force and what became of it. */
export async function requireVersionOn(db: DbOrTx, code: string, day: string): Promise<UnitRecord> {
  return (await versionOn(db, code, day)) ?? notInForce(db, code, day)
}

export type Parent = { code: string | null; name: string; level: 'country' | 'province' | 'district' }

/** The whole country when no parent is asked for. */
export const COUNTRY: Parent = { code: null, name: 'Việt Nam', level: 'country' }

/** A parent (province or district) as it stands on a day; none is the whole country. */
export async function parentOn(db: DbOrTx, code: string | null | undefined, day: string): Promise<Parent> {
  if (!code) return COUNTRY
  const unit = await requireVersionOn(db, code, day)
  if (unit.level === 'commune') throw new BadRequest(`parent ${code} is a commune-level unit; give a province or a district (or no parent for the whole country).`)
  return { code: unit.code, name: unit.name, level: unit.level }
}

export type UnitQuery = { asOf: string; parent?: string; level?: Level; q?: string; limit: number; offset: number }

export async function listUnits(db: DbOrTx, query: UnitQuery): Promise<{ items: UnitRecord[]; total: number }> {
  const filters: SQL[] = [inForceOnSql('u', sql`${query.asOf}::date`)]
  if (query.parent) {
    await parentOn(db, query.parent, query.asOf)
    filters.push(underSql('u', query.parent))
  }
  if (query.level) filters.push(sql`u.level = ${query.level}`)
  if (query.q) {
    const key = foldName(query.q)
    if (key) filters.push(sql`u.name_key like ${`%${key.replace(/[\\%_]/g, '\\$&')}%`}`)
  }
  const where = sql.join(filters, sql` and `)
  const [rows, [{ total }]] = await Promise.all([
    queryRows<Record<string, unknown>>(db, sql`select ${UNIT_COLUMNS} from admin_units u where ${where} order by u.code limit ${query.limit} offset ${query.offset}`),
    queryRows<{ total: number }>(db, sql`select count(*)::int as total from admin_units u where ${where}`),
  ])
  return { items: rows.map(toUnit), total: Number(total) }
}

export async function countUnits(db: DbOrTx): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from admin_units`)
  return Number(n)
}
