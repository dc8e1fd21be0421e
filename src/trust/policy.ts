/**
 * The certificate policy settings registrations are checked with (RFC 5280 6.1.1 (c) and (f)),
 * from the configuration, kept per database handle as the trust store is.
 */
import type { Db } from '../db/open.ts'

export type TrustPolicy = { policies: string[]; explicitPolicy: boolean }

const settings = new WeakMap<object, TrustPolicy>()

export function setTrustPolicy(db: Db, policy: TrustPolicy): void {
  settings.set(db, policy)
}

/** Default: anyPolicy, no explicit policy required (every path RFC 5280 accepts). */
export function trustPolicyOf(db: Db): TrustPolicy {
  return settings.get(db) ?? { policies: [], explicitPolicy: false }
}
