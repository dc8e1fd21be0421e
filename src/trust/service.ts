/** Trust anchors and registered intermediate CAs (table ca_certificates, role anchor|intermediate). */
import { and, asc, eq } from 'drizzle-orm'
import { caCertificates } from '../db/schema.ts'
import type { Db } from '../db/open.ts'
import type { Actor } from '../auth/actor.ts'
import { audit } from '../audit/write.ts'
import { Conflict, Malformed, Unprocessable } from '../lib/errors.ts'
import { verifyCertificate } from '../pki/index.ts'
import { checkSignature } from '../pki/signature.ts'
import { readCertificateUpload, type Upload } from '../upload/read.ts'
import { invalidateTrustStore, trustStore, type CaRole } from './store.ts'
import { contractProblems } from './chain-problems.ts'

export type CaRecord = {
  id: string
  role: CaRole
  fingerprintSha256: string
  subjectDn: string
  issuerDn: string
  notBefore: string
  notAfter: string
  createdAt: string
}

function caRecord(row: typeof caCertificates.$inferSelect): CaRecord {
  return {
    id: row.id,
    role: row.role as CaRole,
    fingerprintSha256: row.fingerprintSha256,
    subjectDn: row.subjectDn,
    issuerDn: row.issuerDn,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    createdAt: row.createdAt.toISOString(),
  }
}

const NOUN: Record<CaRole, string> = { anchor: 'trust anchor', intermediate: 'intermediate CA' }

/**
 * Registers a trust anchor or an intermediate CA. The body holds one CA certificate. An intermediate must
 * chain to a trust anchor (through registered intermediates if need be), checked at its own notBefore.
 */
export async function addCaCertificate(db: Db, actor: Actor, role: CaRole, body: Upload): Promise<CaRecord> {
  const certs = readCertificateUpload(body)
  if (certs.length !== 1) throw new Malformed(`The body holds ${certs.length} certificates; send exactly one CA certificate per request.`)
  const [cert] = certs
  if (!cert.basicConstraints?.cA) {
    const message = `The certificate "${cert.subjectDn}" is not a CA certificate (its basicConstraints ${cert.basicConstraints ? 'say cA false' : 'are absent'}), so it cannot be a ${NOUN[role]}.`
    throw new Unprocessable(message, [{ code: 'not_a_ca', message }], 'not_a_ca')
  }
  // An anchor is trusted as it is, but when its issuer is known (itself when self-issued, or a registered
  // CA of that name) its signature must verify: an altered or corrupted CA certificate is refused.
  if (role === 'anchor') {
    const issuers = cert.subjectDer.equals(cert.issuerDer)
      ? [cert]
      : (await trustStore(db)).all.map((c) => c.cert).filter((c) => c.subjectDer.equals(cert.issuerDer))
    if (issuers.length && issuers.every((issuer) => checkSignature(cert.tbsDer, cert.signature, cert.signatureOid, issuer) === 'bad')) {
      const message = `The certificate "${cert.subjectDn}" does not verify with the key of its issuer "${cert.issuerDn}": it was altered or corrupted.`
      throw new Unprocessable(`${message} Nothing was stored.`, [{ code: 'bad_signature', message }], 'bad_signature')
    }
  }
  if (role === 'intermediate') {
    const store = await trustStore(db)
    const result = verifyCertificate(cert, { anchors: store.anchors, intermediates: store.intermediates, at: cert.notBefore, profile: 'rfc5280' })
    if (!result.ok) {
      throw new Unprocessable(
        `The intermediate CA "${cert.subjectDn}" does not chain to a registered trust anchor at its notBefore (${cert.notBefore.toISOString()}); nothing was stored. Register its issuer first.`,
        contractProblems(result.problems, ['untrusted_issuer']))
    }
  }
  const created = await db.transaction(async (tx) => {
    const [row] = await tx.insert(caCertificates).values({
      role,
      fingerprintSha256: cert.fingerprintSha256,
      der: cert.der,
      subjectDn: cert.subjectDn,
      issuerDn: cert.issuerDn,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
    }).onConflictDoNothing({ target: caCertificates.fingerprintSha256 }).returning()
    if (!row) return null
    await audit(tx, actor, {
      action: role === 'anchor' ? 'trust_anchor.create' : 'intermediate.create',
      entityType: 'ca_certificate',
      entityId: row.id,
      details: { fingerprintSha256: row.fingerprintSha256, subjectDn: row.subjectDn },
    })
    return row
  })
  if (!created) {
    const [existing] = await db.select({ id: caCertificates.id, role: caCertificates.role }).from(caCertificates)
      .where(eq(caCertificates.fingerprintSha256, cert.fingerprintSha256)).limit(1)
    throw new Conflict(`This certificate is already registered as ${existing?.role === 'anchor' ? 'a trust anchor' : 'an intermediate CA'}.`, existing?.id ?? '')
  }
  invalidateTrustStore(db)
  return caRecord(created)
}

export async function listCaCertificates(db: Db, role: CaRole): Promise<CaRecord[]> {
  const rows = await db.select().from(caCertificates).where(and(eq(caCertificates.role, role)))
    .orderBy(asc(caCertificates.createdAt), asc(caCertificates.id))
  return rows.map(caRecord)
}
