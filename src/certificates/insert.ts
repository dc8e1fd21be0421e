import { sql } from 'drizzle-orm'
import { certificates } from '../db/schema.ts'
import type { DbOrTx } from '../db/open.ts'
import { createdAtText } from '../db/keyset.ts'
import { insertRowsSql } from '../db/json-rows.ts'
import { queryRows } from '../db/rows.ts'
import { audit, type AuditActor } from '../audit/write.ts'

export type NewCertificate = typeof certificates.$inferInsert

/** A row as inserted: its id and its created_at to the microsecond (for the record and cursors). */
export type Inserted = { id: string; fingerprintSha256: string; createdAt: string }

/**
 * Inserts certificates, all in one statement, and their audit entries (`batch` marks those of a batch).
 * Rows whose fingerprint is already recorded are skipped (ON CONFLICT DO NOTHING) and not returned. Call
 * it inside a transaction or savepoint, so that the rows and their audit entries land together or not at all.
 */
export async function insertCertificates(tx: DbOrTx, actor: AuditActor, rows: NewCertificate[], batch: boolean): Promise<Inserted[]> {
  const inserted = await queryRows<Inserted>(tx, sql`${insertRowsSql(certificates, rows)}
    on conflict (fingerprint_sha256) do nothing
    returning id::text as "id", fingerprint_sha256 as "fingerprintSha256", ${createdAtText(certificates)} as "createdAt"`)
  const byFingerprint = new Map(rows.map((row) => [row.fingerprintSha256, row]))
  await audit(tx, actor, inserted.map((r) => {
    const v = byFingerprint.get(r.fingerprintSha256)!
    return {
      action: 'certificate.create', entityType: 'certificate', entityId: r.id,
      details: {
        fingerprintSha256: v.fingerprintSha256, serialNumber: v.serialNumber, subjectDn: v.subjectDn, issuerDn: v.issuerDn,
        unitCode: v.unitCode, kind: v.kind, matchedBy: v.matchedBy, ...(batch ? { batch: true } : {}),
      },
    }
  }))
  return inserted
}
