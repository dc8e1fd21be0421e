/**
 * Signed documents for tests, made with independent tools: CMS signatures and RFC 3161 tokens by
 * `openssl cms` and `openssl ts`, PDFs by a small incremental-update writer around them, checked
 * with `openssl cms -verify` and poppler's `pdfsig`.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import forge from 'node-forge'
import { issueCertificate, privateKeyPem, type Issued, type NameSpec } from '../../src/pki/issue.ts'
import { generateKey } from './test-keys.ts'
import { parseSignedData } from '../../src/pki/cms/signed-data.ts'
import { day, hierarchy, type Hierarchy, type Ca } from './pki.ts'

export type Signer = Issued & { keyPem: string }

export type Kit = Hierarchy & { rsa: Signer; ec: Signer; head: Signer; tsa: Signer; tsaRoot: Ca }

const YEAR = 365 * 24 * 3600 * 1000

function tmp<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-sig-'))
  try { return fn(dir) } finally { fs.rmSync(dir, { recursive: true, force: true }) }
}

/** A hierarchy with an organisation signer (RSA), an EC signer, a head-of-committee signer and a TSA under its own root. */
export function signingKit(subject: NameSpec, name = 'Docs'): Kit {
  const h = hierarchy(name)
  const issue = (subj: NameSpec, spec: Parameters<typeof generateKey>[0], extra: object = {}): Signer => {
    const key = generateKey(spec)
    const issued = issueCertificate({
      subject: subj, key: key.publicKey, issuer: { cert: h.ca.cert, key: h.ca.key },
      notBefore: day('2024-03-01'), notAfter: new Date(day('2024-03-01').getTime() + 5 * YEAR),
      keyUsage: ['digitalSignature', 'nonRepudiation'], extKeyUsage: ['clientAuth', 'emailProtection'],
      basicConstraints: { cA: false, critical: false }, ...extra,
    })
    return { ...issued, keyPem: privateKeyPem(key.privateKey) }
  }
  const tsaRootKey = generateKey({ type: 'ec', curve: 'P-256' })
  const tsaRootIssued = issueCertificate({
    subject: [['C', 'VN'], ['CN', `TSA Root ${name}`]], key: tsaRootKey, notBefore: day('2010-01-01'), notAfter: day('2045-01-01'),
    basicConstraints: { cA: true }, keyUsage: ['keyCertSign', 'cRLSign'],
  })
  const tsaRoot = { ...tsaRootIssued, key: tsaRootKey.privateKey }
  const tsaKey = generateKey({ type: 'ec', curve: 'P-256' })
  const tsaIssued = issueCertificate({
    subject: [['C', 'VN'], ['CN', `TSA ${name}`]], key: tsaKey.publicKey, issuer: { cert: tsaRoot.cert, key: tsaRoot.key },
    notBefore: day('2024-01-01'), notAfter: day('2040-01-01'), keyUsage: ['digitalSignature'], basicConstraints: { cA: false },
    extensions: [{ oid: '2.5.29.37', critical: true, value: Buffer.from('300a06082b06010505070308', 'hex') }],
  })
  return {
    ...h,
    rsa: issue(subject, { type: 'rsa', bits: 2048 }),
    ec: issue(subject, { type: 'ec', curve: 'P-256' }),
    head: issue([['C', 'VN'], ['CN', 'Nguyễn Văn An'], ['title', 'Chủ tịch UBND']], { type: 'rsa', bits: 2048 }),
    tsa: { ...tsaIssued, keyPem: privateKeyPem(tsaKey.privateKey) },
    tsaRoot,
  }
}

export type CmsOptions = { attached?: boolean; pss?: boolean; noAttributes?: boolean; cades?: boolean; chain?: string; md?: string }

/** `openssl cms -sign` over `content`: DER, detached unless `attached`. */
export function cmsSign(content: Buffer, signer: Signer, o: CmsOptions = {}): Buffer {
  return tmp((dir) => {
    const f = (n: string, data?: string | Buffer) => { const p = path.join(dir, n); if (data !== undefined) fs.writeFileSync(p, data); return p }
    const args = ['cms', '-sign', '-binary', '-in', f('in', content), '-signer', f('cert.pem', signer.pem), '-inkey', f('key.pem', signer.keyPem),
      '-outform', 'DER', '-out', f('out'), '-md', o.md ?? 'sha256']
    if (o.attached) args.push('-nodetach')
    if (o.pss) args.push('-keyopt', 'rsa_padding_mode:pss')
    if (o.noAttributes) args.push('-noattr')
    if (o.cades) args.push('-cades')
    if (o.chain) args.push('-certfile', f('chain.pem', o.chain))
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    return fs.readFileSync(f('out'))
  })
}

