/**
 * Signed documents verified per second: a 1 MB PDF with two signatures (head, then committee),
 * verified whole by src/pki (every signature, chain, digest over 1 MB each), beside
 * `openssl cms -verify` of the same two signatures over the same signed bytes. Not a test.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { verifySignedDocument } from '../../src/pki/signed-document.ts'
import { findPdfSignatures } from '../../src/pki/pdf/signatures.ts'
import { firstElement } from '../../src/pki/cms/der-values.ts'
import { basePdf, signPdf, signingKit } from '../../test/helpers/signed-docs.ts'
import { fmt, ratio, type Row } from './report.ts'

export type DocumentsResult = { bytes: number; kyso: number; openssl: number; opensslNote: string }

export function measureDocuments(seconds: number, log: (s: string) => void): DocumentsResult {
  const kit = signingKit([['C', 'VN'], ['ST', 'Bình Thuận'], ['L', 'Huyện Đức Linh'], ['CN', 'Ủy ban nhân dân xã Tân Hà']], 'Bench')
  const chain = kit.ca.pem
  const pdf = signPdf(signPdf(basePdf({ fill: 1_000_000 }), kit.head, { chain }), kit.rsa, { chain })
  const trust = { anchors: [kit.root.cert], intermediates: [] }
  const check = verifySignedDocument({ kind: 'pdf', bytes: pdf }, trust, new Date())
  if (!check.signatures.every((s) => s.ok) || check.signatures.length !== 2) throw new Error('the bench document does not verify')

  const run = (limit: number) => {
    const start = process.hrtime.bigint()
    let n = 0
    let elapsed = 0
    while (elapsed < limit) {
      verifySignedDocument({ kind: 'pdf', bytes: pdf }, trust, new Date())
      n++
      elapsed = Number(process.hrtime.bigint() - start) / 1e9
    }
    return n / elapsed
  }
  run(Math.min(0.5, seconds)) // warm-up
  const kyso = run(seconds)

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-bench-doc-'))
  try {
    fs.writeFileSync(path.join(dir, 'ca.pem'), kit.root.pem + kit.ca.pem)
    const sigs = findPdfSignatures(pdf).map((s, i) => {
      const cms = path.join(dir, `sig${i}.der`)
      const content = path.join(dir, `signed${i}.bin`)
      fs.writeFileSync(cms, firstElement(s.contents, true))
      fs.writeFileSync(content, s.signedBytes)
      return { cms, content }
    })
    const verifyOnce = () => {
      for (const s of sigs) {
        const r = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', s.cms, '-content', s.content, '-CAfile', path.join(dir, 'ca.pem'), '-purpose', 'any', '-out', '/dev/null'], { stdio: 'ignore' })
        if (r.status !== 0) throw new Error('openssl cms -verify refused the bench document')
      }
    }
    verifyOnce()
    const start = process.hrtime.bigint()
    let n = 0
    let elapsed = 0
    while (elapsed < seconds) {
      verifyOnce()
      n++
      elapsed = Number(process.hrtime.bigint() - start) / 1e9
    }
    const openssl = n / elapsed
    const version = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim().split(' ').slice(0, 2).join(' ')
    const result = { bytes: pdf.length, kyso, openssl, opensslNote: `${version}, one process per signature` }
    log(`documents: ${fmt(kyso, 1)}/s (1 thread, ${fmt(pdf.length)} bytes, 2 signatures); openssl cms -verify: ${fmt(openssl, 1)}/s (${result.opensslNote})`)
    return result
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export function documentsRow(d: DocumentsResult): Row {
  return {
    figure: `signed documents verified /s: a ${fmt(d.bytes)}-byte PDF with two signatures (head, committee), every signature, digest and chain, 1 thread`,
    kyso: fmt(d.kyso, 1), baseline: `${fmt(d.openssl, 1)} (openssl cms -verify of both signatures, ${d.opensslNote})`,
    ratio: ratio(d.kyso, d.openssl), target: '', met: null,
  }
}
