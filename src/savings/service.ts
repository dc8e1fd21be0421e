import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { jsonValue, queryRows } from '../db/rows.ts'
import { areaSql, type Area } from '../coverage/area.ts'
import { checkMonthRange } from '../coverage/kinds.ts'
import { monthStart } from '../lib/dates.ts'
import { inForceOnSql } from '../units/rules.ts'
import type { Basis } from '../documents/verified-activity.ts'
import { modelInForce, type ModelInForce, type SavingsParameters } from './model.ts'
import { exactBigInt, sumExact, toExact, type ExactInteger } from '../lib/exact-integer.ts'

export type Structure = 'districts' | 'provinces'
export type DocumentsRow = { code: string; name: string; documentsSigned: ExactInteger; documentsVerified: ExactInteger; estimatedSavingsVnd: ExactInteger }
export type MonthRow = { month: string; structure: Structure; documentsSigned: ExactInteger; documentsVerified: ExactInteger }

/** The documents of a range and what they saved, as the savings answer and the report to the Ministry state them. */
export type SavingsTotals = {
  /** Documents declared signed (PUT /v1/activity). */
  documentsSigned: ExactInteger
  /** Documents whose signatures Kyso verified (POST /v1/documents), beside the declared ones. */
  documentsVerified: ExactInteger
  /** Communes that sent at least one verified document in the range. */
  communesWithVerifiedDocuments: number
  /** The figure the estimate uses. */
  basis: Basis
  costPerDocumentVnd: number
  estimatedSavingsVnd: ExactInteger
}

export type SavingsResult = SavingsTotals & {
  from: string
  to: string
  parent: { code: string | null; name: string }
  byProvince: DocumentsRow[]
  byDistrict: DocumentsRow[]
  byType: DocumentsRow[]
  byMonth: MonthRow[]
  assumptions: ModelInForce['assumptions']
}

/**
 * Declared and verified documents per ancestor code of the activity CTE below, named after the code's latest version.
 * Sums are written as text: a JSON number would pass through a double on the way out.
 */
function documentsBy(column: 'province_code' | 'district_code') {
  return sql`(select coalesce(json_agg(json_build_object('code', g.code, 'name', coalesce(d.name, g.code), 'declared', g.declared::text, 'verified', g.verified::text) order by g.code), '[]'::json)
    from (select ${sql.raw(column)} as code, sum(declared) as declared, sum(verified) as verified from activity where ${sql.raw(column)} is not null group by 1) g
    left join lateral (select d.name from admin_units d where d.code = g.code order by d.valid_to desc nulls first limit 1) d on true)`
}

/** Sums as the statement writes them: decimal text. */
type Counted = { code: string; name: string; declared: string; verified: string }

/**
 * Documents signed from `from` to `to` (months, both included) by the commune-level units of the area, declared
 * and verified, and the savings they are estimated to have made under the model in force on `basis`. Each month's
 * activity is counted under the unit version in force at that month's end (a verified document under the version
 * its certificate was recorded for), so under the structure of its own date: by district while districts existed,
 * by commune type after 2025-07-01; `byMonth` says which structure each month used. One statement.
 */
export async function savingsFor(db: DbOrTx, options: { from: string; to: string; area: Area; parameters?: SavingsParameters; basis?: Basis }): Promise<SavingsResult> {
  const { from, to, area } = options
  checkMonthRange(from, to)
  const model = modelInForce(options.parameters)
  const basis = options.basis ?? 'declared'
  const inRange = (alias: string) => sql`${sql.raw(alias)}.month >= ${monthStart(from)}::date and ${sql.raw(alias)}.month <= ${monthStart(to)}::date`
  const [row] = await queryRows<{ provinces: unknown; districts: unknown; types: unknown; months: unknown; communes: number }>(db, sql`
    with months as materialized (
      select m::date as month, (m + interval '1 month' - interval '1 day')::date as day
      from generate_series(${monthStart(from)}::timestamp, ${monthStart(to)}::timestamp, interval '1 month') as m
    ), verified as materialized (
      select v.month, u.id as unit_id, u.province_code, u.district_code, u.type
      from verified_documents v join admin_units u on u.id = v.unit_id
      where ${inRange('v')} and ${areaSql(area)}
    ), activity as materialized (
      -- Summed per month and group before anything reads it: a national year is 130,000 rows of activity.
      select a.month, u.province_code, u.district_code, u.type, sum(a.documents_signed)::bigint as declared, 0::bigint as verified
      from signing_activity a join admin_units u on u.id = a.unit_id
      where ${inRange('a')} and ${areaSql(area)}
      group by 1, 2, 3, 4
      union all
      select month, province_code, district_code, type, 0, count(*)::bigint from verified group by 1, 2, 3, 4
    )
    select
      ${documentsBy('province_code')} as provinces,
      ${documentsBy('district_code')} as districts,
      (select coalesce(json_agg(json_build_object('code', type, 'name', type, 'declared', declared::text, 'verified', verified::text) order by type), '[]'::json)
         from (select type, sum(declared) as declared, sum(verified) as verified from activity group by 1) t) as types,
      (select json_agg(json_build_object('month', to_char(mo.month, 'YYYY-MM'),
           'structure', case when exists (select 1 from admin_units d where d.level = 'district' and ${inForceOnSql('d', sql`mo.day`)}) then 'districts' else 'provinces' end,
           'declared', coalesce(b.declared, 0)::text, 'verified', coalesce(b.verified, 0)::text) order by mo.month)
         from months mo left join (select month, sum(declared) as declared, sum(verified) as verified from activity group by month) b on b.month = mo.month) as months,
      (select count(distinct unit_id)::int from verified) as communes`)
  const cost = BigInt(model.costPerDocumentVnd)
  const counted = (declared: bigint, verified: bigint) => toExact((basis === 'verified' ? verified : declared) * cost)
  const rows = (list: Counted[]): DocumentsRow[] => list.map((r) => {
    const declared = exactBigInt(r.declared)
    const verified = exactBigInt(r.verified)
    return { code: r.code, name: r.name, documentsSigned: toExact(declared), documentsVerified: toExact(verified), estimatedSavingsVnd: counted(declared, verified) }
  })
  const months = jsonValue<{ month: string; structure: Structure; declared: string; verified: string }[]>(row.months ?? '[]')
  const documentsSigned = sumExact(months.map((m) => m.declared))
  const documentsVerified = sumExact(months.map((m) => m.verified))
  const byMonth: MonthRow[] = months.map((m) => ({
    month: m.month, structure: m.structure, documentsSigned: toExact(exactBigInt(m.declared)), documentsVerified: toExact(exactBigInt(m.verified)),
  }))
  return {
    from,
    to,
    parent: { code: area.code, name: area.name },
    documentsSigned: toExact(documentsSigned),
    documentsVerified: toExact(documentsVerified),
    communesWithVerifiedDocuments: Number(row.communes),
    basis,
    costPerDocumentVnd: model.costPerDocumentVnd,
    estimatedSavingsVnd: counted(documentsSigned, documentsVerified),
    byProvince: rows(jsonValue(row.provinces)),
    byDistrict: rows(jsonValue(row.districts)),
    byType: rows(jsonValue(row.types)),
    byMonth,
    assumptions: model.assumptions,
  }
}
