import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { jsonValue, queryRows } from '../db/rows.ts'
import { endOfDayVn } from '../lib/dates.ts'
import { inForceOnSql, validAtSql } from '../units/rules.ts'
import { areaSql, type Area } from './area.ts'
import { EXPIRY_WINDOW_DAYS, kindFilter, percentOf, type CoverageKind } from './kinds.ts'

/** Every commune-level type, reported even at zero. */
export const COMMUNE_TYPES = ['xa', 'phuong', 'thi_tran', 'dac_khu'] as const

export type TypeCount = { total: number; covered: number }
export type GroupCount = { code: string; name: string; total: number; covered: number; percent: number }

export type CoverageResult = {
  asOf: string
  parent: { code: string | null; name: string }
  successorsOf?: string
  kind: CoverageKind
  total: number
  covered: number
  percent: number
  byType: Record<string, TypeCount>
  byProvince?: GroupCount[]
  byDistrict: GroupCount[]
  uncovered: { code: string; name: string; type: string; parentCode: string | null }[]
  expiringWithin90Days: { unitCode: string; certificateId: string; notAfter: string; recordedFor: { code: string; name: string } | null }[]
}

function isoTimestamp(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString()
}

type GroupRow = { province: string; district: string | null; type: string; total: number; covered: number }

function rollUp(rows: GroupRow[], key: 'province' | 'district', names: Map<string, string>): GroupCount[] {
  const groups = new Map<string, GroupCount>()
  for (const r of rows) {
    const code = r[key]
    if (!code) continue
    const g = groups.get(code) ?? { code, name: names.get(code) ?? code, total: 0, covered: 0, percent: 0 }
    g.total += r.total
    g.covered += r.covered
    groups.set(code, g)
  }
  return [...groups.values()].sort((a, b) => (a.code < b.code ? -1 : 1)).map((g) => ({ ...g, percent: percentOf(g.covered, g.total) }))
}

/**
 * Coverage on a day, in two set-based statements: one computes every unit's covered flag once (a
 * materialised CTE) and returns the per-group counts, the group names and the uncovered list; the other
 * lists the certificates that expire within 90 days. A unit is covered by a certificate of its committee:
 * one recorded for it, or for an earlier version of the same People's Committee (`unchanged` lineage).
 */
export async function coverageOn(db: DbOrTx, options: { asOf: string; area: Area; kind: CoverageKind }): Promise<CoverageResult> {
  const { asOf, area, kind } = options
  const at = sql`${endOfDayVn(asOf)}::timestamptz`
  const day = sql`${asOf}::date`
  const units = sql`select u.id, u.code, u.name, u.type, u.parent_code, u.district_code, u.province_code, u.committee_id
    from admin_units u where ${areaSql(area)} and ${inForceOnSql('u', day)}`
  // Nationally, one scan of the certificates valid at `at` beats thousands of index probes; for a province or
  // district, probing each unit's committee is far cheaper than that scan.
  const flagged = area.code === null
    ? sql`
    with valid_committees as materialized (
      select distinct c.committee_id from certificates c where ${validAtSql('c', at)} and ${kindFilter(kind)}
    ), units as materialized (
      select u.*, v.committee_id is not null as covered from (${units}) u left join valid_committees v on v.committee_id = u.committee_id
    )`
    : sql`
    with units as materialized (
      select u.*, exists (select 1 from certificates c where c.committee_id = u.committee_id and ${kindFilter(kind)} and ${validAtSql('c', at)}) as covered
      from (${units}) u
    )`
  const mainQuery = queryRows<{ groups: unknown; names: unknown; uncovered: unknown }>(db, sql`
    ${flagged}, groups as (
      select province_code as province, district_code as district, type, count(*)::int as total, (count(*) filter (where covered))::int as covered
      from units group by 1, 2, 3
    )
    select
      (select coalesce(json_agg(g), '[]'::json) from groups g) as groups,
      (select coalesce(json_agg(json_build_object('code', p.code, 'name', p.name)), '[]'::json) from admin_units p
         where p.code in (select province from groups union select district from groups) and ${inForceOnSql('p', day)}) as names,
      (select coalesce(json_agg(json_build_object('code', code, 'name', name, 'type', type, 'parentCode', parent_code) order by code), '[]'::json)
         from units where not covered) as uncovered`)
  const expiringQuery = queryRows<{ unit_code: string; id: string; not_after: unknown; recorded_code: string | null; recorded_name: string | null }>(db, sql`
    select u.code as unit_code, c.id, c.not_after, r.code as recorded_code, r.name as recorded_name
    from (${units}) u
    join certificates c on c.committee_id = u.committee_id
    -- Only a certificate recorded for an earlier version of the committee names it (one probe each, not one per row).
    left join admin_units r on r.id = c.unit_id and c.unit_id <> u.id
    where ${validAtSql('c', at)} and ${kindFilter(kind)} and c.not_after <= ${at} + make_interval(days => ${EXPIRY_WINDOW_DAYS})
    order by c.not_after, u.code, c.id`)

  const [[row], expiring] = await Promise.all([mainQuery, expiringQuery])
  const groups = jsonValue<GroupRow[]>(row.groups)
  const names = new Map(jsonValue<{ code: string; name: string }[]>(row.names).map((n) => [n.code, n.name]))
  const byType: Record<string, TypeCount> = {}
  for (const t of COMMUNE_TYPES) byType[t] = { total: 0, covered: 0 }
  let total = 0
  let covered = 0
  for (const g of groups) {
    const t = (byType[g.type] ??= { total: 0, covered: 0 })
    t.total += g.total
    t.covered += g.covered
    total += g.total
    covered += g.covered
  }
  return {
    asOf,
    parent: { code: area.code, name: area.name },
    ...(area.successorsFrom ? { successorsOf: area.code! } : {}),
    kind,
    total,
    covered,
    percent: percentOf(covered, total),
    byType,
    ...(area.code === null ? { byProvince: rollUp(groups, 'province', names) } : {}),
    byDistrict: rollUp(groups, 'district', names),
    uncovered: jsonValue<CoverageResult['uncovered']>(row.uncovered),
    expiringWithin90Days: expiring.map((e) => ({
      unitCode: e.unit_code, certificateId: e.id, notAfter: isoTimestamp(e.not_after),
      recordedFor: e.recorded_code ? { code: e.recorded_code, name: e.recorded_name! } : null,
    })),
  }
}
