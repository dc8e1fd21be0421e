import { sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { checkMonthRange, type Parent } from '../coverage/service.ts'
import { monthStart } from '../lib/dates.ts'
import { modelInForce, type ModelInForce, type SavingsParameters } from './model.ts'
import { verifiedSummary, type Basis } from '../documents/verified-activity.ts'

export type SavingsResult = {
  from: string
  to: string
  parent: { code: string | null; name: string }
  documentsSigned: number
  /** Documents whose signatures Kyso verified (POST /v1/documents), beside the declared documentsSigned. */
  documentsVerified: number
  /** Communes that sent at least one verified document in the range. */
  communesWithVerifiedDocuments: number
  /** The figure the estimate uses. */
  basis: Basis
  costPerDocumentVnd: number
  estimatedSavingsVnd: number
  byDistrict: { code: string; name: string; documentsSigned: number; documentsVerified: number; estimatedSavingsVnd: number }[]
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
export async function savingsFor(db: Tx, options: { from: string; to: string; parent: Parent; parameters?: SavingsParameters; basis?: Basis }): Promise<SavingsResult> {
  const { from, to, parent } = options
  checkMonthRange(from, to)
  const model = modelInForce(options.parameters)
  const basis = options.basis ?? 'declared'
  const verifiedPromise = verifiedSummary(db, from, to, underParent(parent))
  const rows = await queryRows<{ code: string; name: string | null; documents: string | number }>(db, sql`
    select g.code, d.name, g.documents from (
      select coalesce(u.district_code, u.parent_code) as code, sum(a.documents_signed)::bigint as documents
      from signing_activity a join admin_units u on u.code = a.unit_code
      where a.month >= ${monthStart(from)}::date and a.month <= ${monthStart(to)}::date and ${underParent(parent)}
      group by 1
    ) g left join admin_units d on d.code = g.code
    order by g.code`)
  const cost = model.costPerDocumentVnd
  const declaredByDistrict = rows.map((r) => ({ code: r.code, name: r.name ?? r.code, documentsSigned: Number(r.documents) }))
  const documentsSigned = declaredByDistrict.reduce((sum, d) => sum + d.documentsSigned, 0)
  // Verified documents beside the declared ones (src/documents); `basis` picks the one the estimate uses.
  const verified = await verifiedPromise
  const byDistrict = await withVerified(db, declaredByDistrict, verified.byDistrict, basis, cost)
  return {
    from,
    to,
    parent: { code: parent.code, name: parent.name },
    documentsSigned,
    documentsVerified: verified.total,
    communesWithVerifiedDocuments: verified.communes,
    basis,
    costPerDocumentVnd: cost,
    estimatedSavingsVnd: (basis === 'verified' ? verified.total : documentsSigned) * cost,
    byDistrict,
    assumptions: model.assumptions,
  }
}

/** The districts with declared or verified documents, by code, each with both figures and the estimate on `basis`. */
async function withVerified(db: Tx, declared: { code: string; name: string; documentsSigned: number }[], verified: Map<string, number>, basis: Basis, cost: number): Promise<SavingsResult['byDistrict']> {
  const byCode = new Map(declared.map((d) => [d.code, { ...d, documentsVerified: verified.get(d.code) ?? 0 }]))
  const missing = [...verified.keys()].filter((code) => !byCode.has(code))
  if (missing.length) {
    const names = await queryRows<{ code: string; name: string }>(db, sql`select code, name from admin_units where code in (select jsonb_array_elements_text(${JSON.stringify(missing)}::jsonb))`)
    const nameOf = new Map(names.map((n) => [n.code, n.name]))
    for (const code of missing) byCode.set(code, { code, name: nameOf.get(code) ?? code, documentsSigned: 0, documentsVerified: verified.get(code) ?? 0 })
  }
  return [...byCode.values()]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((d) => ({ ...d, estimatedSavingsVnd: (basis === 'verified' ? d.documentsVerified : d.documentsSigned) * cost }))
}
