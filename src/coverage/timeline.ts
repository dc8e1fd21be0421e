import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { monthEnd, monthStart } from '../lib/dates.ts'
import { inForceOnSql } from '../units/rules.ts'
import { areaSql, type Area } from './area.ts'
import { checkMonthRange, kindFilter, percentOf, type CoverageKind } from './kinds.ts'

export type TimelinePoint = { month: string; asOf: string; total: number; covered: number; percent: number }
export type TimelineResult = {
  from: string
  to: string
  parent: { code: string | null; name: string }
  kind: CoverageKind
  points: TimelinePoint[]
  reached100At: string | null
}

/**
 * Coverage at the end of each month from `from` to `to`, in one statement over generate_series; each
 * month end takes the units in force on its own day (so a range across 2025-07-01 counts the old units
 * before it and the new ones after). `reached100At` is the first month whose end finds every unit covered.
 */
export async function coverageTimeline(db: DbOrTx, options: { from: string; to: string; area: Area; kind: CoverageKind }): Promise<TimelineResult> {
  const { from, to, area, kind } = options
  checkMonthRange(from, to)
  // A month's instant is the end of its last day in Vietnam time: the next month's first instant, minus 7 hours,
  // minus 1 ms, in UTC. Each committee's certificates are folded once into the spans of time it was covered
  // (a multirange of [notBefore, min(notAfter, revokedAt))); every month-end is then one containment test,
  // instead of joining every certificate to every month it covers.
  const rows = await queryRows<{ month: string; total: number; covered: number }>(db, sql`
    with months as materialized (
      select m::date as month_start,
        (m + interval '1 month' - interval '1 day')::date as day,
        ((m + interval '1 month' - interval '7 hours' - interval '1 millisecond') at time zone 'UTC') as at
      from generate_series(${monthStart(from)}::timestamp, ${monthStart(to)}::timestamp, interval '1 month') as m
    ), units as materialized (
      select u.committee_id, u.valid_from, u.valid_to from admin_units u
      where ${areaSql(area)}
        and (u.valid_to is null or u.valid_to >= (select min(day) from months))
        and (u.valid_from is null or u.valid_from <= (select max(day) from months))
    ), spans as materialized (
      select c.committee_id, range_agg(tstzrange(c.not_before, least(c.not_after, coalesce(c.revoked_at, c.not_after)), '[)')) as covered
      from certificates c
      where c.committee_id in (select committee_id from units)
        and c.not_after > (select min(at) from months) and c.not_before <= (select max(at) from months)
        and least(c.not_after, coalesce(c.revoked_at, c.not_after)) > c.not_before and ${kindFilter(kind)}
      group by c.committee_id
    ), unit_spans as materialized (
      select un.valid_from, un.valid_to, sp.covered from units un left join spans sp on sp.committee_id = un.committee_id
    )
    select to_char(mo.month_start, 'YYYY-MM') as month,
      (count(*) filter (where ${inForceOnSql('us', sql`mo.day`)}))::int as total,
      (count(*) filter (where ${inForceOnSql('us', sql`mo.day`)} and us.covered @> mo.at))::int as covered
    from months mo
    left join unit_spans us on true
    group by mo.month_start
    order by mo.month_start`)
  const points = rows.map((r) => ({
    month: r.month, asOf: monthEnd(r.month), total: Number(r.total), covered: Number(r.covered), percent: percentOf(Number(r.covered), Number(r.total)),
  }))
  const full = points.find((p) => p.total > 0 && p.covered === p.total)
  return { from, to, parent: { code: area.code, name: area.name }, kind, points, reached100At: full ? full.month : null }
}