/** `openssl cms -verify` with the root trusted and `chain` known (openssl 3.0's cms takes no untrusted chain, so it joins the CA file); true when it says "Verification successful". */
export function opensslVerify(cms: Buffer, content: Buffer | null, rootPem: string, chain = ''): boolean {
  return tmp((dir) => {
    const f = (n: string, data: string | Buffer) => { const p = path.join(dir, n); fs.writeFileSync(p, data); return p }
    const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', f('cms', cms), '-CAfile', f('root.pem', rootPem + chain), '-purpose', 'any', '-out', path.join(dir, 'out')]
    if (content) args.push('-content', f('content', content))
    return spawnSync('openssl', args, { stdio: 'ignore' }).status === 0
  })
}

/** An RFC 3161 timestamp token (DER) from `openssl ts -reply` over `data`. */
export function timestampToken(data: Buffer, tsa: Signer): Buffer {
  return tmp((dir) => {
    const f = (n: string, d?: string | Buffer) => { const p = path.join(dir, n); if (d !== undefined) fs.writeFileSync(p, d); return p }
    f('serial', '01\n')
    const cnf = f('ts.cnf', `[ tsa ]\ndefault_tsa = t\n[ t ]\nserial = ${path.join(dir, 'serial')}\ncrypto_device = builtin\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\nordering = no\ntsa_name = no\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n`)
    execFileSync('openssl', ['ts', '-query', '-data', f('data', data), '-sha256', '-cert', '-out', f('req.tsq')], { stdio: ['ignore', 'ignore', 'pipe'] })
    execFileSync('openssl', ['ts', '-reply', '-config', cnf, '-queryfile', f('req.tsq'), '-signer', f('tsa.pem', tsa.pem), '-inkey', f('tsakey.pem', tsa.keyPem), '-token_out', '-out', f('token.der')], { stdio: ['ignore', 'ignore', 'pipe'] })
    return fs.readFileSync(f('token.der'))
  })
}

/** Adds a signature timestamp (unsigned attribute) to the first signer of a CMS, stamped by `tsa`. */
export function addTimestamp(cms: Buffer, tsa: Signer, token?: Buffer): Buffer {
  const sig = parseSignedData(cms).signers[0].signature
  const tok = token ?? timestampToken(sig, tsa)
  const a = forge.asn1
  const root = (a.fromDer as unknown as (b: string, o: object) => forge.asn1.Asn1)(cms.toString('binary'), { decodeBitStrings: false })
  const sd = (root.value as forge.asn1.Asn1[])[1].value[0] as forge.asn1.Asn1
  const parts = sd.value as forge.asn1.Asn1[]
  const si = (parts[parts.length - 1].value as forge.asn1.Asn1[])[0]
  const tokenNode = (a.fromDer as unknown as (b: string, o: object) => forge.asn1.Asn1)(tok.toString('binary'), { decodeBitStrings: false })
  const attr = a.create(a.Class.UNIVERSAL, a.Type.SEQUENCE, true, [
    a.create(a.Class.UNIVERSAL, a.Type.OID, false, a.oidToDer('1.2.840.113549.1.9.16.2.14').getBytes()),
    a.create(a.Class.UNIVERSAL, a.Type.SET, true, [tokenNode]),
  ])
  ;(si.value as forge.asn1.Asn1[]).push(a.create(a.Class.CONTEXT_SPECIFIC, 1, true, [attr]))
  return Buffer.from(a.toDer(root).getBytes(), 'binary')
}

// ---------------------------------------------------------------------------------------------
// PDF

/** A small valid PDF (one page of text; `fill` adds an uncompressed stream to reach a size). */
export function basePdf(o: { text?: string; fill?: number } = {}): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${o.text ?? 'UBND xa Tan Ha - Cong van so 12'}) Tj ET\n` + (o.fill ? `%${'x'.repeat(o.fill)}\n` : '')
  const objs = [
    '<</Type /Catalog /Pages 2 0 R>>',
    '<</Type /Pages /Kids [3 0 R] /Count 1>>',
    '<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>>>>',
    `<</Length ${Buffer.byteLength(stream, 'latin1')}>>\nstream\n${stream}endstream`,
    '<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>',
  ]
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'
  const offsets: number[] = []
  objs.forEach((body, i) => { offsets.push(Buffer.byteLength(out, 'latin1')); out += `${i + 1} 0 obj\n${body}\nendobj\n` })
  const xref = Buffer.byteLength(out, 'latin1')
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  out += `trailer\n<</Size ${objs.length + 1} /Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

type Update = { objects: [number, string][]; trailerExtra?: string }

