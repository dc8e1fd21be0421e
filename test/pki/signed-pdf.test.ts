import t from 'tap'
import { verifySignedDocument, type DocumentReport } from '../../src/pki/signed-document.ts'
import { findPdfSignatures } from '../../src/pki/pdf/signatures.ts'
import { parseSignedData } from '../../src/pki/cms/signed-data.ts'
import { firstElement } from '../../src/pki/cms/der-values.ts'
import { tanHaDucLinh } from '../helpers/pki.ts'
import { basePdf, hasPdfsig, laterUpdate, opensslVerify, pdfsig, signPdf, signingKit } from '../helpers/signed-docs.ts'

const kit = signingKit(tanHaDucLinh())
const trust = { anchors: [kit.root.cert, kit.tsaRoot.cert], intermediates: [] }
const now = new Date()
const verify = (pdf: Buffer): DocumentReport => verifySignedDocument({ kind: 'pdf', bytes: pdf }, trust, now)
const codes = (r: DocumentReport, i = 0) => r.signatures[i].problems.map((p): string => p.code)
const chain = kit.ca.pem

/** pdfsig's signature verdicts, or null (with a note) where poppler-utils is not installed. */
function poppler(t: { comment: (m: string) => void }, pdf: Buffer) {
  if (!hasPdfsig) { t.comment('pdfsig (poppler-utils) is not installed: the cross-check with it is skipped'); return null }
  return pdfsig(pdf)
}

/** openssl's verdict on each signature of the PDF, over the bytes its ranges cover. */
const opensslOnPdf = (pdf: Buffer) => findPdfSignatures(pdf).map((s) => {
  try { return opensslVerify(firstElement(s.contents, true), s.signedBytes, kit.root.pem, chain) } catch { return false }
})

t.test('one signature (RSA, adbe.pkcs7.detached) over the whole file', async (t) => {
  const pdf = signPdf(basePdf(), kit.rsa, { chain })
  const r = verify(pdf)
  t.equal(r.signatures.length, 1)
  t.same(codes(r), [])
  t.equal(r.signatures[0].ok, true)
  t.equal(r.signatures[0].coversWholeDocument, true)
  t.equal(r.signatures[0].subFilter, 'adbe.pkcs7.detached')
  t.equal(r.signatures[0].timeSource, 'signingTime')
  t.equal(r.pageCount, 1)
  t.same(opensslOnPdf(pdf), [true])
  const p = poppler(t, pdf)
  if (p) t.same(p.map((s) => [s.valid, s.total]), [[true, true]], 'pdfsig: valid, total document signed')
})

t.test('two signatures (head, then the committee with ETSI.CAdES.detached, ECDSA and a timestamp)', async (t) => {
  const once = signPdf(basePdf(), kit.head, { chain })
  const twice = signPdf(once, kit.ec, { chain, subFilter: 'ETSI.CAdES.detached', timestamp: kit.tsa })
  const r = verify(twice)
  t.equal(r.signatures.length, 2)
  t.same(r.signatures.map((s) => s.ok), [true, true])
  t.same(r.signatures.map((s) => s.signer?.CN), ['Nguyễn Văn An', 'Ủy ban nhân dân xã Tân Hà'])
  t.same(r.signatures.map((s) => s.coversWholeDocument), [false, true], 'the head signed the first revision only')
  t.same(r.signatures.map((s) => s.timeSource), ['signingTime', 'timestamp'])
  t.same(opensslOnPdf(twice), [true, true])
  const p = poppler(t, twice)
  if (p) t.same(p.map((s) => [s.valid, s.total]), [[true, false], [true, true]], 'pdfsig agrees')
})

t.test('an incremental update after signing: the signature holds, and does not cover the whole file', async (t) => {
  const pdf = laterUpdate(signPdf(basePdf(), kit.rsa, { chain, pss: true }))
  const r = verify(pdf)
  t.equal(r.signatures[0].ok, true)
  t.equal(r.signatures[0].coversWholeDocument, false)
  const p = poppler(t, pdf)
  if (p) t.same(p.map((s) => [s.valid, s.total]), [[true, false]])
})

