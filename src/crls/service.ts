/**
 * CRL import: the list must be signed by a trust anchor or registered intermediate whose subject is the
 * CRL's issuer. Its entries are kept (crl_entries), so that a certificate registered later is refused
 * as revoked, and recorded certificates on it are revoked from their revocation date with one
 * set-based UPDATE … FROM.
 */
import crypto from 'node:crypto'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { certificates, crlEntries, crls } from '../db/schema.ts'
import type { Db } from '../db/open.ts'
import type { Actor } from '../auth/actor.ts'
import { audit } from '../audit/write.ts'
import { unitIdInScopeSql } from '../auth/scope.ts'
import { queryRows } from '../db/rows.ts'
import { chunks } from '../lib/chunks.ts'
import { Unprocessable } from '../lib/errors.ts'
import { verifyCrlSignature } from '../pki/index.ts'
import { trustStore } from '../trust/store.ts'
import { readCrlUpload, type Upload } from '../upload/read.ts'
import { nameKeyOf } from '../pki/name-key.ts'

export type CrlImport = {
  id: string
  issuerDn: string
  thisUpdate: string
  nextUpdate: string | null
  /** Entries on the list. */
  entries: number
  /** Recorded certificates that are on the list. */
  matched: number
  /** Of those, how many this import revoked or moved to an earlier revocation date. */
  revoked: number
  /** Recorded certificates on the list that this import would have revoked but that lie outside the caller's scope: left as they were. */
  outOfScope: number
  /** The first 100 of them. */
  outOfScopeCertificates: { id: string; unitCode: string; serialNumber: string }[]
}

const CHUNK = 1000

export async function importCrl(db: Db, actor: Actor, body: Upload): Promise<CrlImport> {
  const crl = readCrlUpload(body)
  const store = await trustStore(db)
  const issuers = store.all.filter((c) => c.cert.subjectDer.equals(crl.issuerDer) || c.cert.subjectDn === crl.issuerDn)
  if (!issuers.length) {
    const message = `The revocation list was issued by "${crl.issuerDn}", which is neither a trust anchor nor a registered intermediate CA.`
    throw new Unprocessable(`${message} Nothing was stored.`, [{ code: 'untrusted_issuer', message }], 'untrusted_issuer')
  }
  const signer = issuers.find((c) => verifyCrlSignature(crl, c.cert))
  if (!signer) {
    const message = `The signature on the revocation list does not verify with the key of "${crl.issuerDn}": it was not issued by that CA, or it was altered.`
    throw new Unprocessable(`${message} Nothing was stored.`, [{ code: 'bad_signature', message }], 'bad_signature')
  }

  // Entries are keyed by the signing CA's own subject name, as recorded certificates are by their
  // issuing CA's: a list whose issuer name is encoded differently still matches what that CA issued.
  const issuerKey = nameKeyOf(signer.cert.subjectDer)
  const fingerprint = crypto.createHash('sha256').update(crl.der).digest('hex')
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(crls).values({
      fingerprintSha256: fingerprint, issuerDn: crl.issuerDn, issuerKey, thisUpdate: crl.thisUpdate,
      nextUpdate: crl.nextUpdate ?? null, entries: crl.entries.length, der: crl.der,
    }).onConflictDoUpdate({ target: crls.fingerprintSha256, set: { entries: crl.entries.length } }).returning({ id: crls.id })

    // Each serial once (a list may repeat one), the earliest date kept.
    const entries = new Map<string, { serialNumber: string; revokedAt: Date; reason: string | null }>()
    for (const e of crl.entries) {
      const prev = entries.get(e.serialNumber)
      if (!prev || e.revokedAt < prev.revokedAt) entries.set(e.serialNumber, { serialNumber: e.serialNumber, revokedAt: e.revokedAt, reason: e.reason ?? null })
    }
    const list = [...entries.values()]
    for (const part of chunks(list, CHUNK)) {
      await tx.insert(crlEntries).values(part.map((e) => ({ issuerKey, ...e })))
        .onConflictDoUpdate({
          target: [crlEntries.issuerKey, crlEntries.serialNumber],
          set: {
            revokedAt: sql`least(${crlEntries.revokedAt}, excluded.revoked_at)`,
            reason: sql`coalesce(excluded.reason, ${crlEntries.reason})`,
          },
        })
    }

    // Recorded certificates of this issuer on any imported list of it, and in the caller's scope: revoked
    // from the list's date, or from an earlier one than they had. Those outside the scope are reported.
    const scoped = unitIdInScopeSql(actor, sql`c.unit_id`)
    const revoked = await queryRows<{ id: string }>(tx, sql`
      update certificates c
         set revoked_at = e.revoked_at, revocation_reason = coalesce(e.reason, 'unspecified')
        from crl_entries e
       where e.issuer_key = ${issuerKey} and c.issuer_key = e.issuer_key and c.serial_number = e.serial_number
         and (c.revoked_at is null or c.revoked_at > e.revoked_at) and ${scoped}
      returning c.id`)
    const outside = await queryRows<{ id: string; unit_code: string; serial_number: string; n: number }>(tx, sql`
      select c.id::text as id, c.unit_code, c.serial_number, count(*) over ()::int as n
        from certificates c join crl_entries e on e.issuer_key = c.issuer_key and e.serial_number = c.serial_number
       where e.issuer_key = ${issuerKey} and (c.revoked_at is null or c.revoked_at > e.revoked_at) and not ${scoped}
       order by c.unit_code, c.serial_number limit 100`)

    let matched = 0
    const serials = [...entries.keys()]
    for (const part of chunks(serials, CHUNK)) {
      const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(certificates)
        .where(and(eq(certificates.issuerKey, issuerKey), inArray(certificates.serialNumber, part)))
      matched += Number(n)
    }

    await audit(tx, actor, {
      action: 'crl.import', entityType: 'crl', entityId: row.id,
      details: {
        issuerDn: crl.issuerDn, fingerprintSha256: fingerprint, thisUpdate: crl.thisUpdate.toISOString(),
        entries: crl.entries.length, matched, revoked: revoked.length, revokedIds: revoked.slice(0, 1000).map((r) => r.id),
        outOfScope: Number(outside[0]?.n ?? 0),
      },
    })
    return {
      id: row.id,
      issuerDn: crl.issuerDn,
      thisUpdate: crl.thisUpdate.toISOString(),
      nextUpdate: crl.nextUpdate?.toISOString() ?? null,
      entries: crl.entries.length,
      matched,
      revoked: revoked.length,
      outOfScope: Number(outside[0]?.n ?? 0),
      outOfScopeCertificates: outside.map((r) => ({ id: r.id, unitCode: r.unit_code, serialNumber: r.serial_number })),
    }
  })
}
