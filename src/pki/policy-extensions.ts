import { C, T, isUniversal, kids, oidOf, parseDer, smallInteger, type Node } from './asn1.ts'
import { malformed } from './errors.ts'
import type { Extension } from './extensions.ts'
import { EXT } from './oids.ts'

export const ANY_POLICY = '2.5.29.32.0'

/** The certificate policy extensions of RFC 5280 4.2.1.4, 4.2.1.5, 4.2.1.11 and 4.2.1.14. */
export type PolicyExtensions = {
  /** Policy OIDs of certificatePolicies; absent when the certificate has no such extension. */
  policies?: string[]
  /** issuerDomainPolicy → subjectDomainPolicy pairs, in order. */
  mappings?: [string, string][]
  requireExplicitPolicy?: number
  inhibitPolicyMapping?: number
  inhibitAnyPolicy?: number
}

function skipCerts(node: Node, what: string): number {
  // SkipCerts is an INTEGER (0..MAX); under an implicit tag it is read as one.
  return smallInteger({ ...node, tagClass: C.UNIVERSAL, type: T.INTEGER }, what)
}

function certificatePolicies(buf: Buffer, what: string): string[] {
  const list = kids(parseDer(buf), `certificate policies of ${what}`)
  if (list.length === 0) throw malformed(`The ${what} has an empty certificate policies extension.`)
  const seen = new Set<string>()
  for (const info of list) {
    if (!isUniversal(info, T.SEQUENCE)) throw malformed(`Invalid policy information in ${what}.`)
    const [id, qualifiers, more] = kids(info, what)
    if (more || (qualifiers && !isUniversal(qualifiers, T.SEQUENCE))) throw malformed(`Invalid policy information in ${what}.`)
    const oid = oidOf(id, `a certificate policy of ${what}`)
    // 4.2.1.4: a policy OID MUST NOT appear more than once.
    if (seen.has(oid)) throw malformed(`The ${what} lists the certificate policy ${oid} twice.`)
    seen.add(oid)
  }
  return [...seen]
}

function policyMappings(buf: Buffer, what: string): [string, string][] {
  const list = kids(parseDer(buf), `policy mappings of ${what}`)
  if (list.length === 0) throw malformed(`The ${what} has an empty policy mappings extension.`)
  return list.map((m) => {
    if (!isUniversal(m, T.SEQUENCE)) throw malformed(`Invalid policy mapping in ${what}.`)
    const [from, to, more] = kids(m, what)
    if (!to || more) throw malformed(`Invalid policy mapping in ${what}.`)
    return [oidOf(from, what), oidOf(to, what)]
  })
}

export function decodePolicyExtensions(exts: Extension[], what: string): PolicyExtensions {
  const out: PolicyExtensions = {}
  for (const e of exts) {
    switch (e.oid) {
      case EXT.certificatePolicies: out.policies = certificatePolicies(e.value, what); break
      case EXT.policyMappings: out.mappings = policyMappings(e.value, what); break
      case EXT.policyConstraints: {
        const parts = kids(parseDer(e.value), `policy constraints of ${what}`)
        // 4.2.1.11: the extension MUST NOT be an empty sequence.
        if (parts.length === 0) throw malformed(`The ${what} has empty policy constraints.`)
        let last = -1
        for (const p of parts) {
          if (p.tagClass !== C.CONTEXT_SPECIFIC || p.type > 1 || p.type <= last) throw malformed(`Invalid policy constraints in ${what}.`)
          last = p.type
          if (p.type === 0) out.requireExplicitPolicy = skipCerts(p, what)
          else out.inhibitPolicyMapping = skipCerts(p, what)
        }
        break
      }
      case EXT.inhibitAnyPolicy: out.inhibitAnyPolicy = smallInteger(parseDer(e.value), `inhibit anyPolicy of ${what}`); break
    }
  }
  return out
}
