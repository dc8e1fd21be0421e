/** Lineage around unit versions: predecessors, successors, and what to say about a code that is not in force. */
import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { NotFound } from '../lib/errors.ts'
import { inForceOnSql, underSql } from './rules.ts'
import type { Share } from './lineage-csv.ts'
import { toUnit, UNIT_COLUMNS, type UnitRecord } from './record.ts'

export type Neighbour = { code: string; name: string; validFrom: string | null; validTo: string | null; share: Share }
export type UnitWithLineage = Omit<UnitRecord, 'id' | 'districtCode' | 'provinceCode' | 'committeeId' | 'placeCodes'> & { predecessors: Neighbour[]; successors: Neighbour[] }

/** Predecessors and successors of each version id, in one statement. */
export async function neighbours(db: DbOrTx, ids: number[]): Promise<Map<number, { predecessors: Neighbour[]; successors: Neighbour[] }>> {
  const out = new Map(ids.map((id) => [id, { predecessors: [] as Neighbour[], successors: [] as Neighbour[] }]))
  if (!ids.length) return out
  const rows = await queryRows<{ id: number; side: 'p' | 's'; code: string; name: string; valid_from: string | null; valid_to: string | null; share: Share }>(db, sql`
    with ids as (select value::int as id from json_array_elements_text(${JSON.stringify(ids)}::json))
    select l.new_id as id, 'p' as side, u.code, u.name, u.valid_from::text, u.valid_to::text, l.share
    from unit_lineage l join admin_units u on u.id = l.old_id where l.new_id in (select id from ids)
    union all
    select l.old_id, 's', u.code, u.name, u.valid_from::text, u.valid_to::text, l.share
    from unit_lineage l join admin_units u on u.id = l.new_id where l.old_id in (select id from ids)
    order by 1, 2, 3`)
  for (const r of rows) {
    const n = { code: r.code, name: r.name, validFrom: r.valid_from, validTo: r.valid_to, share: r.share }
    const entry = out.get(Number(r.id))!
    ;(r.side === 'p' ? entry.predecessors : entry.successors).push(n)
  }
  return out
}

export function withLineage(unit: UnitRecord, around: { predecessors: Neighbour[]; successors: Neighbour[] } | undefined): UnitWithLineage {
  const { id: _i, districtCode: _d, provinceCode: _p, committeeId: _c, placeCodes: _s, ...rest } = unit
  return { ...rest, predecessors: around?.predecessors ?? [], successors: around?.successors ?? [] }
}

/** Every version of a code, oldest first, each with its lineage; 404 when the code never existed. */
export async function unitHistory(db: DbOrTx, code: string): Promise<UnitWithLineage[]> {
  const rows = await queryRows<Record<string, unknown>>(db, sql`
    select ${UNIT_COLUMNS} from admin_units u where u.code = ${code} order by u.valid_from nulls first`)
  if (!rows.length) throw new NotFound(`No administrative unit has ever had the code ${code}.`)
  const units = rows.map(toUnit)
  const around = await neighbours(db, units.map((u) => u.id))
  return units.map((u) => withLineage(u, around.get(u.id)))
}

/**
 * The units a version's territory went to: its own lineage successors or, for a province or district
 * without lineage of its own, the successors of the communes under it on its last day.
 */
export async function successorsOfVersion(db: DbOrTx, unit: UnitRecord): Promise<{ code: string; name: string }[]> {
  const rows = await queryRows<{ code: string; name: string }>(db, sql`
    with direct as (
      select n.code, n.name from unit_lineage l join admin_units n on n.id = l.new_id where l.old_id = ${unit.id}
    ), via_communes as (
      select distinct n.code, n.name from admin_units c
      join unit_lineage l on l.old_id = c.id join admin_units n on n.id = l.new_id
      where not exists (select 1 from direct) and ${unit.level} <> 'commune' and ${unit.validTo}::date is not null
        and c.level = 'commune' and ${underSql('c', unit.code)}
        and ${inForceOnSql('c', sql`${unit.validTo}::date`)}
    )
    select code, name from direct union select code, name from via_communes order by code`)
  return rows
}

/**
 * The 404 for a code with no version on `day`: when it was last (or will first be) in force, and what
 * became of it.
 */
export async function notInForce(db: DbOrTx, code: string, day: string): Promise<never> {
  const rows = await queryRows<Record<string, unknown>>(db, sql`
    select ${UNIT_COLUMNS} from admin_units u where u.code = ${code}
    order by (u.valid_to is not null and u.valid_to < ${day}::date) desc, u.valid_to desc nulls last, u.valid_from nulls first limit 1`)
  if (!rows.length) throw new NotFound(`No administrative unit has the code ${code}.`)
  const unit = toUnit(rows[0])
  if (unit.validTo !== null && unit.validTo < day) {
    const successors = await successorsOfVersion(db, unit)
    const shown = successors.slice(0, 12).map((s) => `${s.code} ${s.name}`).join(', ')
    const more = successors.length > 12 ? ` and ${successors.length - 12} more` : ''
    throw new NotFound(`${unit.name} (${code}) was last in force on ${unit.validTo}`
      + (successors.length ? `; its successors: ${shown}${more}.` : '; no successor is recorded.'), { successors })
  }
  throw new NotFound(`${unit.name} (${code}) was not yet in force on ${day}; it begins on ${unit.validFrom}.`)
}
