import { createHash } from 'node:crypto'
import { parseCertificate, type Certificate } from '../certificate.ts'
import type { Crl } from '../crl.ts'
import { PkiInputError } from '../errors.ts'
import { problem, type PkiProblem } from '../problems.ts'
import { verifyCertificate } from '../verify.ts'
import { DIGESTS, EKU_NAMES } from '../oids.ts'
import type { Tlv } from '../der.ts'
import { TAG, contentOf, oidAt, timeAt } from './der-values.ts'
import { CMS } from './oids.ts'
import { checkSignerSignature, signerAlgorithmName } from './signer-signature.ts'
import { parseSignedData, type Attribute, type SignedData, type SignerInfo } from './signed-data.ts'
import { parseTstInfo } from './timestamp.ts'
import { checkSigningCertificateAttr } from './signing-certificate.ts'

export type Trust = { anchors: Certificate[]; intermediates: Certificate[]; crls?: Crl[] }

export type TimeSource = 'timestamp' | 'signingTime' | 'none'

export type SignerVerdict = {
  ok: boolean
  signer: Certificate | null
  /** The signer's path to a trust anchor when it verified, else as far as it was built. */
  path: Certificate[]
  algorithm: string
  /** The time the certificate chain was checked at: the timestamp's, else the claimed signing time, else `now`. */
  time: Date
  timeSource: TimeSource
  claimedSigningTime: Date | null
  timestampTime: Date | null
  /** Digest of the signed content with the signer's digest algorithm (`digestAlgorithm`), lowercase hex. */
  contentDigest: string | null
  digestAlgorithm: string | null
  problems: PkiProblem[]
  warnings: PkiProblem[]
}

function single(attrs: Attribute[], oid: string): Attribute | undefined | 'repeated' {
  const found = attrs.filter((a) => a.oid === oid)
  if (found.length > 1 || (found[0] && found[0].values.length !== 1)) return 'repeated'
  return found[0]
}

function findSigner(sd: SignedData, si: SignerInfo, extra: Certificate[]): { signer: Certificate | null; embedded: Certificate[] } {
  const embedded: Certificate[] = []
  for (const der of sd.certificates) {
    try { embedded.push(parseCertificate(der)) } catch { /* an unreadable extra certificate is not the signer's business */ }
  }
  const sid = si.sid
  const match = (c: Certificate) => 'keyId' in sid ? c.subjectKeyId === sid.keyId : c.serialNumber === sid.serial && c.issuerDer.equals(sid.issuerDer)
  return { signer: embedded.find(match) ?? extra.find(match) ?? null, embedded }
}

type Options = { trust: Trust; now: Date; claimedTime?: Date | null; purposes?: string[]; profile?: 'signing' | 'rfc5280'; timestamps?: boolean }

/**
 * Verifies one SignerInfo over `content`: message digest and content type in the signed
 * attributes, the signature (node:crypto), a signature timestamp when present (with its own
 * chain), and the signer's chain to a trust anchor at the signing time.
 */
