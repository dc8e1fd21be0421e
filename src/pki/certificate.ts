import { createHash } from 'node:crypto'
import { T, bitString, guarded, expect, integerHex, isContext, kids, oidOf, parseDer, smallInteger } from './asn1.ts'
import { decodedWithDetails } from './decoded-details.ts'
import { childrenOf, readTlv, slice } from './der.ts'
import { malformed } from './errors.ts'
import { decodeExtensions, parseExtensionList, type CertificateExtensionFields, type Extension, type NameConstraints } from './extensions.ts'
import type { GeneralName } from './general-name.ts'
import { dnString, parseName, subjectRecord, type ParsedName } from './name.ts'
import { decodePolicyExtensions, type PolicyExtensions } from './policy-extensions.ts'
import { describeKey } from './public-key.ts'
import { pssParams, signatureAlgorithmName, type PssParams } from './signature-algorithms.ts'
import { RSASSA_PSS } from './oids.ts'
import { parseTime } from './time.ts'

export type Certificate = {
  der: Buffer
  fingerprintSha256: string
  serialNumber: string
  subject: Record<string, string | string[]>
  subjectAttributes: { type: string; value: string }[]
  subjectDn: string
  issuerDn: string
  subjectDer: Buffer
  issuerDer: Buffer
  notBefore: Date
  notAfter: Date
  keyAlgorithm: string // 'RSA', 'EC', another name of KEY_ALGORITHMS, or the OID of an algorithm it does not name
  keySize: number
  curve?: string
  publicKeyDer: Buffer
  signatureAlgorithm: string
  signatureOid: string
  extensions: Extension[]
  tbsDer: Buffer
  signature: Buffer
  isSelfIssued: boolean
} & CertificateExtensionFields

/** What path validation needs beyond the public record; kept off the object so it serialises cleanly. */
export type CertificateDetails = {
  subjectName: ParsedName
  issuerName: ParsedName
  subjectAltName?: GeneralName[]
  nameConstraints?: NameConstraints
  policy: PolicyExtensions
  /** RSASSA-PSS parameters of the certificate's signature (null: unusable), when it is one. */
  signaturePss?: PssParams | null
}

const decoder = decodedWithDetails((der: Buffer) => guarded('certificate', () => decode(der)))

export const parseCertificate: (der: Buffer) => Certificate = decoder.parse
export const detailsOf: (cert: Certificate) => CertificateDetails = decoder.detailsOf

function decode(input: Buffer): { value: Certificate; details: CertificateDetails } {
  const der = Buffer.from(input)
  const root = parseDer(der)
  const what = 'certificate'
  const [tbs, sigAlg, sigValue, extra] = kids(expect(root, T.SEQUENCE, 'a certificate'), what)
  if (!sigValue || extra) throw malformed('The certificate does not have the three parts of an X.509 certificate.')
  const top = childrenOf(der, readTlv(der, 0))
  const tbsTlv = top[0]
  const tbsParts = childrenOf(der, tbsTlv)
  const f = kids(expect(tbs, T.SEQUENCE, 'the signed part of a certificate'), what)

  let i = 0
  let version = 0
  if (isContext(f[0], 0)) {
    version = smallInteger(kids(f[0], what)[0], what)
    i++
  }
  if (version > 2) throw malformed('The certificate has an unknown version.')
  const serialNumber = integerHex(f[i], what)
  const issuerNode = f[i + 2]
  const validity = kids(expect(f[i + 3], T.SEQUENCE, 'the validity of a certificate'), what)
  const subjectNode = f[i + 4]
  const spkiNode = f[i + 5]
  if (!spkiNode || validity.length !== 2) throw malformed('The certificate is missing required fields.')

  const innerAlgDer = slice(der, tbsParts[i + 1])
  const outerAlgDer = slice(der, top[1])
  if (!innerAlgDer.equals(outerAlgDer)) throw malformed('The certificate names two different signature algorithms.')
  const [sigOidNode, sigParams] = kids(expect(sigAlg, T.SEQUENCE, 'a signature algorithm'), what)
  const signatureOid = oidOf(sigOidNode, what)

  let extensions: Extension[] = []
  for (const rest of f.slice(i + 6)) {
    if (isContext(rest, 1) || isContext(rest, 2)) {
      if (version < 1) throw malformed('A version 1 certificate carries unique identifiers.')
      continue
    }
    if (isContext(rest, 3)) {
      if (version !== 2) throw malformed('Only version 3 certificates may carry extensions.')
      if (extensions.length) throw malformed('The certificate has two extension lists.')
      const [list, more] = kids(rest, what)
      if (more) throw malformed('Invalid extension list.')
      extensions = parseExtensionList(list, what)
      continue
    }
    throw malformed('The certificate has an unexpected field.')
  }

  const subjectName = parseName(subjectNode, 'subject of the certificate')
  const issuerName = parseName(issuerNode, 'issuer of the certificate')
  const decoded = decodeExtensions(extensions, 'certificate')
  const publicKeyDer = slice(der, tbsParts[i + 5])
  const key = describeKey(spkiNode)
  const sig = bitString(sigValue, 'the signature')
  if (sig.unused !== 0) throw malformed('The certificate signature is not a whole number of bytes.')

  const cert: Certificate = {
    der,
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
    serialNumber,
    subject: subjectRecord(subjectName.attributes),
    subjectAttributes: subjectName.attributes.map((a) => ({ type: a.type, value: a.value })),
    subjectDn: dnString(subjectName.attributes),
    issuerDn: dnString(issuerName.attributes),
    subjectDer: slice(der, tbsParts[i + 4]),
    issuerDer: slice(der, tbsParts[i + 2]),
    notBefore: parseTime(validity[0], 'notBefore'),
    notAfter: parseTime(validity[1], 'notAfter'),
    keyAlgorithm: key.algorithm,
    keySize: key.size,
    ...(key.curve ? { curve: key.curve } : {}),
    publicKeyDer,
    signatureAlgorithm: signatureAlgorithmName(signatureOid),
    signatureOid,
    ...(decoded.keyUsage ? { keyUsage: decoded.keyUsage, keyUsageCritical: decoded.keyUsageCritical } : {}),
    ...(decoded.extKeyUsage ? { extKeyUsage: decoded.extKeyUsage } : {}),
    ...(decoded.basicConstraints ? { basicConstraints: decoded.basicConstraints } : {}),
    ...(decoded.subjectKeyId ? { subjectKeyId: decoded.subjectKeyId } : {}),
    ...(decoded.authorityKeyId ? { authorityKeyId: decoded.authorityKeyId } : {}),
    extensions,
    tbsDer: slice(der, tbsTlv),
    signature: Buffer.from(sig.bytes),
    isSelfIssued: subjectName.key === issuerName.key,
  }
  return {
    value: cert,
    details: {
      subjectName,
      issuerName,
      policy: decodePolicyExtensions(extensions, 'certificate'),
      ...(decoded.subjectAltName ? { subjectAltName: decoded.subjectAltName } : {}),
      ...(decoded.nameConstraints ? { nameConstraints: decoded.nameConstraints } : {}),
      ...(signatureOid === RSASSA_PSS ? { signaturePss: pssParams(sigParams) } : {}),
    },
  }
}
