import { sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { badRequest, notFound } from '../http/problem.ts'
import { endOfDayVn, monthCount, monthEnd, monthStart } from '../lib/dates.ts'

export const COVERAGE_KINDS = ['organization', 'individual', 'any'] as const
export type CoverageKind = (typeof COVERAGE_KINDS)[number]

/** The whole country when no parent is asked for. */
export const COUNTRY = { code: null, name: 'Việt Nam' } as const

export type Parent = { code: string | null; name: string; level: 'country' | 'province' | 'district' }

export const MAX_TIMELINE_MONTHS = 240
export const EXPIRY_WINDOW_DAYS = 90

/** Commune-level types always reported, even at zero; `dac_khu` is added when such units exist. */
const BASE_TYPES = ['xa', 'phuong', 'thi_tran'] as const

export type TypeCount = { total: number; covered: number }

export type CoverageResult = {
  asOf: string
  parent: { code: string | null; name: string }
  kind: CoverageKind
  total: number
  covered: number
  percent: number
  byType: Record<string, TypeCount>
  byDistrict: { code: string; name: string; total: number; covered: number; percent: number }[]
  uncovered: { code: string; name: string; type: string; parentCode: string | null }[]
  expiringWithin90Days: { unitCode: string; certificateId: string; notAfter: string }[]
}

/**
 * Percent with two decimals, rounded down: 100 is reported only when every unit is covered
 * (11,161 of 11,162 is 99.99, never 100.00). No units: 0.
 */
export function percentOf(covered: number, total: number): number {
  if (total <= 0) return 0
  return Math.floor((covered * 10000) / total) / 100
}

/** Resolves `parent`: null or absent is the whole country; a commune cannot be a parent; unknown codes are 404. */
export async function resolveParent(db: Tx, code: string | null | undefined): Promise<Parent> {
  if (!code) return { ...COUNTRY, level: 'country' }
  const [row] = await queryRows<{ code: string; name: string; level: string }>(db,
    sql`select code, name, level from admin_units where code = ${code}`)
  if (!row) throw notFound(`No administrative unit has the code ${code}.`)
  if (row.level === 'commune') throw badRequest(`parent ${code} is a commune-level unit; give a province or a district (or no parent for the whole country).`)
  return { code: row.code, name: row.name, level: row.level as 'province' | 'district' }
}

/** Commune-level units under the parent (alias u). */
function underParent(parent: Parent): SQL {
  if (parent.code === null) return sql`u.level = 'commune'`
  if (parent.level === 'province') return sql`u.level = 'commune' and u.province_code = ${parent.code}`
  return sql`u.level = 'commune' and (u.district_code = ${parent.code} or u.parent_code = ${parent.code})`
}

/** Units that exist on a day (alias u; valid_from and valid_to inclusive, null open). */
function existsOnDay(day: SQL): SQL {
  return sql`(u.valid_from is null or u.valid_from <= ${day}) and (u.valid_to is null or u.valid_to >= ${day})`
}

function kindFilter(kind: CoverageKind): SQL {
  return kind === 'any' ? sql`` : sql`and c.kind = ${kind}`
}

/** A certificate (alias c) of the unit u that is valid and not revoked at the instant `at`. */
function coveredAt(kind: CoverageKind, at: SQL): SQL {
  return sql`exists (select 1 from certificates c where c.unit_code = u.code ${kindFilter(kind)}
    and c.not_before <= ${at} and c.not_after > ${at} and (c.revoked_at is null or c.revoked_at > ${at}))`
}

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

function isoTimestamp(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString()
}

type GroupRow = { code: string; name: string | null; type: string; total: number; covered: number }

/**
 * Coverage on a day, in two set-based statements: one computes every unit's covered flag once
 * (a materialised CTE) and returns the per-district/per-type counts and the uncovered list; the other
 * lists the certificates that expire within 90 days.
 */
export async function coverageOn(db: Tx, options: { asOf: string; parent: Parent; kind: CoverageKind }): Promise<CoverageResult> {
  const { asOf, parent, kind } = options
  const at = sql`${endOfDayVn(asOf)}::timestamptz`
  const day = sql`${asOf}::date`
  // The two statements are independent: on a pool they run side by side.
  // Nationally, one scan of the certificates valid at `at` beats 11,000 index probes; for a province or a
  // district, probing each unit's certificates is far cheaper than that scan.
  const units = parent.code === null
    ? sql`
    with valid_units as materialized (
      select distinct c.unit_code from certificates c
      where c.not_before <= ${at} and c.not_after > ${at} and (c.revoked_at is null or c.revoked_at > ${at}) ${kindFilter(kind)}
    ), units as materialized (
      select u.code, u.name, u.type, u.parent_code, coalesce(u.district_code, u.parent_code) as group_code,
        v.unit_code is not null as covered
      from admin_units u left join valid_units v on v.unit_code = u.code
      where ${underParent(parent)} and ${existsOnDay(day)}
    )`
    : sql`
    with units as materialized (
      select u.code, u.name, u.type, u.parent_code, coalesce(u.district_code, u.parent_code) as group_code,
        ${coveredAt(kind, at)} as covered
      from admin_units u
      where ${underParent(parent)} and ${existsOnDay(day)}
    )`
  const mainQuery = queryRows<{ groups: unknown; uncovered: unknown }>(db, sql`
    ${units}, groups as (
      select group_code, type, count(*)::int as total, (count(*) filter (where covered))::int as covered
      from units group by group_code, type
    )
    select
      (select coalesce(json_agg(json_build_object('code', g.group_code,
           'name', (select d.name from admin_units d where d.code = g.group_code), 'type', g.type, 'total', g.total, 'covered', g.covered)), '[]'::json)
         from groups g) as groups,
      (select coalesce(json_agg(json_build_object('code', code, 'name', name, 'type', type, 'parentCode', parent_code) order by code), '[]'::json)
         from units where not covered) as uncovered`)
  const expiringFilter = sql`c.not_after > ${at} and c.not_after <= ${at} + make_interval(days => ${EXPIRY_WINDOW_DAYS})
      and c.not_before <= ${at} and (c.revoked_at is null or c.revoked_at > ${at}) ${kindFilter(kind)}`
  // Nationally, one range scan over the end dates; under a province or district, one probe per unit.
  const expiringQuery = queryRows<{ unit_code: string; id: string; not_after: unknown }>(db, parent.code === null
    ? sql`
    select c.unit_code, c.id, c.not_after
    from certificates c join admin_units u on u.code = c.unit_code
    where ${underParent(parent)} and ${existsOnDay(day)} and ${expiringFilter}
    order by c.not_after, c.unit_code, c.id`
    : sql`
    select c.unit_code, c.id, c.not_after
    from admin_units u
    cross join lateral (select c.unit_code, c.id, c.not_after from certificates c where c.unit_code = u.code and ${expiringFilter}) c
    where ${underParent(parent)} and ${existsOnDay(day)}
    order by c.not_after, c.unit_code, c.id`)

  const [[row], expiring] = await Promise.all([mainQuery, expiringQuery])
  const groups = parseJson<GroupRow[]>(row.groups)
  const uncovered = parseJson<CoverageResult['uncovered']>(row.uncovered)

  const byType: Record<string, TypeCount> = {}
  for (const t of BASE_TYPES) byType[t] = { total: 0, covered: 0 }
  const districts = new Map<string, { code: string; name: string; total: number; covered: number }>()
  let total = 0
  let covered = 0
  for (const g of groups) {
    const t = (byType[g.type] ??= { total: 0, covered: 0 })
    t.total += g.total
    t.covered += g.covered
    total += g.total
    covered += g.covered
    const d = districts.get(g.code) ?? { code: g.code, name: g.name ?? g.code, total: 0, covered: 0 }
    d.total += g.total
    d.covered += g.covered
    districts.set(g.code, d)
  }
  const byDistrict = [...districts.values()]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((d) => ({ ...d, percent: percentOf(d.covered, d.total) }))

  return {
    asOf,
    parent: { code: parent.code, name: parent.name },
    kind,
    total,
    covered,
    percent: percentOf(covered, total),
    byType,
    byDistrict,
    uncovered,
    expiringWithin90Days: expiring.map((e) => ({ unitCode: e.unit_code, certificateId: e.id, notAfter: isoTimestamp(e.not_after) })),
  }
}

export type TimelinePoint = { month: string; asOf: string; total: number; covered: number; percent: number }
export type TimelineResult = {
  from: string
  to: string
  parent: { code: string | null; name: string }
  kind: CoverageKind
  points: TimelinePoint[]
  reached100At: string | null
}

/** Checks a month range: from ≤ to, at most MAX_TIMELINE_MONTHS months. */
export function checkMonthRange(from: string, to: string, max = MAX_TIMELINE_MONTHS): void {
  const n = monthCount(from, to)
  if (n < 1) throw badRequest(`from (${from}) is after to (${to}).`)
  if (n > max) throw badRequest(`The range ${from}…${to} has ${n} months; at most ${max} are allowed.`)
}

/**
 * Coverage at the end of each month from `from` to `to`, in one statement over generate_series.
 * `reached100At` is the first month whose end finds every unit covered (and at least one unit), or null.
 */
export async function coverageTimeline(db: Tx, options: { from: string; to: string; parent: Parent; kind: CoverageKind }): Promise<TimelineResult> {
  const { from, to, parent, kind } = options
  checkMonthRange(from, to)
  // A month's instant is the end of its last day in Vietnam time: the next month's first instant, minus 7 hours,
  // minus 1 ms, in UTC. Each unit's certificates are folded once into the spans of time it was covered
  // (a multirange of [notBefore, min(notAfter, revokedAt))); every month-end is then one containment test,
  // instead of joining every certificate to every month it covers.
  const existsOnMonthEnd = sql`(us.valid_from is null or us.valid_from <= mo.day) and (us.valid_to is null or us.valid_to >= mo.day)`
  const rows = await queryRows<{ month: string; total: number; covered: number }>(db, sql`
    with months as materialized (
      select m::date as month_start,
        (m + interval '1 month' - interval '1 day')::date as day,
        ((m + interval '1 month' - interval '7 hours' - interval '1 millisecond') at time zone 'UTC') as at
      from generate_series(${monthStart(from)}::timestamp, ${monthStart(to)}::timestamp, interval '1 month') as m
    ), units as materialized (
      select u.code, u.valid_from, u.valid_to from admin_units u where ${underParent(parent)}
    ), spans as materialized (
      select c.unit_code, range_agg(tstzrange(c.not_before, least(c.not_after, coalesce(c.revoked_at, c.not_after)), '[)')) as covered
      from certificates c
      join units un on un.code = c.unit_code
      where c.not_after > (select min(at) from months) and c.not_before <= (select max(at) from months)
        and least(c.not_after, coalesce(c.revoked_at, c.not_after)) > c.not_before ${kindFilter(kind)}
      group by c.unit_code
    ), unit_spans as materialized (
      select un.valid_from, un.valid_to, sp.covered from units un left join spans sp on sp.unit_code = un.code
    )
    select to_char(mo.month_start, 'YYYY-MM') as month,
      (count(*) filter (where ${existsOnMonthEnd}))::int as total,
      (count(*) filter (where ${existsOnMonthEnd} and us.covered @> mo.at))::int as covered
    from months mo
    left join unit_spans us on true
    group by mo.month_start
    order by mo.month_start`)
  const points = rows.map((r) => ({
    month: r.month, asOf: monthEnd(r.month), total: Number(r.total), covered: Number(r.covered), percent: percentOf(Number(r.covered), Number(r.total)),
  }))
  const full = points.find((p) => p.total > 0 && p.covered === p.total)
  return { from, to, parent: { code: parent.code, name: parent.name }, kind, points, reached100At: full ? full.month : null }
}
