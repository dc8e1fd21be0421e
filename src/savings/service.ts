import { sql } from 'drizzle-orm'
import type { Tx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { areaSql, type Area } from '../coverage/area.ts'
import { checkMonthRange } from '../coverage/kinds.ts'
import { monthStart } from '../lib/dates.ts'
import { inForceOnSql } from '../units/rules.ts'
import { modelInForce, type ModelInForce, type SavingsParameters } from './model.ts'

export type Structure = 'districts' | 'provinces'
export type DocumentsRow = { code: string; name: string; documentsSigned: number; estimatedSavingsVnd: number }

export type SavingsResult = {
  from: string
  to: string
  parent: { code: string | null; name: string }
  documentsSigned: number
  costPerDocumentVnd: number
  estimatedSavingsVnd: number
  byProvince: DocumentsRow[]
  byDistrict: DocumentsRow[]
  byType: DocumentsRow[]
  byMonth: { month: string; structure: Structure; documentsSigned: number }[]
  assumptions: ModelInForce['assumptions']
}

/** Documents per ancestor code of the activity CTE below, named after the code's latest version. */
function documentsBy(column: 'province_code' | 'district_code') {
  return sql`(select coalesce(json_agg(json_build_object('code', g.code, 'name', coalesce(d.name, g.code), 'documents', g.documents) order by g.code), '[]'::json)
    from (select ${sql.raw(column)} as code, sum(documents) as documents from activity where ${sql.raw(column)} is not null group by 1) g
    left join lateral (select d.name from admin_units d where d.code = g.code order by d.valid_to desc nulls first limit 1) d on true)`
}

/**
 * Documents signed from `from` to `to` (months, both included) by the commune-level units of the area, and
 * the savings they are estimated to have made under the model in force. Each month's activity is counted under
 * the unit version in force at that month's end, so under the structure of its own date: by district while
 * districts existed, by commune type after 2025-07-01; `byMonth` says which structure each month used.
 */
export async function savingsFor(db: Tx, options: { from: string; to: string; area: Area; parameters?: SavingsParameters }): Promise<SavingsResult> {
  const { from, to, area } = options
  checkMonthRange(from, to)
  const model = modelInForce(options.parameters)
  const [row] = await queryRows<{ provinces: unknown; districts: unknown; types: unknown; months: unknown }>(db, sql`
    with months as materialized (
      select m::date as month, (m + interval '1 month' - interval '1 day')::date as day
      from generate_series(${monthStart(from)}::timestamp, ${monthStart(to)}::timestamp, interval '1 month') as m
    ), activity as materialized (
      select a.month, a.documents_signed::bigint as documents, u.province_code, u.district_code, u.type
      from signing_activity a join admin_units u on u.id = a.unit_id
      where a.month >= ${monthStart(from)}::date and a.month <= ${monthStart(to)}::date and ${areaSql(area)}
    )
    select
      ${documentsBy('province_code')} as provinces,
      ${documentsBy('district_code')} as districts,
      (select coalesce(json_agg(json_build_object('code', type, 'name', type, 'documents', documents) order by type), '[]'::json)
         from (select type, sum(documents) as documents from activity group by 1) t) as types,
      (select json_agg(json_build_object('month', to_char(mo.month, 'YYYY-MM'),
           'structure', case when exists (select 1 from admin_units d where d.level = 'district' and ${inForceOnSql('d', sql`mo.day`)}) then 'districts' else 'provinces' end,
           'documents', coalesce((select sum(documents) from activity a where a.month = mo.month), 0)) order by mo.month)
         from months mo) as months`)
  const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T
  const cost = model.costPerDocumentVnd
  const rows = (list: { code: string; name: string; documents: string | number }[]) => list.map((r) => {
    const documentsSigned = Number(r.documents)
    return { code: r.code, name: r.name, documentsSigned, estimatedSavingsVnd: documentsSigned * cost }
  })
  const byMonth = parse<{ month: string; structure: Structure; documents: string | number }[]>(row.months ?? '[]')
    .map((m) => ({ month: m.month, structure: m.structure, documentsSigned: Number(m.documents) }))
  const documentsSigned = byMonth.reduce((sum, m) => sum + m.documentsSigned, 0)
  return {
    from,
    to,
    parent: { code: area.code, name: area.name },
    documentsSigned,
    costPerDocumentVnd: cost,
    estimatedSavingsVnd: documentsSigned * cost,
    byProvince: rows(parse(row.provinces)),
    byDistrict: rows(parse(row.districts)),
    byType: rows(parse(row.types)),
    byMonth,
    assumptions: model.assumptions,
  }
}
