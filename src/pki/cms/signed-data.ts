import { checkDerFraming, childrenOf, slice, type Tlv } from '../der.ts'
import { malformed } from '../errors.ts'
import { TAG, contentOf, integerHexAt, need, oidAt } from './der-values.ts'
import { CMS } from './oids.ts'

export type Attribute = { oid: string; values: Tlv[] }

export type SignerInfo = {
  version: number
  /** issuerAndSerialNumber: the issuer Name DER and the serial (lowercase hex); or a subject key identifier (hex). */
  sid: { issuerDer: Buffer; serial: string } | { keyId: string }
  digestOid: string
  /** The signed attributes as signed: the [0] IMPLICIT element re-tagged as a SET (RFC 5652 5.4). */
  signedAttrsDer: Buffer | null
  signedAttrs: Attribute[]
  signatureOid: string
  /** The DER of the signature AlgorithmIdentifier parameters, if any (RSASSA-PSS needs them). */
  signatureParams: Buffer | null
  signature: Buffer
  unsignedAttrs: Attribute[]
}

export type SignedData = {
  /** The buffer all positions (Tlv) refer to. */
  der: Buffer
  contentType: string
  /** The encapsulated content (attached CMS, RFC 3161 TSTInfo), or null when detached. */
  content: Buffer | null
  certificates: Buffer[]
  signers: SignerInfo[]
}

/** Most signer infos read from one SignedData; a PDF signature has one, a .p7s rarely more than two. */
export const MAX_SIGNERS = 8

function attributes(der: Buffer, set: Tlv, what: string): Attribute[] {
  return childrenOf(der, set).map((a) => {
    const [type, values, extra] = childrenOf(der, need(a, TAG.SEQUENCE, `an attribute in ${what}`))
    if (extra) throw malformed(`An attribute in ${what} has extra fields.`)
    return { oid: oidAt(der, type, what), values: childrenOf(der, need(values, TAG.SET, `attribute values in ${what}`)) }
  })
}

function signerInfo(der: Buffer, si: Tlv): SignerInfo {
  const what = 'the signer information'
  const f = childrenOf(der, need(si, TAG.SEQUENCE, what))
  const version = contentOf(der, need(f[0], TAG.INTEGER, 'a version'))[0] ?? 0
  let sid: SignerInfo['sid']
  if (f[1]?.tag === TAG.SEQUENCE) {
    const [issuer, serial] = childrenOf(der, f[1])
    sid = { issuerDer: slice(der, need(issuer, TAG.SEQUENCE, 'the signer issuer name')), serial: integerHexAt(der, serial, 'the signer serial number') }
  } else if (f[1]?.tag === 0x80) {
    sid = { keyId: contentOf(der, f[1]).toString('hex') }
  } else {
    throw malformed('The signer is not identified.')
  }
  const digestOid = oidAt(der, childrenOf(der, need(f[2], TAG.SEQUENCE, 'a digest algorithm'))[0], what)
  let i = 3
  let signedAttrsDer: Buffer | null = null
  let signedAttrs: Attribute[] = []
  if (f[i]?.tag === 0xa0) {
    const raw = Buffer.from(slice(der, f[i]))
    raw[0] = TAG.SET
    signedAttrsDer = raw
    signedAttrs = attributes(der, f[i], 'the signed attributes')
    i++
  }
  const alg = childrenOf(der, need(f[i], TAG.SEQUENCE, 'a signature algorithm'))
  const signatureOid = oidAt(der, alg[0], what)
  const signatureParams = alg[1] && alg[1].tag !== TAG.NULL ? slice(der, alg[1]) : null
  const signature = Buffer.from(contentOf(der, need(f[i + 1], TAG.OCTET_STRING, 'the signature value')))
  const unsigned = f[i + 2]
  if (unsigned && unsigned.tag !== 0xa1) throw malformed('The signer information has an unexpected field.')
  return { version, sid, digestOid, signedAttrsDer, signedAttrs, signatureOid, signatureParams, signature, unsignedAttrs: unsigned ? attributes(der, unsigned, 'the unsigned attributes') : [] }
}

/**
 * Reads a ContentInfo holding a SignedData (RFC 5652 5.1) from exact DER. Certificates are
 * returned as DER for the caller to parse; other certificate choices and CRLs are ignored.
 */
export function parseSignedData(input: Buffer): SignedData {
  const der = Buffer.from(input)
  const top = checkDerFraming(der)
  const [type, explicit] = childrenOf(der, need(top, TAG.SEQUENCE, 'a CMS ContentInfo'))
  if (oidAt(der, type, 'the content type') !== CMS.signedData) throw malformed('The CMS structure is not SignedData.')
  if (!explicit || explicit.tag !== 0xa0) throw malformed('The CMS structure has no content.')
  const [sd] = childrenOf(der, explicit)
  const f = childrenOf(der, need(sd, TAG.SEQUENCE, 'SignedData'))
  need(f[0], TAG.INTEGER, 'the SignedData version')
  need(f[1], TAG.SET, 'the digest algorithms')
  const encap = childrenOf(der, need(f[2], TAG.SEQUENCE, 'the encapsulated content'))
  const contentType = oidAt(der, encap[0], 'the encapsulated content type')
  let content: Buffer | null = null
  if (encap[1]) {
    if (encap[1].tag !== 0xa0) throw malformed('The encapsulated content is malformed.')
    const [octets] = childrenOf(der, encap[1])
    content = Buffer.from(contentOf(der, need(octets, TAG.OCTET_STRING, 'the encapsulated content octets')))
  }
  let i = 3
  const certificates: Buffer[] = []
  if (f[i]?.tag === 0xa0) {
    for (const c of childrenOf(der, f[i])) if (c.tag === TAG.SEQUENCE) certificates.push(Buffer.from(slice(der, c)))
    i++
  }
  if (f[i]?.tag === 0xa1) i++
  const infos = childrenOf(der, need(f[i], TAG.SET, 'the signer infos'))
  if (infos.length === 0) throw malformed('The SignedData has no signer.')
  if (infos.length > MAX_SIGNERS) throw malformed(`The SignedData has more than ${MAX_SIGNERS} signers.`)
  return { der, contentType, content, certificates, signers: infos.map((s) => signerInfo(der, s)) }
}