/** Appends an incremental update (objects, xref section, trailer pointing back to the previous one). */
function appendUpdate(pdf: Buffer, u: Update): Buffer {
  const text = pdf.toString('latin1')
  const prev = Number([...text.matchAll(/startxref\s+(\d+)/g)].pop()![1])
  const size = Number([...text.matchAll(/\/Size (\d+)/g)].pop()![1])
  let out = text.endsWith('\n') ? '' : '\n'
  const offsets = new Map<number, number>()
  for (const [n, body] of u.objects) { offsets.set(n, pdf.length + Buffer.byteLength(out, 'latin1')); out += `${n} 0 obj\n${body}\nendobj\n` }
  const xref = pdf.length + Buffer.byteLength(out, 'latin1')
  out += 'xref\n0 1\n0000000000 65535 f \n'
  for (const [n, off] of [...offsets].sort((a, b) => a[0] - b[0])) out += `${n} 1\n${String(off).padStart(10, '0')} 00000 n \n`
  const newSize = Math.max(size, ...offsets.keys()) + 1
  out += `trailer\n<</Size ${newSize} /Root 1 0 R /Prev ${prev}${u.trailerExtra ?? ''}>>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.concat([pdf, Buffer.from(out, 'latin1')])
}

/** subFilter: 'adbe.pkcs7.detached' (the default), 'ETSI.CAdES.detached', or another one, to see it refused. */
export type PdfSignOptions = CmsOptions & { subFilter?: string; timestamp?: Signer; when?: string; placeholder?: number }

/** Signs a PDF in an incremental update, the way signing software does: a signature field, a placeholder, the ranges around it. */
export function signPdf(pdf: Buffer, signer: Signer, o: PdfSignOptions = {}): Buffer {
  const text = pdf.toString('latin1')
  const size = Number([...text.matchAll(/\/Size (\d+)/g)].pop()![1])
  const widgets = [...text.matchAll(/(\d+) 0 obj\n<<\/Type \/Annot \/Subtype \/Widget/g)].map((m) => Number(m[1]))
  const sigN = size
  const widgetN = size + 1
  const fields = [...new Set([...widgets, widgetN])].map((n) => `${n} 0 R`).join(' ')
  const hexLen = (o.placeholder ?? 12_000) * 2
  const placeholderRange = '[0 0000000000 0000000000 0000000000]'
  const sub = o.subFilter ?? 'adbe.pkcs7.detached'
  const out = appendUpdate(pdf, {
    objects: [
      [1, `<</Type /Catalog /Pages 2 0 R /AcroForm <</Fields [${fields}] /SigFlags 3>>>>`],
      [3, `<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>> /Annots [${fields}]>>`],
      [sigN, `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /${sub} /ByteRange ${placeholderRange} /Contents <${'0'.repeat(hexLen)}> /M (${o.when ?? "D:20261115093000+07'00'"})>>`],
      [widgetN, `<</Type /Annot /Subtype /Widget /FT /Sig /T (Signature${widgetN}) /V ${sigN} 0 R /Rect [0 0 0 0] /F 132 /P 3 0 R>>`],
    ],
  })
  const s = out.toString('latin1')
  const rangeAt = s.lastIndexOf(placeholderRange)
  const b = s.indexOf('/Contents <', rangeAt) + '/Contents '.length
  const c = b + hexLen + 2
  const range = `[0 ${String(b).padStart(10, '0')} ${String(c).padStart(10, '0')} ${String(out.length - c).padStart(10, '0')}]`
  out.write(range, rangeAt, 'latin1')
  const signed = Buffer.concat([out.subarray(0, b), out.subarray(c)])
  let cms = cmsSign(signed, signer, { ...o, attached: false, cades: o.cades ?? sub === 'ETSI.CAdES.detached' })
  if (o.timestamp) cms = addTimestamp(cms, o.timestamp)
  const hex = cms.toString('hex')
  if (hex.length > hexLen) throw new Error('signature larger than its placeholder')
  out.write(hex, b + 1, 'latin1')
  return out
}

/** A later incremental update that changes the document information (as an editor saving the file would). */
export function laterUpdate(pdf: Buffer): Buffer {
  const size = Number([...pdf.toString('latin1').matchAll(/\/Size (\d+)/g)].pop()![1])
  return appendUpdate(pdf, { objects: [[size, '<</Title (Edited after signing) /Producer (an editor)>>']], trailerExtra: ` /Info ${size} 0 R` })
}

export const hasPdfsig = spawnSync('pdfsig', ['-v'], { stdio: 'ignore' }).status === 0

export type PdfsigSignature = { valid: boolean; validation: string; total: boolean }

/** pdfsig's verdict per signature (signature validation only: its certificate store is not ours). */
export function pdfsig(pdf: Buffer): PdfsigSignature[] {
  return tmp((dir) => {
    const p = path.join(dir, 'doc.pdf')
    fs.writeFileSync(p, pdf)
    const r = spawnSync('pdfsig', ['-nocert', p], { encoding: 'utf8' })
    const text = `${r.stdout}`
    return text.split(/^Signature #\d+:/m).slice(1).map((block) => {
      const validation = /Signature Validation: (.*)/.exec(block)?.[1]?.trim() ?? ''
      return { valid: validation === 'Signature is Valid.', validation, total: /Total document signed/.test(block) && !/Not total document signed/.test(block) }
    })
  })
}
