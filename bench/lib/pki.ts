/**
 * A 2-level RSA-2048 test hierarchy (root → issuing CA → leaves) made with src/pki/issue.ts, real
 * signatures throughout, and the two verification measurements: src/pki (readCertificates +
 * verifyCertificate) and `openssl verify` of the same chains. One leaf key serves every leaf:
 * generating keys is the slow part, and the certificates differ anyway (subject, serial).
 */
import { execFileSync } from 'node:child_process'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { readCertificates, verifyCertificate, parseCertificate, type Certificate } from '../../src/pki/index.ts'
import { generateKey, issueCertificate, privateKeyPem, type NameSpec } from '../../src/pki/issue.ts'

export const NOT_BEFORE = new Date('2024-03-01T00:00:00Z')
const NOT_AFTER = new Date('2029-03-01T00:00:00Z')
/** The moment chains are verified at (inside every validity period). */
export const VERIFY_AT = new Date('2025-01-01T00:00:00Z')

/** What a worker needs to issue leaves: plain strings, so that it crosses postMessage. */
export type ChainSpec = { rootPem: string; caPem: string; caKeyPem: string; leafPublicKeyPem: string }

export function makeChain(name = 'Bench'): ChainSpec {
  const rk = generateKey({ type: 'rsa', bits: 2048 })
  const ck = generateKey({ type: 'rsa', bits: 2048 })
  const lk = generateKey({ type: 'rsa', bits: 2048 })
  const root = issueCertificate({
    subject: [['C', 'VN'], ['O', `Ban Cơ yếu Chính phủ ${name}`], ['CN', `RootCA ${name}`]], key: rk,
    notBefore: new Date('2010-01-01T00:00:00Z'), notAfter: new Date('2045-01-01T00:00:00Z'), basicConstraints: { cA: true }, keyUsage: ['keyCertSign', 'cRLSign'],
  })
  const ca = issueCertificate({
    subject: [['C', 'VN'], ['O', `Ban Cơ yếu Chính phủ ${name}`], ['CN', `CA phục vụ các cơ quan Nhà nước ${name}`]], key: ck.publicKey,
    issuer: { cert: root.cert, key: rk.privateKey }, notBefore: new Date('2010-06-01T00:00:00Z'), notAfter: new Date('2044-12-31T00:00:00Z'),
    basicConstraints: { cA: true, pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'],
  })
  return {
    rootPem: root.pem,
    caPem: ca.pem,
    caKeyPem: privateKeyPem(ck.privateKey),
    leafPublicKeyPem: lk.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  }
}

/** Issues one signing leaf per subject, serials from `serialBase` on, in this thread. */
export function issueLeavesHere(chain: ChainSpec, subjects: NameSpec[], serialBase: number): string[] {
  const ca = parseCertificate(readCertificates(chain.caPem)[0].der)
  const caKey = createPrivateKey(chain.caKeyPem)
  const leafKey = createPublicKey(chain.leafPublicKeyPem)
  return subjects.map((subject, i) => issueCertificate({
    subject, key: leafKey, issuer: { cert: ca, key: caKey }, notBefore: NOT_BEFORE, notAfter: NOT_AFTER,
    keyUsage: ['digitalSignature', 'nonRepudiation'], extKeyUsage: ['clientAuth', 'emailProtection'],
    basicConstraints: { cA: false, critical: false }, serial: (serialBase + i).toString(16).padStart(8, '0'),
  }).pem)
}

const WORKER = new URL('./pki-worker.ts', import.meta.url).href

/** Runs the pki worker with `data`; resolves with what it posts back. */
export function inWorker<T>(data: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // Workers do not inherit tsx's loader hooks on Node 20: register them inside the worker.
    const boot = `import('tsx/esm/api').then(m => { m.register(); return import(${JSON.stringify(WORKER)}) })`
    const w = new Worker(boot, { eval: true, workerData: data })
    w.once('message', (m) => { resolve(m as T); void w.terminate() })
    w.once('error', reject)
  })
}

/** Issues the leaves over `threads` worker threads (leaf signing is CPU-bound: ~1.7 ms each). */
export async function issueLeaves(chain: ChainSpec, subjects: NameSpec[], serialBase: number, threads = Math.max(1, os.availableParallelism())): Promise<string[]> {
  if (subjects.length < 200 || threads === 1) return issueLeavesHere(chain, subjects, serialBase)
  const size = Math.ceil(subjects.length / threads)
  const parts = await Promise.all(Array.from({ length: threads }, (_, t) =>
    inWorker<string[]>({ task: 'issue', chain, subjects: subjects.slice(t * size, (t + 1) * size), serialBase: serialBase + t * size })))
  return parts.flat()
}

/** Verifications per second in this thread for `seconds`: each leaf read from PEM (when `parse`) and verified against the chain. */
export function verifyLoop(chain: ChainSpec, leaves: string[], seconds: number, parse = true): number {
  const anchors = readCertificates(chain.rootPem)
  const intermediates = readCertificates(chain.caPem)
  const parsed: Certificate[] = parse ? [] : leaves.map((p) => readCertificates(p)[0])
  const end = performance.now() + seconds * 1000
  const started = performance.now()
  let n = 0
  while (performance.now() < end) {
    for (let i = 0; i < leaves.length; i++) {
      const leaf = parse ? readCertificates(leaves[i])[0] : parsed[i]
      const r = verifyCertificate(leaf, { anchors, intermediates, at: VERIFY_AT, profile: 'signing' })
      if (!r.ok) throw new Error(`leaf ${i} did not verify: ${JSON.stringify(r.problems)}`)
      n++
    }
  }
  return n / ((performance.now() - started) / 1000)
}

/** The same, one worker thread per core; the sum of their rates. */
export async function verifyParallel(chain: ChainSpec, leaves: string[], seconds: number, threads = os.availableParallelism()): Promise<number> {
  const rates = await Promise.all(Array.from({ length: threads }, () => inWorker<number>({ task: 'verify', chain, leaves, seconds })))
  return rates.reduce((a, b) => a + b, 0)
}

/** `openssl verify` of the same leaves: one process over all leaf files, -CAfile root -untrusted ca. Leaves per second. */
export function opensslRate(chain: ChainSpec, leaves: string[]): { rate: number; seconds: number; version: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-bench-openssl-'))
  try {
    fs.writeFileSync(path.join(dir, 'root.pem'), chain.rootPem)
    fs.writeFileSync(path.join(dir, 'ca.pem'), chain.caPem)
    const files = leaves.map((p, i) => { const f = `leaf${i}.pem`; fs.writeFileSync(path.join(dir, f), p); return f })
    const args = ['verify', '-attime', String(Math.floor(VERIFY_AT.getTime() / 1000)), '-CAfile', 'root.pem', '-untrusted', 'ca.pem', ...files]
    execFileSync('openssl', args.slice(0, 7).concat(files.slice(0, 1)), { cwd: dir, encoding: 'utf8' }) // warm the page cache and the binary
    const started = process.hrtime.bigint()
    const out = execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const ok = (out.match(/: OK$/gm) ?? []).length
    if (ok !== files.length) throw new Error(`openssl verified ${ok} of ${files.length} leaves`)
    const version = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim()
    return { rate: files.length / seconds, seconds, version }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
