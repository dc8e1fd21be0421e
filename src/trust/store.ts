/**
 * The parsed trust anchors and registered intermediates, kept in memory per database handle.
 * Each use costs one small query (row count and newest created_at of ca_certificates); the
 * certificates are re-read and re-parsed only when that stamp changed (another process added one)
 * or this process added one itself (`invalidateTrustStore`).
 */
import { sql } from 'drizzle-orm'
import type { Db, DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { parseCertificate, type Certificate } from '../pki/index.ts'

export type CaRole = 'anchor' | 'intermediate'
export type TrustedCa = { id: string; role: CaRole; cert: Certificate }
export type TrustStore = {
  anchors: Certificate[]
  intermediates: Certificate[]
  all: TrustedCa[]
  /** Whether any CRL entry is recorded: when none is, registrations skip the revocation lookup. */
  hasCrlEntries: boolean
}

type Entry = { stamp: string; store: TrustStore; stale: boolean }

const caches = new WeakMap<object, Entry>()

async function stampOf(db: DbOrTx): Promise<{ stamp: string; hasCrlEntries: boolean }> {
  const [row] = await queryRows<{ n: number | string; m: string | null; crl: boolean }>(db,
    sql`select count(*)::int as n, max(created_at)::text as m, exists (select 1 from crl_entries) as crl from ca_certificates`)
  return { stamp: `${row?.n ?? 0}|${row?.m ?? ''}`, hasCrlEntries: row?.crl === true }
}

/** The trust store as the database holds it now. `db` also keys the cache. */
export async function trustStore(db: Db): Promise<TrustStore> {
  const { stamp, hasCrlEntries } = await stampOf(db)
  const cached = caches.get(db)
  if (cached && !cached.stale && cached.stamp === stamp) return { ...cached.store, hasCrlEntries }
  const rows = await queryRows<{ id: string; role: CaRole; der: Buffer | Uint8Array }>(db,
    sql`select id, role, der from ca_certificates order by created_at, id`)
  const all: TrustedCa[] = []
  for (const row of rows) {
    try {
      all.push({ id: row.id, role: row.role, cert: parseCertificate(Buffer.from(row.der)) })
    } catch {
      // A row this parser cannot read (only possible if it was stored by another version) is left out.
    }
  }
  const store: TrustStore = {
    anchors: all.filter((c) => c.role === 'anchor').map((c) => c.cert),
    intermediates: all.filter((c) => c.role === 'intermediate').map((c) => c.cert),
    all,
    hasCrlEntries,
  }
  caches.set(db, { stamp, store, stale: false })
  return store
}

/** Called after this process adds a CA certificate. */
export function invalidateTrustStore(db: Db): void {
  const cached = caches.get(db)
  if (cached) cached.stale = true
}
