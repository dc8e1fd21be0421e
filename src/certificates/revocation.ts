/**
 * Revocation of a recorded certificate by hand. The date lies between the certificate's notBefore and
 * now: a planned revocation is not one yet, and a date before issuance means nothing. A registrar
 * revokes once (a second time answers 409); an admin may correct a revocation's date or reason, and the
 * correction is audited with what it replaced. An imported CRL may still move the date earlier.
 */
import { and, eq, sql } from 'drizzle-orm'
import { adminUnits, certificates } from '../db/schema.ts'
import type { Db } from '../db/open.ts'
import type { Actor } from '../auth/actor.ts'
import { audit } from '../audit/write.ts'
import { inScope } from '../auth/scope.ts'
import { Conflict, Forbidden, Unprocessable } from '../lib/errors.ts'
import { isDay } from '../lib/dates.ts'
import { parseMoment } from '../lib/strict-dates.ts'
import { findRow, unknownCertificate } from './query.ts'
import { certificateRecord, type CertificateRecord } from './record.ts'

/** Clocks differ a little between a client and this server. */
const CLOCK_SKEW_MS = 5 * 60_000
const DAY_MS = 86_400_000

function outOfRange(detail: string): Unprocessable {
  return new Unprocessable(detail, [{ code: 'revocation_date', message: detail }])
}

/** The revocation moment, checked against the certificate: from its notBefore to now. */
export function revocationMoment(text: string | undefined, notBefore: Date, now: Date): Date {
  if (text === undefined) return now
  let at = parseMoment(text, 'revokedAt')
  // A day names its start in Vietnam time; on the day of issuance that is the issuance itself.
  if (isDay(text) && at < notBefore && notBefore.getTime() - at.getTime() < DAY_MS) at = notBefore
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw outOfRange(`revokedAt ${at.toISOString()} is in the future: a certificate is revoked when it is, not in advance. Send the revocation on the day; nothing was changed.`)
  }
  if (at < notBefore) {
    throw outOfRange(`revokedAt ${at.toISOString()} is before the certificate was valid (notBefore ${notBefore.toISOString()}); nothing was changed.`)
  }
  return at
}

/**
 * Revokes a recorded certificate from `revokedAt` (default: now). Already revoked: 409 for a registrar;
 * an admin's request replaces the date and reason (a correction).
 */
export async function revokeCertificate(db: Db, actor: Actor, id: string, input: { revokedAt?: string; reason?: string }): Promise<CertificateRecord> {
  const reason = input.reason?.trim() || 'unspecified'
  const now = new Date()
  const row = await db.transaction(async (tx) => {
    const current = await findRow(tx, id)
    if (!current) throw unknownCertificate(id)
    const [unit] = await tx.select({ placeCodes: adminUnits.placeCodes }).from(adminUnits).where(eq(adminUnits.id, current.unitId)).limit(1)
    if (!inScope(actor, unit ?? { placeCodes: [] })) {
      throw new Forbidden(`The certificate belongs to unit ${current.unitCode}, which is outside this token's scope; nothing was changed.`)
    }
    const revokedAt = revocationMoment(input.revokedAt, current.notBefore, now)
    const correction = current.revokedAt !== null
    if (correction && actor.role !== 'admin') {
      throw new Conflict(`The certificate is already revoked (from ${current.revokedAt!.toISOString()}); its revocation was not changed. An admin may correct it.`, id)
    }
    // The row is changed only if it still is as read: a concurrent revocation makes this one a 409.
    const [updated] = await tx.update(certificates).set({ revokedAt, revocationReason: reason })
      .where(and(eq(certificates.id, id), correction ? eq(certificates.revokedAt, current.revokedAt!) : sql`${certificates.revokedAt} is null`)).returning()
    if (!updated) throw new Conflict('The certificate was revoked by another request meanwhile; its revocation was not changed.', id)
    await audit(tx, actor, {
      action: correction ? 'certificate.revocation_corrected' : 'certificate.revoke', entityType: 'certificate', entityId: id,
      details: {
        revokedAt: revokedAt.toISOString(), reason, fingerprintSha256: updated.fingerprintSha256,
        ...(correction ? { previousRevokedAt: current.revokedAt!.toISOString(), previousReason: current.revocationReason } : {}),
      },
    })
    return updated
  })
  return certificateRecord(row)
}
