import { sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { checkMonthRange, type Parent } from '../coverage/service.ts'
import { monthStart } from '../lib/dates.ts'
import { modelInForce, type ModelInForce, type SavingsParameters } from './model.ts'

export type SavingsResult = {
  from: string
  to: string
  parent: { code: string | null; name: string }
  documentsSigned: number
  costPerDocumentVnd: number
  estimatedSavingsVnd: number
  byDistrict: { code: string; name: string; documentsSigned: number; estimatedSavingsVnd: number }[]
  assumptions: ModelInForce['assumptions']
}

/** Activity rows (alias a) of commune-level units (alias u) under the parent. */
function underParent(parent: Parent): SQL {
  if (parent.code === null) return sql`true`
  if (parent.level === 'province') return sql`u.province_code = ${parent.code}`
  return sql`(u.district_code = ${parent.code} or u.parent_code = ${parent.code})`
}

/**
 * Documents signed from `from` to `to` (months, both included) by the units under the parent, per
 * district, and the savings they are estimated to have made under the model in force. One statement.
 */
export async function savingsFor(db: Tx, options: { from: string; to: string; parent: Parent; parameters?: SavingsParameters }): Promise<SavingsResult> {
  const { from, to, parent } = options
  checkMonthRange(from, to)
  const model = modelInForce(options.parameters)
  const rows = await queryRows<{ code: string; name: string | null; documents: string | number }>(db, sql`
    select g.code, d.name, g.documents from (
      select coalesce(u.district_code, u.parent_code) as code, sum(a.documents_signed)::bigint as documents
      from signing_activity a join admin_units u on u.code = a.unit_code
      where a.month >= ${monthStart(from)}::date and a.month <= ${monthStart(to)}::date and ${underParent(parent)}
      group by 1
    ) g left join admin_units d on d.code = g.code
    order by g.code`)
  const cost = model.costPerDocumentVnd
  const byDistrict = rows.map((r) => {
    const documentsSigned = Number(r.documents)
    return { code: r.code, name: r.name ?? r.code, documentsSigned, estimatedSavingsVnd: documentsSigned * cost }
  })
  const documentsSigned = byDistrict.reduce((sum, d) => sum + d.documentsSigned, 0)
  return {
    from,
    to,
    parent: { code: parent.code, name: parent.name },
    documentsSigned,
    costPerDocumentVnd: cost,
    estimatedSavingsVnd: documentsSigned * cost,
    byDistrict,
    assumptions: model.assumptions,
  }
}
