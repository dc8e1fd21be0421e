import { createHash } from 'node:crypto'
import type { Certificate } from './certificate.ts'
import { PkiInputError, malformed } from './errors.ts'
import type { PkiProblem } from './problems.ts'
import { problem } from './problems.ts'
import { firstElement } from './cms/der-values.ts'
import { cmsDer } from './cms/read.ts'
import { verifyAttachedCms, verifyDetachedCms } from './cms/verify-cms.ts'
import type { SignerVerdict, TimeSource, Trust } from './cms/verify-signer.ts'
import { pdfPageCount } from './pdf/page-count.ts'
import { findPdfSignatures, isPdf } from './pdf/signatures.ts'

export type DocumentInput =
  | { kind: 'pdf'; bytes: Buffer }
  | { kind: 'attached'; bytes: Buffer }
  | { kind: 'detached'; document: Buffer; signature: Buffer }

/** A certificate of the signer's path, as the revocation lookup needs it. */
export type PathEntry = { fingerprintSha256: string; subjectDn: string; issuerKey: string; serialNumber: string }

export type SignatureReport = {
  ok: boolean
  signer: Record<string, string | string[]> | null
  signerDn: string | null
  signerFingerprint: string | null
  /** The signer's certificate and the CAs above it, the trust anchor left out. */
  path: PathEntry[]
  algorithm: string | null
  subFilter: string | null
  signingTime: string | null
  timeSource: TimeSource
  claimedSigningTime: string | null
  timestampTime: string | null
  coversWholeDocument: boolean
  /** SHA-256 of the bytes this signature covers (a PDF's byte ranges; the content of a CMS). */
  signedSha256: string
  problems: PkiProblem[]
  warnings: PkiProblem[]
}

export type DocumentReport = {
  kind: DocumentInput['kind']
  /** SHA-256 of the document: the PDF, the content of an attached CMS, or the detached document. */
  sha256: string
  size: number
  pageCount: number | null
  signatures: SignatureReport[]
}

export const PDF_SUBFILTERS = ['adbe.pkcs7.detached', 'ETSI.CAdES.detached']

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

function nameKey(der: Buffer): string {
  return sha256(der)
}

function entry(c: Certificate): PathEntry {
  return { fingerprintSha256: c.fingerprintSha256, subjectDn: c.subjectDn, issuerKey: nameKey(c.issuerDer), serialNumber: c.serialNumber }
}

function report(v: SignerVerdict, signedSha256: string, coversWholeDocument: boolean, subFilter: string | null): SignatureReport {
  const path = v.path.length > 1 ? v.path.slice(0, -1) : v.path
  return {
    ok: v.ok,
    signer: v.signer ? v.signer.subject : null,
    signerDn: v.signer ? v.signer.subjectDn : null,
    signerFingerprint: v.signer ? v.signer.fingerprintSha256 : null,
    path: path.map(entry),
    algorithm: v.algorithm,
    subFilter,
    signingTime: v.timeSource === 'none' ? null : v.time.toISOString(),
    timeSource: v.timeSource,
    claimedSigningTime: v.claimedSigningTime?.toISOString() ?? null,
    timestampTime: v.timestampTime?.toISOString() ?? null,
    coversWholeDocument,
    signedSha256,
    problems: v.problems,
    warnings: v.warnings,
  }
}

function unreadable(p: PkiProblem, signedSha256: string, coversWholeDocument: boolean, subFilter: string | null): SignatureReport {
  return {
    ok: false, signer: null, signerDn: null, signerFingerprint: null, path: [], algorithm: null, subFilter,
    signingTime: null, timeSource: 'none', claimedSigningTime: null, timestampTime: null,
    coversWholeDocument, signedSha256, problems: [p], warnings: [],
  }
}

function verifyPdf(pdf: Buffer, trust: Trust, now: Date): SignatureReport[] {
  const found = findPdfSignatures(pdf)
  if (found.length === 0) throw malformed('The PDF carries no signature (no signature dictionary with a /ByteRange).')
  return found.flatMap((s) => {
    if (!s.subFilter || !PDF_SUBFILTERS.includes(s.subFilter)) {
      return [unreadable(problem('unsupported_subfilter', `The signature's format (/SubFilter ${s.subFilter ?? 'missing'}) is not supported; ${PDF_SUBFILTERS.join(' and ')} are.`), sha256(s.signedBytes), s.coversWholeDocument, s.subFilter)]
    }
    try {
      const der = firstElement(s.contents, true)
      return verifyDetachedCms(der, s.signedBytes, { trust, now, claimedTime: s.claimedTime })
        // A SHA-256 signer already hashed the signed bytes: its digest is reused rather than hashing a large file again.
        .map((v) => report(v, v.digestAlgorithm === 'sha256' && v.contentDigest ? v.contentDigest : sha256(s.signedBytes), s.coversWholeDocument, s.subFilter))
    } catch (e) {
      if (!(e instanceof PkiInputError)) throw e
      return [unreadable(problem('malformed', `The signature cannot be read: ${e.message}`), sha256(s.signedBytes), s.coversWholeDocument, s.subFilter)]
    }
  })
}

/**
 * Verifies every signature of a signed document: a PDF (each signature dictionary), an attached
 * CMS (.p7m) or a detached CMS (.p7s) with its document. Pure: the trust anchors, intermediates
 * and CRLs come in, verdicts go out. Throws PkiInputError (malformed) when the input is not a
 * signed document at all.
 */
export function verifySignedDocument(input: DocumentInput, trust: Trust, now: Date): DocumentReport {
  if (input.kind === 'pdf') {
    if (!isPdf(input.bytes)) throw malformed('The body is not a PDF (no %PDF- header).')
    return { kind: 'pdf', sha256: sha256(input.bytes), size: input.bytes.length, pageCount: pdfPageCount(input.bytes), signatures: verifyPdf(input.bytes, trust, now) }
  }
  if (input.kind === 'attached') {
    const { content, verdicts } = verifyAttachedCms(cmsDer(input.bytes), { trust, now })
    const h = sha256(content)
    return { kind: 'attached', sha256: h, size: content.length, pageCount: isPdf(content) ? pdfPageCount(content) : null, signatures: verdicts.map((v) => report(v, h, true, null)) }
  }
  const h = sha256(input.document)
  const verdicts = verifyDetachedCms(cmsDer(input.signature), input.document, { trust, now })
  return { kind: 'detached', sha256: h, size: input.document.length, pageCount: isPdf(input.document) ? pdfPageCount(input.document) : null, signatures: verdicts.map((v) => report(v, h, true, null)) }
}
