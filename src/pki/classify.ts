import { childrenOf, readTlv, type Tlv } from './der.ts'

const SEQ = 0x30
const INT = 0x02
const OCTET = 0x04
const OID = 0x06

export type DerKind = 'certificate' | 'pkcs7' | 'private_key' | 'csr' | 'crl' | 'unknown'

const PKCS7_SIGNED_DATA = Buffer.from('06092a864886f70d010702', 'hex')

/** Recognises the top-level shape of a DER blob well enough to refuse keys and name what else it is. */
export function classifyDer(der: Buffer): DerKind {
  let top: Tlv
  let parts: Tlv[]
  try {
    top = readTlv(der, 0)
    if (top.tag !== SEQ) return 'unknown'
    parts = childrenOf(der, top)
  } catch {
    return 'unknown'
  }
  const tags = parts.map((p) => p.tag)
  const first = parts[0]
  const intValue = (t: Tlv) => (t.tag === INT && t.end - t.contentStart === 1 ? der[t.contentStart] : -1)
  // PKCS#1 RSAPrivateKey (9 integers) and DSA private key (6 integers)
  if ((tags.length === 9 || tags.length === 6) && tags.every((t) => t === INT) && intValue(first) === 0) return 'private_key'
  // PKCS#8 PrivateKeyInfo / OneAsymmetricKey
  if (tags.length >= 3 && tags[0] === INT && tags[1] === SEQ && tags[2] === OCTET && intValue(first) >= 0 && intValue(first) <= 1) return 'private_key'
  // SEC1 ECPrivateKey
  if (tags.length >= 2 && tags[0] === INT && intValue(first) === 1 && tags[1] === OCTET) return 'private_key'
  // EncryptedPrivateKeyInfo
  if (tags.length === 2 && tags[0] === SEQ && tags[1] === OCTET) return 'private_key'
  if (tags.length === 2 && tags[0] === OID && der.subarray(first.start, first.end).equals(PKCS7_SIGNED_DATA)) return 'pkcs7'
  if (tags.length === 3 && tags[0] === SEQ && tags[2] === 0x03) {
    try {
      const inner = childrenOf(der, first).map((p) => p.tag)
      // CSR: version INTEGER, subject, SPKI, [0] attributes
      if (inner.length === 4 && inner[0] === INT && inner[3] === 0xa0 && inner[1] === SEQ && inner[2] === SEQ) return 'csr'
      // Certificate: optional [0] version then INTEGER serial
      if (inner[0] === 0xa0 || (inner[0] === INT && inner[2] === SEQ && inner[3] === SEQ && inner[4] === SEQ && inner[5] === SEQ)) return 'certificate'
      // CRL: optional version, AlgorithmIdentifier, Name, time
      const t = inner[0] === INT ? inner.slice(1) : inner
      if (t[0] === SEQ && t[1] === SEQ && (t[2] === 0x17 || t[2] === 0x18)) return 'crl'
      return 'certificate'
    } catch {
      return 'unknown'
    }
  }
  return 'unknown'
}
