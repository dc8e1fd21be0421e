import { sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { monthStart } from '../lib/dates.ts'

/** Which figure of documents signed an estimate rests on: the one declared (PUT /v1/activity) or the verified documents. */
export type Basis = 'declared' | 'verified'
export const BASES = ['declared', 'verified'] as const

/**
 * Verified documents per commune and month from `from` to `to` (months, both included), as a relation
 * (unit_code, month, documents_verified) that reports join like signing_activity.
 */
export function verifiedActivity(from: string, to: string): SQL {
  return sql`(select unit_code, month, count(*)::bigint as documents_verified from verified_documents
    where month >= ${monthStart(from)}::date and month <= ${monthStart(to)}::date group by unit_code, month)`
}

/** Verified documents per commune and month. */
export async function verifiedCounts(db: DbOrTx, from: string, to: string): Promise<{ unitCode: string; month: string; documentsVerified: number }[]> {
  const rows = await queryRows<{ unit_code: string; month: string | Date; documents_verified: string | number }>(db,
    sql`select v.unit_code, v.month::text as month, v.documents_verified from ${verifiedActivity(from, to)} v order by 1, 2`)
  return rows.map((r) => ({ unitCode: r.unit_code, month: String(r.month).slice(0, 7), documentsVerified: Number(r.documents_verified) }))
}
