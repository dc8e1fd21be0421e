import { createHash } from 'node:crypto'
import { T, bitString, guarded, expect, integerHex, isContext, kids, oidOf, parseDer, smallInteger, toBuffer } from './asn1.ts'
import { classifyDer } from './classify.ts'
import { decodedWithDetails } from './decoded-details.ts'
import { childrenOf, readTlv, slice } from './der.ts'
import { malformed } from './errors.ts'
import { parseExtensionList, type Extension } from './extensions.ts'
import { dnString, parseName, type ParsedName } from './name.ts'
import { CRL_REASONS, EXT, RSASSA_PSS } from './oids.ts'
import { decodeBase64, looksLikePem, pemBlocks, pemBody } from './pem.ts'
import { pssParams, signatureAlgorithmName, type PssParams, type SignatureSpec } from './signature-algorithms.ts'
import { parseTime } from './time.ts'

export type CrlEntry = { serialNumber: string; revokedAt: Date; reason?: string }

export type Crl = {
  der: Buffer
  issuerDn: string
  issuerDer: Buffer
  thisUpdate: Date
  nextUpdate?: Date
  entries: CrlEntry[]
  tbsDer: Buffer
  signature: Buffer
  signatureAlgorithm: string
  signatureOid: string
  authorityKeyId?: string
}

export type CrlDetails = {
  issuerName: ParsedName
  fingerprintSha256: string
  crlNumber?: string
  /** Why the CRL cannot be relied on even if its signature verifies (RFC 5280 6.3), or null. */
  unusable: string | null
  signaturePss?: PssParams | null
}

const decoder = decodedWithDetails((der: Buffer) => guarded('revocation list', () => decode(der)))

export const parseCrl: (der: Buffer) => Crl = decoder.parse
export const crlDetailsOf: (crl: Crl) => CrlDetails = decoder.detailsOf

const ENTRY_EXTENSIONS_HANDLED = new Set<string>([EXT.reasonCode, EXT.invalidityDate])

