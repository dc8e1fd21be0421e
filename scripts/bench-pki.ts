/*
 * Leaf verifications per second for an RSA-2048 root → CA → leaf chain, with
 * verifyCertificate (one thread, then one worker per core) and with `openssl verify`.
 * Not a test: node --import tsx scripts/bench-pki.ts [seconds-per-run]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { readCertificates, verifyCertificate, type Certificate } from '../src/pki/index.ts'
import { generateKey, issueCertificate } from '../src/pki/issue.ts'

type Pems = { root: string; ca: string; leaves: string[] }

function makeChain (leaves: number): Pems {
  const nb = new Date('2020-01-01T00:00:00Z')
  const na = new Date('2040-01-01T00:00:00Z')
  const rk = generateKey({ type: 'rsa', bits: 2048 })
  const ck = generateKey({ type: 'rsa', bits: 2048 })
  const lk = generateKey({ type: 'rsa', bits: 2048 })
  const root = issueCertificate({ subject: [['C', 'VN'], ['CN', 'Bench Root']], key: rk, notBefore: nb, notAfter: na, basicConstraints: { cA: true }, keyUsage: ['keyCertSign', 'cRLSign'] })
  const ca = issueCertificate({ subject: [['C', 'VN'], ['CN', 'Bench CA']], key: ck, issuer: { cert: root.cert, key: rk.privateKey }, notBefore: nb, notAfter: na, basicConstraints: { cA: true, pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'] })
  const out: string[] = []
  for (let i = 0; i < leaves; i++) {
    out.push(issueCertificate({
      subject: [['C', 'VN'], ['CN', `UBND xã số ${i}`]], key: lk.publicKey, issuer: { cert: ca.cert, key: ck.privateKey },
      notBefore: nb, notAfter: na, basicConstraints: { cA: false }, keyUsage: ['digitalSignature', 'nonRepudiation'], serial: (1000 + i).toString(16)
    }).pem)
  }
  return { root: root.pem, ca: ca.pem, leaves: out }
}

/** Runs verifications for `seconds`; returns how many. */
function loop (pems: Pems, seconds: number, parse: boolean): number {
  const anchors = readCertificates(pems.root)
  const intermediates = readCertificates(pems.ca)
  const leaves: Certificate[] = pems.leaves.map(p => readCertificates(p)[0])
  const at = new Date('2024-01-01T00:00:00Z')
  const end = Date.now() + seconds * 1000
  let n = 0
  while (Date.now() < end) {
    for (let i = 0; i < leaves.length; i++) {
      const leaf = parse ? readCertificates(pems.leaves[i])[0] : leaves[i]
      const r = verifyCertificate(leaf, { anchors, intermediates, at, profile: 'signing' })
      if (!r.ok) throw new Error(JSON.stringify(r.problems))
      n++
    }
  }
  return n
}

async function parallel (pems: Pems, seconds: number, parse: boolean, threads: number): Promise<number> {
  const counts = await Promise.all(Array.from({ length: threads }, () => new Promise<number>((resolve, reject) => {
    // Workers do not inherit tsx's loader hooks on Node 20: register them inside the worker.
    const boot = `import('tsx/esm/api').then(m => { m.register(); return import(${JSON.stringify(import.meta.url)}) })`
    const w = new Worker(boot, { eval: true, workerData: { pems, seconds, parse } })
    w.once('message', resolve)
    w.once('error', reject)
  })))
  return counts.reduce((a, b) => a + b, 0) / seconds
}

function openssl (pems: Pems): number {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-bench-'))
  writeFileSync(join(dir, 'root.pem'), pems.root)
  writeFileSync(join(dir, 'ca.pem'), pems.ca)
  const files = pems.leaves.map((p, i) => { const f = `leaf${i}.pem`; writeFileSync(join(dir, f), p); return f })
  const started = process.hrtime.bigint()
  const out = execFileSync('openssl', ['verify', '-attime', String(Date.parse('2024-01-01T00:00:00Z') / 1000), '-CAfile', 'root.pem', '-untrusted', 'ca.pem', ...files], { cwd: dir, encoding: 'utf8' })
  const secs = Number(process.hrtime.bigint() - started) / 1e9
  if ((out.match(/: OK/g) ?? []).length !== files.length) throw new Error('openssl did not verify every leaf')
  return files.length / secs
}

if (!isMainThread) {
  const { pems, seconds, parse } = workerData as { pems: Pems; seconds: number; parse: boolean }
  loop(pems, 0.5, parse) // warm-up
  parentPort!.postMessage(loop(pems, seconds, parse))
} else {
  const seconds = Number(process.argv[2] ?? 3)
  const pems = makeChain(500)
  const cores = availableParallelism()
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8)
  loop(pems, 0.5, true) // warm-up
  console.log(`RSA-2048 root → CA → leaf, ${pems.leaves.length} distinct leaves, ${seconds}s per run, ${cores} cores available`)
  console.log(`verifyCertificate, leaf already parsed, 1 thread:        ${fmt(loop(pems, seconds, false) / seconds)} /s`)
  console.log(`readCertificates + verifyCertificate, 1 thread:          ${fmt(loop(pems, seconds, true) / seconds)} /s`)
  console.log(`verifyCertificate, leaf already parsed, ${cores} worker threads: ${fmt(await parallel(pems, seconds, false, cores))} /s`)
  console.log(`readCertificates + verifyCertificate, ${cores} worker threads:   ${fmt(await parallel(pems, seconds, true, cores))} /s`)
  const o = openssl(pems)
  console.log(`openssl verify (one process, ${pems.leaves.length} leaf files), 1 thread: ${fmt(o)} /s`)
}
