import { C, T, bitString, booleanOf, bytesOf, expect, isContext, kids, oidOf, parseDer, smallInteger, toBuffer, type Node } from './asn1.ts'
import { malformed } from './errors.ts'
import { parseGeneralName, parseGeneralNames, type GeneralName } from './general-name.ts'
import { EXT, KEY_USAGE_BITS } from './oids.ts'

export type Extension = { oid: string; critical: boolean; value: Buffer }
export type BasicConstraints = { cA: boolean; pathLen?: number; critical: boolean }
export type Subtree = GeneralName
export type NameConstraints = { permitted: Subtree[]; excluded: Subtree[] }

/** The decoded extensions a Certificate carries as fields of its own. */
export type CertificateExtensionFields = {
  keyUsage?: string[]
  keyUsageCritical?: boolean
  extKeyUsage?: string[]
  basicConstraints?: BasicConstraints
  subjectKeyId?: string
  authorityKeyId?: string
}

export type DecodedExtensions = CertificateExtensionFields & {
  subjectAltName?: GeneralName[]
  nameConstraints?: NameConstraints
}

export function parseExtensionList(node: Node, what: string): Extension[] {
  const list = kids(expect(node, T.SEQUENCE, `the extensions of ${what}`), what)
  if (list.length === 0) throw malformed(`The ${what} has an empty extension list.`)
  const seen = new Set<string>()
  return list.map((ext) => {
    const parts = kids(expect(ext, T.SEQUENCE, `an extension of ${what}`), what)
    const oid = oidOf(parts[0], what)
    let critical = false
    let valueNode = parts[1]
    if (parts.length === 3) {
      critical = booleanOf(parts[1], what)
      valueNode = parts[2]
    } else if (parts.length !== 2) {
      throw malformed(`Invalid extension in ${what}.`)
    }
    if (seen.has(oid)) throw malformed(`The ${what} carries the extension ${oid} twice.`)
    seen.add(oid)
    return { oid, critical, value: toBuffer(bytesOf(expect(valueNode, T.OCTETSTRING, `an extension value of ${what}`), what)) }
  })
}

function keyUsage(buf: Buffer, what: string): string[] {
  const { bytes } = bitString(parseDer(buf), what)
  const out: string[] = []
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bytes[i >> 3]
    if (byte !== undefined && (byte & (0x80 >> (i & 7)))) out.push(name)
  })
  return out
}

function basicConstraints(buf: Buffer, critical: boolean, what: string): BasicConstraints {
  const parts = kids(expect(parseDer(buf), T.SEQUENCE, `basic constraints in ${what}`), what)
  let i = 0
  let cA = false
  if (parts[i]?.type === T.BOOLEAN && parts[i].tagClass === 0) cA = booleanOf(parts[i++], what)
  let pathLen: number | undefined
  if (parts[i]) pathLen = smallInteger(parts[i++], what)
  if (parts[i]) throw malformed(`Invalid basic constraints in ${what}.`)
  return pathLen === undefined ? { cA, critical } : { cA, pathLen, critical }
}

function extKeyUsage(buf: Buffer, what: string): string[] {
  const list = kids(expect(parseDer(buf), T.SEQUENCE, `extended key usage in ${what}`), what).map((n) => oidOf(n, what))
  if (list.length === 0) throw malformed(`The ${what} has an empty extended key usage.`)
  return list
}

function authorityKeyId(buf: Buffer, what: string): string | undefined {
  const parts = kids(expect(parseDer(buf), T.SEQUENCE, `authority key identifier in ${what}`), what)
  const keyId = parts.find((p) => isContext(p, 0))
  return keyId ? toBuffer(keyId.value as string).toString('hex') : undefined
}

function subtrees(node: Node, what: string): Subtree[] {
  return kids(node, what).map((st) => {
    const [base, ...rest] = kids(expect(st, T.SEQUENCE, `a name constraint in ${what}`), what)
    // RFC 5280: minimum MUST be zero and maximum MUST be absent.
    if (rest.length > 0) throw malformed(`Name constraint with minimum/maximum in ${what}.`)
    return parseGeneralName(base, what)
  })
}

function nameConstraints(buf: Buffer, what: string): NameConstraints {
  const parts = kids(expect(parseDer(buf), T.SEQUENCE, `name constraints in ${what}`), what)
  const out: NameConstraints = { permitted: [], excluded: [] }
  for (const p of parts) {
    if (p.tagClass === C.CONTEXT_SPECIFIC && p.type === 0) out.permitted = subtrees(p, what)
    else if (p.tagClass === C.CONTEXT_SPECIFIC && p.type === 1) out.excluded = subtrees(p, what)
    else throw malformed(`Invalid name constraints in ${what}.`)
  }
  if (parts.length === 0) throw malformed(`Empty name constraints in ${what}.`)
  return out
}

/** Decodes the extensions path validation relies on; a broken one makes the certificate malformed. */
export function decodeExtensions(exts: Extension[], what: string): DecodedExtensions {
  const out: DecodedExtensions = {}
  for (const e of exts) {
    switch (e.oid) {
      case EXT.keyUsage: out.keyUsage = keyUsage(e.value, what); out.keyUsageCritical = e.critical; break
      case EXT.basicConstraints: out.basicConstraints = basicConstraints(e.value, e.critical, what); break
      case EXT.extKeyUsage: out.extKeyUsage = extKeyUsage(e.value, what); break
      case EXT.subjectKeyIdentifier:
        out.subjectKeyId = toBuffer(bytesOf(expect(parseDer(e.value), T.OCTETSTRING, `key identifier in ${what}`), what)).toString('hex')
        break
      case EXT.authorityKeyIdentifier: out.authorityKeyId = authorityKeyId(e.value, what); break
      case EXT.subjectAltName: out.subjectAltName = parseGeneralNames(parseDer(e.value), `the alternative names of ${what}`); break
      case EXT.nameConstraints: out.nameConstraints = nameConstraints(e.value, what); break
    }
  }
  return out
}
