/**
 * /health under a flood of the heaviest certificate uploads the default limits allow: the real server
 * (src/server.ts) in its own process on a fresh database, HEAVY_CLIENTS registrars each sending, without
 * pause, a PEM batch as large as BODY_LIMIT (1 MiB) lets it be — 50 CA certificates with the issuing
 * CA's name and key that all lead nowhere, then end-entity certificates up to the body limit — so that
 * path building spends the whole request budget (limits.ts). Beside them one client asks /health and the
 * dashboard page every 100 ms. Prints their latency percentiles and what the uploads were answered.
 *
 *   npm run bench:heavy-uploads                                  # embedded database (PGlite)
 *   BENCH_DATABASE_URL=postgres://…/postgres npm run bench:heavy-uploads
 *
 * HEAVY_SECONDS (default 20, at most 60) and HEAVY_CLIENTS (default 4) bound the run; BENCH_ROOT runs
 * another checkout's server. Not a test: it asserts nothing.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import { day, hierarchy, issueCertificate, leaf, tanHaDucLinh } from '../test/helpers/pki.ts'
import { LIMITS } from '../src/certificates/limits.ts'
import { flood, quietHealth, startServer, timed } from './lib/flood.ts'

const ROOT = path.resolve(process.env.BENCH_ROOT ?? path.join(import.meta.dirname, '..'))
const SECONDS = Math.min(60, Number(process.env.HEAVY_SECONDS ?? 20))
const CLIENTS = Number(process.env.HEAVY_CLIENTS ?? 4)
const BODY_LIMIT = 1024 * 1024
const ADMIN = `bench-admin-${crypto.randomBytes(8).toString('hex')}`

function heaviestBatch(): { pem: string; rootPem: string; leaves: number } {
  const h = hierarchy('Flood')
  const caKey = crypto.createPublicKey({ key: h.ca.cert.publicKeyDer, format: 'der', type: 'spki' })
  const twins = Array.from({ length: LIMITS.uploadCaCertificates }, (_, i) => issueCertificate({
    subject: [['C', 'VN'], ['O', 'Ban Cơ yếu Chính phủ Flood'], ['CN', 'CA phục vụ các cơ quan Nhà nước Flood']],
    key: caKey, issuer: { cert: h.root.cert, key: h.root.key },
    notBefore: day('2011-01-01'), notAfter: new Date(day('2015-01-01').getTime() + i * 86400_000),
    basicConstraints: { cA: true, pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'],
  }).pem).join('')
  const one = leaf(h, tanHaDucLinh()).pem.length
  const room = Math.min(LIMITS.batchItems, Math.floor((BODY_LIMIT - twins.length - 1024) / one))
  const leaves = Array.from({ length: room }, () => leaf(h, tanHaDucLinh()).pem).join('')
  return { pem: twins + leaves, rootPem: h.root.pem, leaves: room }
}

async function main(): Promise<void> {
  const batch = heaviestBatch()
  const server = await startServer(ROOT, { ADMIN_TOKEN: ADMIN, RATE_LIMIT_WRITES_PER_MINUTE: '1000000' })
  const { url } = server
  const admin = { authorization: `Bearer ${ADMIN}` }
  try {
    const anchor = await timed(`${url}/v1/trust-anchors`, { method: 'POST', headers: { ...admin, 'content-type': 'application/x-pem-file' }, body: batch.rootPem })
    if (anchor.status !== 201) throw new Error(`trust anchor: ${anchor.status} ${anchor.body}`)
    const created = await timed(`${url}/v1/tokens`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'flood', role: 'registrar', scope: null }) })
    const registrar = `Bearer ${(JSON.parse(created.body) as { token: string }).token}`
    const upload = () => timed(`${url}/v1/certificates/batch`, { method: 'POST', headers: { authorization: registrar, 'content-type': 'application/x-pem-file' }, body: batch.pem })

    const quiet = await quietHealth(url)
    const one = await upload()
    const budget = (JSON.parse(one.body) as { results?: { problems?: { code: string; reason?: string }[] }[] }).results
      ?.filter((r) => r.problems?.some((p) => p.code === 'budget_exceeded' || p.reason === 'budget_exceeded')).length
    console.log(server.label)
    console.log(`one upload alone (${(batch.pem.length / 1024).toFixed(0)} KiB: ${LIMITS.uploadCaCertificates} CA certificates, ${batch.leaves} leaves): ${one.ms.toFixed(0)} ms (${one.status}, ${budget ?? '?'} items refused for the spent budget); /health on a quiet server: ${quiet}`)

    await flood(url, { clients: CLIENTS, seconds: SECONDS, what: 'registrars uploading', request: upload })
  } finally {
    await server.stop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