function decode(input: Buffer): { value: Crl; details: CrlDetails } {
  const der = Buffer.from(input)
  const what = 'revocation list'
  const root = parseDer(der)
  const [tbs, sigAlg, sigValue, extra] = kids(expect(root, T.SEQUENCE, 'a revocation list'), what)
  if (!sigValue || extra) throw malformed('This is not a certificate revocation list.')
  const top = childrenOf(der, readTlv(der, 0))
  const tbsParts = childrenOf(der, top[0])
  const f = kids(expect(tbs, T.SEQUENCE, 'the signed part of a revocation list'), what)
  let i = 0
  const v2 = f[0]?.tagClass === 0 && f[0].type === T.INTEGER
  if (v2) {
    if (smallInteger(f[0], what) > 1) throw malformed('The revocation list has an unknown version.')
    i++
  }
  if (!slice(der, tbsParts[i]).equals(slice(der, top[1]))) throw malformed('The revocation list names two different signature algorithms.')
  const issuerName = parseName(f[i + 1], 'issuer of the revocation list')
  const thisUpdate = parseTime(f[i + 2], 'thisUpdate')
  let j = i + 3
  let nextUpdate: Date | undefined
  if (f[j] && f[j].tagClass === 0 && (f[j].type === T.UTCTIME || f[j].type === T.GENERALIZEDTIME)) nextUpdate = parseTime(f[j++], 'nextUpdate')
  let unusable: string | null = null
  const entries: CrlEntry[] = []
  if (f[j] && f[j].tagClass === 0 && f[j].type === T.SEQUENCE) {
    for (const e of kids(f[j++], what)) {
      const [serial, date, exts, more] = kids(expect(e, T.SEQUENCE, 'a revocation entry'), what)
      if (more) throw malformed('Invalid revocation entry.')
      const entry: CrlEntry = { serialNumber: integerHex(serial, what), revokedAt: parseTime(date, 'revocationDate') }
      if (exts) {
        for (const x of parseExtensionList(exts, 'revocation entry')) {
          if (x.oid === EXT.reasonCode) {
            const code = parseDer(x.value)
            const n = (code.value as string).charCodeAt(0)
            entry.reason = CRL_REASONS[n] ?? String(n)
          } else if (x.critical && !ENTRY_EXTENSIONS_HANDLED.has(x.oid)) {
            unusable = 'an entry carries a critical extension this verifier does not understand'
          }
        }
      }
      entries.push(entry)
    }
  }
  let extensions: Extension[] = []
  if (isContext(f[j], 0)) {
    extensions = parseExtensionList(kids(f[j++], what)[0], what)
  }
  if (f[j]) throw malformed('The revocation list has an unexpected field.')

  let authorityKeyId: string | undefined
  let crlNumber: string | undefined
  for (const x of extensions) {
    if (x.oid === EXT.authorityKeyIdentifier) {
      const keyId = kids(parseDer(x.value), what).find((p) => isContext(p, 0))
      if (keyId) authorityKeyId = toBuffer(keyId.value as string).toString('hex')
      if (x.critical) unusable = 'its authority key identifier is marked critical'
    } else if (x.oid === EXT.crlNumber) {
      crlNumber = integerHex(parseDer(x.value), what)
      if (x.critical) unusable = 'its CRL number is marked critical, which RFC 5280 forbids'
    } else if (x.critical) {
      // Delta CRLs and issuing distribution points change what the list covers; not handled here.
      unusable = 'it carries a critical extension this verifier does not handle'
    }
  }
  if (!v2 && extensions.length > 0) throw malformed('A version 1 revocation list carries extensions.')
  // Version 1 lists have no extensions at all and are valid (RFC 5280 5); a version 2 list must be numbered (5.2.3).
  if (v2 && crlNumber === undefined && !unusable) unusable = 'it has no CRL number, which RFC 5280 requires'

  const [sigOidNode, sigParams] = kids(sigAlg, what)
  const signatureOid = oidOf(sigOidNode, what)
  const sig = bitString(sigValue, 'the signature of the revocation list')
  const crl: Crl = {
    der,
    issuerDn: dnString(issuerName.attributes),
    issuerDer: slice(der, tbsParts[i + 1]),
    thisUpdate,
    ...(nextUpdate ? { nextUpdate } : {}),
    entries,
    tbsDer: slice(der, top[0]),
    signature: Buffer.from(sig.bytes),
    signatureAlgorithm: signatureAlgorithmName(signatureOid),
    signatureOid,
    ...(authorityKeyId ? { authorityKeyId } : {}),
  }
  return { value: crl, details: { issuerName, crlNumber, unusable, fingerprintSha256: createHash('sha256').update(der).digest('hex'), ...(signatureOid === RSASSA_PSS ? { signaturePss: pssParams(sigParams) } : {}) } }
}

export function crlSignatureSpec(crl: Crl): SignatureSpec {
  return { oid: crl.signatureOid, pss: crlDetailsOf(crl).signaturePss }
}

/** A CRL as PEM (X509 CRL block) or DER. */
export function readCrl(body: Buffer | string): Crl {
  return guarded('revocation list', () => readCrlUnguarded(body))
}

function readCrlUnguarded(body: Buffer | string): Crl {
  let der: Buffer
  const text = typeof body === 'string' ? body : (body[0] === 0x30 ? null : body.toString('latin1'))
  if (text === null) {
    der = body as Buffer
  } else if (looksLikePem(text)) {
    const blocks = pemBlocks(text)
    if (blocks.some((b) => b.label.includes('PRIVATE KEY'))) throw malformed('This is a private key, not a revocation list.')
    const crlBlocks = blocks.filter((b) => b.label === 'X509 CRL' || b.label === 'CRL')
    if (crlBlocks.length !== 1 || blocks.length !== 1) throw malformed('Expected exactly one X509 CRL block.')
    der = decodeBase64(pemBody(crlBlocks[0].body), 'revocation list')
  } else {
    der = decodeBase64(text, 'revocation list')
  }
  if (der.length === 0) throw malformed('The revocation list is empty.')
  const kind = classifyDer(der)
  if (kind !== 'crl') throw malformed(kind === 'certificate' ? 'This is a certificate, not a revocation list.' : 'This is not a certificate revocation list.')
  return parseCrl(der)
}
