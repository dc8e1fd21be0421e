/**
 * The commune-level units a coverage figure is taken over: the whole country, the units under a province
 * or district as it stands on the day, or the units that descend through lineage from a former unit's communes.
 */
import { sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { BadRequest, NotFound } from '../lib/errors.ts'
import { monthEnd } from '../lib/dates.ts'
import { COUNTRY, parentOn, requireVersionOn, type Parent } from '../units/query.ts'
import { inForceOnSql, underSql } from '../units/rules.ts'

export type Area = Parent & {
  /** Set for `successorsOf`: the last day of the former unit, whose communes' descendants make the area. */
  successorsFrom?: string
}

export { COUNTRY }

/** `parent` or `successorsOf` (not both) resolved on `day`. */
export async function resolveArea(db: DbOrTx, query: { parent?: string | null; successorsOf?: string | null }, day: string): Promise<Area> {
  if (query.parent && query.successorsOf) throw new BadRequest('Give parent or successorsOf, not both.')
  if (!query.successorsOf) return parentOn(db, query.parent, day)
  const code = query.successorsOf
  const [last] = await queryRows<{ valid_to: string | null; valid_from: string | null }>(db, sql`
    select valid_to::text, valid_from::text from admin_units where code = ${code} order by valid_to desc nulls first limit 1`)
  if (!last) await requireVersionOn(db, code, day)
  const lastDay = last.valid_to ?? day
  const unit = await requireVersionOn(db, code, lastDay < day ? lastDay : day)
  if (unit.level === 'commune') throw new BadRequest(`successorsOf ${code} is a commune-level unit; give a province or a district.`)
  return { code: unit.code, name: unit.name, level: unit.level, successorsFrom: lastDay < day ? lastDay : day }
}

/**
 * Commune-level unit versions (alias `alias`) of the area, whatever their validity: callers add the
 * in-force filter for their own day.
 */
export function areaSql(area: Area, alias = 'u'): SQL {
  const a = sql.raw(alias)
  if (area.code === null) return sql`${a}.level = 'commune'`
  if (!area.successorsFrom) return sql`${a}.level = 'commune' and ${underSql(alias, area.code)}`
  return sql`${a}.level = 'commune' and ${a}.id in (
    with recursive descent(id) as (
      select r.id from admin_units r
      where r.level = 'commune' and ${underSql('r', area.code)} and ${inForceOnSql('r', sql`${area.successorsFrom}::date`)}
      union
      select l.new_id from descent join unit_lineage l on l.old_id = descent.id
    ) select id from descent)`
}

/** The area of a month range: as it stands at the range's last day, else (it ended within the range) at its first. */
export async function areaForRange(db: DbOrTx, query: { parent?: string | null; successorsOf?: string | null }, from: string, to: string): Promise<Area> {
  try {
    return await resolveArea(db, query, monthEnd(to))
  } catch (err) {
    if (!(err instanceof NotFound)) throw err
    return resolveArea(db, query, monthEnd(from)).catch(() => { throw err })
  }
}
