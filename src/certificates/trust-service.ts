/** Trust anchors and registered intermediate CAs (table ca_certificates, role anchor|intermediate). */
import { and, asc, eq } from 'drizzle-orm'
import { caCertificates } from '../db/schema.ts'
import type { Db } from '../db/open.ts'
import type { Actor } from '../auth/actor.ts'
import { audit } from '../audit/write.ts'
import { HttpProblem, duplicate, malformed, type ProblemEntry } from '../http/problem.ts'
import { PkiInputError, readCertificates, verifyCertificate, type Certificate, type PkiProblem } from '../pki/index.ts'
import { checkSignature } from '../pki/signature.ts'
import { invalidateTrustStore, trustStore, type CaRole } from './trust-cache.ts'

/** Problem codes the contract names for a refused certificate; other pki codes surface as untrusted_issuer. */
export const CONTRACT_PROBLEM_CODES = new Set([
  'untrusted_issuer', 'bad_signature', 'ca_certificate', 'key_usage', 'weak_key', 'weak_signature_algorithm',
  'unsupported_algorithm', 'unit_not_found', 'unit_ambiguous', 'revoked',
])

/**
 * The pki's problems in the contract's words: path problems the contract does not name (a CA expired
 * at the time, path length, name constraints, an issuer that is not a CA…) are `untrusted_issuer`
 * with the pki's own message and its detailed code in `reason`.
 */
export function contractProblems(problems: PkiProblem[], allowed: Set<string> = CONTRACT_PROBLEM_CODES): ProblemEntry[] {
  return problems.map((p) => (allowed.has(p.code)
    ? { code: p.code, message: p.message }
    : { code: 'untrusted_issuer', message: p.message, reason: p.code }))
}

/** The pki's reading errors as HTTP problems; anything else is rethrown. */
export function readingProblem(err: unknown): HttpProblem {
  if (err instanceof PkiInputError) {
    if (err.code === 'private_key_material') {
      return new HttpProblem(422, 'private_key_material', 'The upload contains a private key. A private key must never leave its token or signing server; nothing was stored or logged. Send the certificate alone.')
    }
    return malformed(err.message)
  }
  throw err
}

/** Every certificate in an upload (PEM with any number of blocks, DER, PKCS#7, bare base64). */
export function readUpload(body: Buffer | string | undefined): Certificate[] {
  if (body === undefined || body.length === 0) throw malformed('The body is empty; send a certificate.')
  try {
    return readCertificates(body)
  } catch (err) {
    throw readingProblem(err)
  }
}

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

function toRecord(row: typeof caCertificates.$inferSelect): CaRecord {
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
export async function addCaCertificate(db: Db, actor: Actor, role: CaRole, body: Buffer | string | undefined): Promise<CaRecord> {
  const certs = readUpload(body)
  if (certs.length !== 1) throw malformed(`The body holds ${certs.length} certificates; send exactly one CA certificate per request.`)
  const [cert] = certs
  if (!cert.basicConstraints?.cA) {
    const message = `The certificate "${cert.subjectDn}" is not a CA certificate (its basicConstraints ${cert.basicConstraints ? 'say cA false' : 'are absent'}), so it cannot be a ${NOUN[role]}.`
    throw new HttpProblem(422, 'not_a_ca', message, { problems: [{ code: 'not_a_ca', message }] })
  }
  // An anchor is trusted as it is, but when its issuer is known (itself when self-issued, or a registered
  // CA of that name) its signature must verify: an altered or corrupted CA certificate is refused.
  if (role === 'anchor') {
    const issuers = cert.subjectDer.equals(cert.issuerDer)
      ? [cert]
      : (await trustStore(db)).all.map((c) => c.cert).filter((c) => c.subjectDer.equals(cert.issuerDer))
    if (issuers.length && issuers.every((issuer) => checkSignature(cert.tbsDer, cert.signature, cert.signatureOid, issuer) === 'bad')) {
      const message = `The certificate "${cert.subjectDn}" does not verify with the key of its issuer "${cert.issuerDn}": it was altered or corrupted.`
      throw new HttpProblem(422, 'bad_signature', `${message} Nothing was stored.`, { problems: [{ code: 'bad_signature', message }] })
    }
  }
  if (role === 'intermediate') {
    const store = await trustStore(db)
    const result = verifyCertificate(cert, { anchors: store.anchors, intermediates: store.intermediates, at: cert.notBefore, profile: 'rfc5280' })
    if (!result.ok) {
      const problems = contractProblems(result.problems, new Set(['untrusted_issuer']))
      throw new HttpProblem(422, 'unprocessable',
        `The intermediate CA "${cert.subjectDn}" does not chain to a registered trust anchor at its notBefore (${cert.notBefore.toISOString()}); nothing was stored. Register its issuer first.`,
        { problems })
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
    throw duplicate(`This certificate is already registered as ${existing?.role === 'anchor' ? 'a trust anchor' : 'an intermediate CA'}.`, existing?.id ?? '')
  }
  invalidateTrustStore(db)
  return toRecord(created)
}

export async function listCaCertificates(db: Db, role: CaRole): Promise<CaRecord[]> {
  const rows = await db.select().from(caCertificates).where(and(eq(caCertificates.role, role)))
    .orderBy(asc(caCertificates.createdAt), asc(caCertificates.id))
  return rows.map(toRecord)
}
