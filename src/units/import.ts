import { sql } from 'drizzle-orm'
import type { Db } from '../db/open.ts'
import type { Actor } from '../auth/actor.ts'
import { audit } from '../audit/write.ts'
import { Unprocessable } from '../lib/errors.ts'
import { readAllOrNothing, REFUSED } from '../lib/csv-upload.ts'
import { queryRows, upsertCounts } from '../db/rows.ts'
import { readUnitsCsv } from './csv-import.ts'
import { bareKey, foldName } from './names.ts'
import { derivedAncestors, parentVersionJoin, recomputeAncestors, recomputeCommittees, recomputePlaceCodes, violations } from './integrity.ts'

/** Arbitrary but fixed advisory lock key that serialises units and lineage imports across every Kyso process. */
export const UNITS_IMPORT_LOCK = 7_052_018

/**
 * Imports a units CSV: all rows or none. A version is identified by code and valid_from: importing it
 * again updates it. Returns how many versions were inserted and updated.
 */
export async function importUnits(db: Db, actor: Actor, bytes: Buffer, source = 'upload'): Promise<{ inserted: number; updated: number }> {
  const units = readAllOrNothing(bytes, readUnitsCsv)

  return db.transaction(async (tx) => {
    // One units import at a time: two concurrent upserts over the same codes in different orders (and the
    // recomputation over the whole table) deadlock on PostgreSQL. Released at commit or rollback.
    await tx.execute(sql`select pg_advisory_xact_lock(${UNITS_IMPORT_LOCK})`)
    const rows = units.map((u) => ({
      code: u.code, name: u.name, name_key: foldName(u.name), bare_key: bareKey(u.name), type: u.type, level: u.level,
      parent_code: u.parentCode, valid_from: u.validFrom, valid_to: u.validTo,
    }))
    // One statement over a JSON parameter: far faster than thousands of bound parameters, on both drivers. New
    // versions are written with their ancestors, committee and own place codes already derived (from the file's
    // versions and those recorded), so that the recomputations below rewrite only the rows a change really moves.
    const result = await queryRows<{ inserted: boolean }>(tx, sql`
      with c as (
        select nextval(pg_get_serial_sequence('admin_units', 'id'))::int as id, x.* from json_to_recordset(${JSON.stringify(rows)}::json) as x(
          code text, name text, name_key text, bare_key text, type text, level text, parent_code text, valid_from date, valid_to date)
      ), p as (
        select code, level, parent_code, valid_from, valid_to from c
        union all
        select r.code, r.level, r.parent_code, r.valid_from, r.valid_to from admin_units r
        where r.code in (select parent_code from c) and not exists (select 1 from c where c.code = r.code and c.valid_from is not distinct from r.valid_from)
      ), derived as (
        select distinct on (c.id) c.*, ${derivedAncestors}
        from c left join p on ${parentVersionJoin}
        order by c.id
      )
      insert into admin_units (id, committee_id, code, name, name_key, bare_key, type, level, parent_code, valid_from, valid_to,
        province_code, district_code, place_codes)
      select id, id, code, name, name_key, bare_key, type, level, parent_code, valid_from, valid_to,
        province_code, district_code, array_remove(array[code, district_code, province_code], null)
      from derived
      on conflict (code, valid_from) do update set
        name = excluded.name, name_key = excluded.name_key, bare_key = excluded.bare_key, type = excluded.type,
        level = excluded.level, parent_code = excluded.parent_code, valid_to = excluded.valid_to
      returning (xmax = 0) as inserted`)
    const found = await violations(tx, [...new Set(units.map((u) => u.code))])
    if (found.length) {
      const lineOf = new Map(units.map((u) => [`${u.code}|${u.validFrom ?? ''}`, u.line]))
      const firstLine = new Map<string, number>()
      for (const u of units) if (!firstLine.has(u.code)) firstLine.set(u.code, u.line)
      throw new Unprocessable(REFUSED, found.map((v) => {
        const line = lineOf.get(`${v.code}|${v.validFrom ?? ''}`) ?? firstLine.get(v.code) ?? 1
        return { code: v.problem, line, message: `line ${line}: ${v.code} (from ${v.validFrom ?? 'the beginning'}): ${v.message}` }
      }))
    }
    await recomputeAncestors(tx)
    await recomputeCommittees(tx)
    await recomputePlaceCodes(tx)
    const summary = upsertCounts(result)
    await audit(tx, actor, { action: 'units.import', entityType: 'admin_units', details: { ...summary, rows: units.length, source } })
    return summary
  })
}
