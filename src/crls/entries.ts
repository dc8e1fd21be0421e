/** Lookups in the entries of the imported revocation lists (crl_entries). */
import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'

export type IssuerSerial = { issuerKey: string; serial: string }

export function issuerSerialKey(p: IssuerSerial): string {
  return `${p.issuerKey}|${p.serial}`
}

/** The pairs on an imported CRL, by `issuerSerialKey` → revocation date. One query, the pairs as one JSON parameter. */
export async function revokedSerials(db: DbOrTx, pairs: IssuerSerial[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>()
  const unique = [...new Map(pairs.map((p) => [issuerSerialKey(p), { k: p.issuerKey, s: p.serial }])).values()]
  if (!unique.length) return out
  const rows = await queryRows<{ k: string; s: string; revoked_at: string | Date }>(db, sql`
    select e.issuer_key as k, e.serial_number as s, e.revoked_at
      from jsonb_to_recordset(${JSON.stringify(unique)}::jsonb) as r(k text, s text)
      join crl_entries e on e.issuer_key = r.k and e.serial_number = r.s`)
  for (const r of rows) out.set(issuerSerialKey({ issuerKey: r.k, serial: r.s }), new Date(r.revoked_at))
  return out
}
