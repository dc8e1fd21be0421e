/**
 * Trust anchors and intermediates as DER, the form in which they cross to a worker thread, and their
 * parsed form there: parsed once per distinct set, since every task of a worker carries the same store
 * until a CA certificate is added.
 */
import { createHash } from 'node:crypto'
import { parseCertificate, type Certificate } from './certificate.ts'

export type TrustMaterial = { anchors: Uint8Array[]; intermediates: Uint8Array[] }
export type ParsedTrust = { anchors: Certificate[]; intermediates: Certificate[] }

export function trustMaterial(store: ParsedTrust): TrustMaterial {
  return { anchors: store.anchors.map((c) => c.der), intermediates: store.intermediates.map((c) => c.der) }
}

/** Parses a list of DER certificates; one the parser cannot read is left out, as in the trust cache. */
export function parsedList(list: Uint8Array[]): Certificate[] {
  const out: Certificate[] = []
  for (const der of list) {
    try { out.push(parseCertificate(Buffer.from(der))) } catch { /* left out */ }
  }
  return out
}

let cached: { key: string; trust: ParsedTrust } | null = null

export function parsedTrust(t: TrustMaterial): ParsedTrust {
  const hash = createHash('sha256')
  for (const list of [t.anchors, t.intermediates]) {
    for (const der of list) hash.update(createHash('sha256').update(der).digest())
    hash.update('|')
  }
  const key = hash.digest('hex')
  if (cached?.key !== key) cached = { key, trust: { anchors: parsedList(t.anchors), intermediates: parsedList(t.intermediates) } }
  return cached.trust
}
