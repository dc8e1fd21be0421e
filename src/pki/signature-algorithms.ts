import { C, T, isUniversal, kids, oidOf, smallInteger, type Node } from './asn1.ts'
import { DIGESTS, MGF1, OTHER_SIGNATURE_NAMES, RSASSA_PSS, SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from './oids.ts'

/** RSASSA-PSS parameters (RFC 4055 section 3.1) that node:crypto can verify: MGF1 with the message hash, trailer 1. */
export type PssParams = { hash: string; saltLength: number }

/** A signature algorithm as written in a certificate or CRL: its OID and, for RSASSA-PSS, its parameters (null: unusable). */
export type SignatureSpec = { oid: string; pss?: PssParams | null }

function hashOf(alg: Node, what: string): string | null {
  const [oid] = kids(alg, what)
  return DIGESTS[oidOf(oid, what)] ?? null
}

/** Reads RSASSA-PSS-params; null when absent, malformed, or a combination node:crypto cannot check. */
export function pssParams(params: Node | undefined): PssParams | null {
  const what = 'RSASSA-PSS parameters'
  try {
    if (!isUniversal(params, T.SEQUENCE)) return null
    let hash: string | null = 'sha1'
    let mgfHash: string | null = 'sha1'
    let saltLength = 20
    for (const p of kids(params, what)) {
      if (p.tagClass !== C.CONTEXT_SPECIFIC) return null
      const [inner, more] = kids(p, what)
      if (more) return null
      if (p.type === 0) hash = hashOf(inner, what)
      else if (p.type === 1) {
        const [mgf, mgfParams] = kids(inner, what)
        if (oidOf(mgf, what) !== MGF1 || !mgfParams) return null
        mgfHash = hashOf(mgfParams, what)
      } else if (p.type === 2) saltLength = smallInteger(inner, what)
      else if (p.type === 3) { if (smallInteger(inner, what) !== 1) return null } else return null
    }
    if (!hash || hash !== mgfHash || saltLength > 1024) return null
    return { hash, saltLength }
  } catch {
    return null
  }
}

export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid]?.name ?? OTHER_SIGNATURE_NAMES[oid] ?? oid
}

/** The algorithm to verify with, RSASSA-PSS resolved through its parameters; undefined when unsupported. */
export function signatureAlgorithm(spec: string | SignatureSpec): SignatureAlgorithm | undefined {
  const s = typeof spec === 'string' ? { oid: spec } : spec
  if (s.oid === RSASSA_PSS) {
    if (!s.pss) return undefined
    return { name: 'RSASSA-PSS', hash: s.pss.hash, key: 'RSA', pss: { saltLength: s.pss.saltLength }, ...(s.pss.hash === 'sha1' ? { weak: 'warning' as const } : {}) }
  }
  return SIGNATURE_ALGORITHMS[s.oid]
}
