/** A recorded certificate as the API shows it, and the values it is recorded with. */
import type { certificates } from '../db/schema.ts'
import type { Kind } from './subject-mentions.ts'
import { certificateStatus, type CertificateStatus } from './status.ts'

export const KINDS = ['organization', 'individual'] as const
export const DEVICES = ['token', 'sim', 'remote', 'other'] as const
export type Device = (typeof DEVICES)[number]
export type MatchedBy = 'explicit' | 'subject'

export type Warning = { code: string; message: string }

export type CertificateRow = typeof certificates.$inferSelect

export type CertificateRecord = {
  id: string
  fingerprintSha256: string
  serialNumber: string
  subject: Record<string, string | string[]>
  subjectDn: string
  issuerDn: string
  device: Device | null
  notBefore: string
  notAfter: string
  unitCode: string
  kind: Kind
  status: CertificateStatus
  keyAlgorithm: string
  keySize: number
  signatureAlgorithm: string
  matchedBy: MatchedBy
  warnings: Warning[]
  revokedAt: string | null
  revocationReason: string | null
  createdAt: string
}

/** The row as the API shows it; the status is the one at `now`. */
export function certificateRecord(row: CertificateRow, now = new Date()): CertificateRecord {
  return {
    id: row.id,
    fingerprintSha256: row.fingerprintSha256,
    serialNumber: row.serialNumber,
    subject: row.subject,
    subjectDn: row.subjectDn,
    issuerDn: row.issuerDn,
    device: (row.device as Device | null) ?? null,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    unitCode: row.unitCode,
    kind: row.kind as Kind,
    status: certificateStatus(row, now),
    keyAlgorithm: row.keyAlgorithm,
    keySize: row.keySize,
    signatureAlgorithm: row.signatureAlgorithm,
    matchedBy: row.matchedBy as MatchedBy,
    warnings: row.warnings ?? [],
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revocationReason: row.revocationReason ?? null,
    createdAt: row.createdAt.toISOString(),
  }
}
