import { and, asc, count, eq, inArray, isNull, like, lte, gte, ne, or, sql, type SQL } from 'drizzle-orm'
import { adminUnits } from '../db/schema.ts'
import type { Db, Tx } from '../db/open.ts'
import type { Actor } from '../auth/actor.ts'
import { audit } from '../auth/audit.ts'
import { decodeUtf8 } from '../http/content-types.ts'
import { malformed, notFound, unprocessable } from '../http/problem.ts'
import { readUnitsCsv, checkExternalParents } from './csv-import.ts'
import { bareKey, foldName } from './names.ts'
import { queryRows } from '../db/rows.ts'
import type { Level, Unit, UnitType } from './types.ts'

export type UnitRecord = Unit & { districtCode: string | null; provinceCode: string | null }

function toUnit(row: typeof adminUnits.$inferSelect): UnitRecord {
  return {
    code: row.code, name: row.name, type: row.type as UnitType, level: row.level as Level, parentCode: row.parentCode,
    validFrom: row.validFrom, validTo: row.validTo, districtCode: row.districtCode, provinceCode: row.provinceCode,
  }
}

/** Arbitrary but fixed advisory lock key that serialises units imports across every Kyso process. */
const UNITS_IMPORT_LOCK = 7_052_018

/** Imports a units CSV: all rows or none. Returns how many units were inserted and updated. */
export async function importUnits(db: Db, actor: Actor, bytes: Buffer, source = 'upload'): Promise<{ inserted: number; updated: number }> {
  const text = decodeUtf8(bytes)
  if (text === null) throw malformed('The file is not UTF-8 text. Save the CSV as UTF-8 and send it again.')
  const { units, problems, externalParents } = readUnitsCsv(text)
  if (problems.length) throw unprocessable('The file was refused as a whole; nothing was stored. Fix the lines listed in problems.', problems)
  if (units.length === 0) throw unprocessable('The file has a header but no units.', [{ code: 'empty', message: 'line 2: no rows after the header', line: 2 }])

  return db.transaction(async (tx) => {
    // One units import at a time: two concurrent upserts over the same codes in different orders (and the
    // ancestor recomputation over the whole table) deadlock on PostgreSQL. Released at commit or rollback.
    await tx.execute(sql`select pg_advisory_xact_lock(${UNITS_IMPORT_LOCK})`)
    if (externalParents.size) {
      const rows = await tx.select({ code: adminUnits.code, level: adminUnits.level }).from(adminUnits)
        .where(inArray(adminUnits.code, [...externalParents.keys()]))
      const parentProblems = checkExternalParents(units, externalParents, new Map(rows.map((r) => [r.code, r.level as Level])))
      if (parentProblems.length) throw unprocessable('The file was refused as a whole; nothing was stored. Fix the lines listed in problems.', parentProblems)
    }
    const rows = units.map((u) => ({
      code: u.code, name: u.name, name_key: foldName(u.name), bare_key: bareKey(u.name), type: u.type, level: u.level,
      parent_code: u.parentCode, valid_from: u.validFrom, valid_to: u.validTo,
    }))
    // One statement over a JSON parameter: far faster than thousands of bound parameters, on both drivers.
    const result = await queryRows<{ inserted: boolean }>(tx, sql`
      insert into admin_units (code, name, name_key, bare_key, type, level, parent_code, valid_from, valid_to)
      select code, name, name_key, bare_key, type, level, parent_code, valid_from, valid_to
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(
        code text, name text, name_key text, bare_key text, type text, level text, parent_code text, valid_from date, valid_to date)
      on conflict (code) do update set
        name = excluded.name, name_key = excluded.name_key, bare_key = excluded.bare_key, type = excluded.type,
        level = excluded.level, parent_code = excluded.parent_code, valid_from = excluded.valid_from, valid_to = excluded.valid_to
      returning (xmax = 0) as inserted`)
    const inserted = result.filter((r) => r.inserted).length
    await recomputeAncestors(tx)
    const summary = { inserted, updated: units.length - inserted }
    await audit(tx, actor, { action: 'units.import', entityType: 'admin_units', details: { ...summary, rows: units.length, source } })
    return summary
  })
}

/** Fills district_code and province_code from the parent links, for every unit at once. */
async function recomputeAncestors(tx: Tx): Promise<void> {
  await tx.execute(sql`
    update admin_units u set
      province_code = case
        when u.level = 'province' then u.code
        when p.level = 'province' then p.code
        else p.parent_code end,
      district_code = case when p.level = 'district' then p.code end
    from admin_units u2 left join admin_units p on p.code = u2.parent_code
    where u2.code = u.code
      and (u.province_code is distinct from case when u.level = 'province' then u.code when p.level = 'province' then p.code else p.parent_code end
        or u.district_code is distinct from case when p.level = 'district' then p.code end)`)
}

export type UnitQuery = { parent?: string; level?: Level; q?: string; asOf?: string; limit: number; offset: number }

/** Units that exist on a day: valid_from and valid_to are inclusive, empty is open. */
export function existsOn(day: string): SQL {
  return and(
    or(isNull(adminUnits.validFrom), lte(adminUnits.validFrom, day)),
    or(isNull(adminUnits.validTo), gte(adminUnits.validTo, day)),
  )!
}

/** Units under a code: its children, grandchildren (through the denormalised ancestors) or itself excluded. */
export function under(code: string): SQL {
  return and(
    or(eq(adminUnits.parentCode, code), eq(adminUnits.districtCode, code), eq(adminUnits.provinceCode, code)),
    ne(adminUnits.code, code),
  )!
}

export async function listUnits(db: Db, query: UnitQuery): Promise<{ items: UnitRecord[]; total: number }> {
  const filters: SQL[] = []
  if (query.parent) filters.push(under(query.parent))
  if (query.level) filters.push(eq(adminUnits.level, query.level))
  if (query.asOf) filters.push(existsOn(query.asOf))
  if (query.q) {
    const key = foldName(query.q)
    if (key) filters.push(like(adminUnits.nameKey, `%${key}%`))
  }
  const where = filters.length ? and(...filters) : undefined
  const [rows, [{ total }]] = await Promise.all([
    db.select().from(adminUnits).where(where).orderBy(asc(adminUnits.code)).limit(query.limit).offset(query.offset),
    db.select({ total: count() }).from(adminUnits).where(where),
  ])
  return { items: rows.map(toUnit), total: Number(total) }
}

export async function findUnit(db: Tx, code: string): Promise<UnitRecord | null> {
  const [row] = await db.select().from(adminUnits).where(eq(adminUnits.code, code)).limit(1)
  return row ? toUnit(row) : null
}

export async function getUnit(db: Db, code: string): Promise<UnitRecord> {
  const unit = await findUnit(db, code)
  if (!unit) throw notFound(`No administrative unit has the code ${code}.`)
  return unit
}

export async function countUnits(db: Db): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(adminUnits)
  return Number(n)
}