t.test('without signed attributes the claimed /M time is used', async (t) => {
  const pdf = signPdf(basePdf(), kit.rsa, { chain, noAttributes: true, when: "D:20261115093000+07'00'" })
  const r = verify(pdf)
  t.same(codes(r), [])
  t.equal(r.signatures[0].timeSource, 'signingTime')
  t.equal(r.signatures[0].signingTime, '2026-11-15T02:30:00.000Z')
  const p = poppler(t, pdf)
  if (p) t.same(p.map((s) => s.valid), [true])
})

t.test('every tampered byte class fails; pdfsig and openssl agree', async (t) => {
  const pdf = signPdf(basePdf(), kit.rsa, { chain })
  const [sig] = findPdfSignatures(pdf)
  const der = firstElement(sig.contents, true)
  const si = parseSignedData(der).signers[0]
  const hexAt = (inner: number) => sig.byteRange[1] + 1 + inner * 2
  /** Flips one bit of the CMS byte at `inner` by rewriting its hex digit pair. */
  const flipCms = (inner: number) => {
    const out = Buffer.from(pdf)
    const v = (der[inner] ^ 0x01).toString(16).padStart(2, '0')
    out.write(v, hexAt(inner), 'latin1')
    return out
  }
  const text = pdf.indexOf('Cong van so 12')
  const content = Buffer.from(pdf); content.write('3', text + 'Cong van so 1'.length, 'latin1')
  const attrsAt = der.indexOf(si.signedAttrsDer!.subarray(2))
  const timeAt = der.indexOf(Buffer.from([0x17, 0x0d]), attrsAt) + 5
  const certAt = der.indexOf(kit.rsa.der)
  const cases: [string, Buffer, string, boolean][] = [
    ['document content', content, 'digest_mismatch', true],
    ['signed attributes', flipCms(timeAt), 'bad_signature', true],
    ['signature value', flipCms(der.indexOf(si.signature) + 30), 'bad_signature', true],
    ['certificate subject', flipCms(der.indexOf(Buffer.from('ban nh'), certAt)), '', false],
  ]
  for (const [what, bad, code, popplerSees] of cases) {
    const r = verify(bad)
    t.equal(r.signatures[0].ok, false, `${what}: refused (${codes(r).join(', ')})`)
    if (code) t.ok(codes(r).includes(code), `${what}: ${code}`)
    t.same(opensslOnPdf(bad), [false], `${what}: openssl refuses it too`)
    const p = poppler(t, bad)
    // pdfsig checks the signature with the key of the certificate it finds; a changed subject leaves
    // that key intact, so only the chain (openssl, Kyso) notices it.
    if (p && popplerSees) t.same(p.map((s) => s.valid), [false], `${what}: pdfsig says ${p[0].validation}`)
  }
})

t.test('structure: unknown subfilter, a byte range that leaves more than /Contents out, no signature', async (t) => {
  const odd = signPdf(basePdf(), kit.rsa, { chain, subFilter: 'adbe.x509.rsa_sha1' })
  t.same(codes(verify(odd)), ['unsupported_subfilter'])
  const pdf = signPdf(basePdf(), kit.rsa, { chain })
  const [sig] = findPdfSignatures(pdf)
  const gap = Buffer.from(pdf)
  const wrong = String(sig.byteRange[1] - 5).padStart(10, '0')
  gap.write(wrong, pdf.indexOf(String(sig.byteRange[1]).padStart(10, '0')), 'latin1')
  t.throws(() => verify(gap), { code: 'malformed' })
  t.throws(() => verify(basePdf()), { code: 'malformed' }, 'an unsigned PDF is not a signed document')
  t.throws(() => verify(Buffer.from('not a pdf')), { code: 'malformed' })
})