export function verifySigner(sd: SignedData, si: SignerInfo, content: Buffer, o: Options): SignerVerdict {
  const problems: PkiProblem[] = []
  const warnings: PkiProblem[] = []
  const { signer, embedded } = findSigner(sd, si, o.trust.intermediates)
  const algorithm = signerAlgorithmName(si.signatureOid, si.digestOid)
  const hash = DIGESTS[si.digestOid]
  const verdict: SignerVerdict = { ok: false, signer, path: signer ? [signer] : [], algorithm, time: o.now, timeSource: 'none', claimedSigningTime: null, timestampTime: null, contentDigest: null, digestAlgorithm: hash ?? null, problems, warnings }
  if (!hash) {
    problems.push(problem('unsupported_algorithm', `The signature uses a digest algorithm this verifier does not know (${si.digestOid}).`))
    return verdict
  }
  if (hash === 'sha1') warnings.push(problem('weak_signature_algorithm', 'The document is signed with SHA-1.'))
  const digest = createHash(hash).update(content).digest()
  verdict.contentDigest = digest.toString('hex')

  let signed = content
  if (si.signedAttrsDer) {
    signed = si.signedAttrsDer
    const ct = single(si.signedAttrs, CMS.contentType)
    const md = single(si.signedAttrs, CMS.messageDigest)
    const st = single(si.signedAttrs, CMS.signingTime)
    if (ct === undefined || md === undefined) problems.push(problem('missing_attribute', 'The signed attributes lack the content type or the message digest.'))
    if (ct === 'repeated' || md === 'repeated' || st === 'repeated') problems.push(problem('malformed', 'A signed attribute appears more than once.'))
    if (ct && ct !== 'repeated') {
      if (!sameOid(sd.der, ct.values[0], sd.contentType)) problems.push(problem('content_type_mismatch', 'The signed content type differs from the content type of the document.'))
    }
    if (md && md !== 'repeated') {
      const v = md.values[0]
      if (v.tag !== TAG.OCTET_STRING || !contentOf(sd.der, v).equals(digest)) {
        problems.push(problem('digest_mismatch', 'The document does not match the digest that was signed: it was changed after signing, or it is not the document this signature belongs to.'))
      }
    }
    if (st && st !== 'repeated') {
      try { verdict.claimedSigningTime = timeAt(sd.der, st.values[0], 'the signing time') } catch { problems.push(problem('malformed', 'The signing time attribute cannot be read.')) }
    }
    const sc = checkSigningCertificateAttr(sd.der, si.signedAttrs, signer)
    if (sc) problems.push(sc)
  } else if (sd.contentType !== CMS.data) {
    problems.push(problem('missing_attribute', 'Content other than data is signed without signed attributes.'))
  }

  if (!signer) {
    problems.push(problem('signer_not_found', 'The signer\'s certificate is not in the signature, so the signature cannot be checked.'))
    return verdict
  }
  const sig = checkSignerSignature(signed, si.signature, si.signatureOid, si.signatureParams, si.digestOid, signer)
  if (sig === 'unsupported') problems.push(problem('unsupported_algorithm', `The signature algorithm ${algorithm} is not supported (RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA are).`))
  if (sig === 'bad') problems.push(problem('bad_signature', `The signature does not verify with the key of the certificate "${signer.subjectDn}": the signed attributes or the signature were altered, or another key signed.`))

  if (o.timestamps !== false) {
    const ts = single(si.unsignedAttrs, CMS.timeStampToken)
    if (ts === 'repeated') warnings.push(problem('timestamp_unusable', 'The signature carries more than one timestamp; none was used.'))
    else if (ts) {
      const r = verifyTimestamp(sd.der.subarray(ts.values[0].start, ts.values[0].end), si.signature, o)
      if (r.time) verdict.timestampTime = r.time
      else warnings.push(problem('timestamp_unusable', `The signature timestamp was not used: ${r.why}`))
    }
  }
  if (verdict.timestampTime) { verdict.time = verdict.timestampTime; verdict.timeSource = 'timestamp' } else if (verdict.claimedSigningTime) { verdict.time = verdict.claimedSigningTime; verdict.timeSource = 'signingTime' } else if (o.claimedTime) { verdict.time = o.claimedTime; verdict.timeSource = 'signingTime' }

  const chain = verifyCertificate(signer, {
    anchors: o.trust.anchors,
    intermediates: [...o.trust.intermediates, ...embedded],
    at: verdict.time,
    crls: o.trust.crls ?? [],
    purposes: o.purposes ?? [],
    profile: o.profile ?? 'signing',
  })
  verdict.path = chain.path
  problems.push(...chain.problems)
  warnings.push(...chain.warnings)
  verdict.ok = problems.length === 0
  return verdict
}

function sameOid(der: Buffer, tlv: Tlv, oid: string): boolean {
  try { return oidAt(der, tlv, 'the signed content type') === oid } catch { return false }
}

/** An RFC 3161 signature timestamp over `signatureValue`; the time when it verifies, else why not. */
export function verifyTimestamp(token: Buffer, signatureValue: Buffer, o: Options): { time: Date | null; why: string } {
  try {
    const sd = parseSignedData(token)
    if (sd.contentType !== CMS.tstInfo || !sd.content || sd.signers.length !== 1) return { time: null, why: 'it is not a single-signer RFC 3161 token.' }
    const tst = parseTstInfo(sd.content)
    if (!createHash(tst.imprintHash).update(signatureValue).digest().equals(tst.imprint)) return { time: null, why: 'it was made for another signature.' }
    const v = verifySigner(sd, sd.signers[0], sd.content, { trust: o.trust, now: tst.genTime, claimedTime: tst.genTime, purposes: [EKU_NAMES.timeStamping], profile: 'rfc5280', timestamps: false })
    if (!v.ok) return { time: null, why: v.problems.map((p) => p.message).join(' ') }
    return { time: tst.genTime, why: '' }
  } catch (e) {
    return { time: null, why: e instanceof PkiInputError ? e.message : 'it cannot be read.' }
  }
}
