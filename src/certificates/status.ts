/** The status of a recorded certificate at a moment. Pure; `valid` is exactly units/rules.ts `validAt` (and its SQL form). */
import type { Dated } from '../units/rules.ts'

export const STATUSES = ['valid', 'expired', 'not_yet_valid', 'revoked'] as const
export type CertificateStatus = (typeof STATUSES)[number]

/**
 * Revoked wins from its revocation time on; otherwise valid on [notBefore, notAfter)
 * (the certificate's last second counts as expired, as coverage counts it).
 */
export function certificateStatus(cert: Dated, at: Date = new Date()): CertificateStatus {
  const t = at.getTime()
  if (cert.revokedAt && cert.revokedAt.getTime() <= t) return 'revoked'
  if (t < cert.notBefore.getTime()) return 'not_yet_valid'
  if (t >= cert.notAfter.getTime()) return 'expired'
  return 'valid'
}
