/**
 * Intake benchmark: certificates verified per second by src/pki alone, beside `openssl verify`
 * of the same chains, and registrations per second through HTTP on real PostgreSQL, single uploads with
 * 16 concurrent clients and batch uploads of 500, beside the same number of plain inserts through
 * postgres.js (same row shape, into a scratch table). Not a test.
 *
 *   npm run bench:intake [-- --quick]
 *
 * Alone, it runs on DATABASE_URL or a throwaway database (Bình Thuận's units); bench/run.ts calls
 * `runIntake` on the national data set instead.
 */
import crypto from 'node:crypto'
import os from 'node:os'
import postgres from 'postgres'
import { sql } from 'drizzle-orm'
import type { Db } from '../../src/db/open.ts'
import { queryRows } from '../../src/db/rows.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import { createToken } from '../../src/auth/tokens.ts'
import { addCaCertificate } from '../../src/trust/service.ts'
import { readCertificates } from '../../src/pki/index.ts'
import type { NameSpec } from '../../src/pki/issue.ts'
import { issueLeaves, makeChain, opensslRate, verifyLoop, verifyParallel, type ChainSpec } from './pki.ts'
import { postEach, type LoadResult } from './http.ts'
import { cpuBetween, postgresCpuMs, type BenchServer } from './server.ts'
import { fmt, ratio, type Row } from './report.ts'
import { documentsRow, type DocumentsResult } from './documents.ts'

export const TARGETS = { pki: 5000, single: 500, batch: 2000 }

export type IntakeSizes = { pkiLeaves: number; pkiSeconds: number; pkiRounds: number; single: number; singleClients: number; batches: number; batchSize: number; batchClients: number }

export function intakeSizes(quick: boolean): IntakeSizes {
  return quick
    ? { pkiLeaves: 200, pkiSeconds: 0.5, pkiRounds: 2, single: 300, singleClients: 16, batches: 3, batchSize: 500, batchClients: 2 }
    : { pkiLeaves: 500, pkiSeconds: 2, pkiRounds: 3, single: 4000, singleClients: 16, batches: 20, batchSize: 500, batchClients: 2 }
}

/** Rates per second; the figure is the best round (the least disturbed by other work on a shared machine), `rounds` keeps them all. */
export type PkiResult = {
  leaves: number
  oneThread: number
  parsedOneThread: number
  workers: number
  threads: number
  openssl: number
  opensslVersion: string
  rounds: { oneThread: number[]; parsedOneThread: number[]; openssl: number[] }
}

/** src/pki against openssl, on distinct leaves of one 2-level RSA-2048 chain. */
export async function measurePki(chain: ChainSpec, sizes: IntakeSizes, log: (s: string) => void): Promise<PkiResult> {
  const subjects: NameSpec[] = Array.from({ length: sizes.pkiLeaves }, (_, i) => [['C', 'VN'], ['ST', 'Bình Thuận'], ['L', 'Huyện Đức Linh'], ['CN', `Ủy ban nhân dân xã số ${i}`]])
  const leaves = await issueLeaves(chain, subjects, 0x10000000)
  verifyLoop(chain, leaves, Math.min(1, sizes.pkiSeconds)) // warm-up: JIT, forge's tables
  const rounds = { oneThread: [] as number[], parsedOneThread: [] as number[], openssl: [] as number[] }
  let version = ''
  // Rounds alternate Kyso and openssl so that a burst of other work on the machine hits both alike.
  for (let r = 0; r < sizes.pkiRounds; r++) {
    rounds.oneThread.push(verifyLoop(chain, leaves, sizes.pkiSeconds))
    rounds.parsedOneThread.push(verifyLoop(chain, leaves, sizes.pkiSeconds, false))
    const o = opensslRate(chain, leaves)
    rounds.openssl.push(o.rate)
    version = o.version
  }
  const threads = os.availableParallelism()
  const workers = await verifyParallel(chain, leaves, sizes.pkiSeconds, threads)
  const best = (l: number[]) => Math.max(...l)
  const result = { leaves: leaves.length, oneThread: best(rounds.oneThread), parsedOneThread: best(rounds.parsedOneThread), workers, threads, openssl: best(rounds.openssl), opensslVersion: version, rounds }
  log(`pki (best of ${sizes.pkiRounds} rounds): ${fmt(result.oneThread)}/s read+verify (1 thread; rounds ${rounds.oneThread.map((x) => fmt(x)).join(', ')}), ${fmt(result.parsedOneThread)}/s verify only, ${fmt(workers)}/s over ${threads} workers; ${version}: ${fmt(result.openssl)}/s (rounds ${rounds.openssl.map((x) => fmt(x)).join(', ')})`)
  return result
}

/** Registers the chain's root and CA in the database and makes a registrar token. */
export async function prepareRegistrar(db: Db, chain: ChainSpec): Promise<string> {
  await addCaCertificate(db, SYSTEM_ACTOR, 'anchor', chain.rootPem)
  await addCaCertificate(db, SYSTEM_ACTOR, 'intermediate', chain.caPem)
  const { token } = await createToken(db, SYSTEM_ACTOR, { name: `bench registrar ${crypto.randomBytes(3).toString('hex')}`, role: 'registrar' })
  return token
}

type Place = { code: string; name: string; district: string | null; province: string | null }

/**
 * Subjects as a provincial officer would upload them, naming a commune, its district and province
 * (matching from the subject is part of the work measured): communes whose (district, commune) pair of
 * folded names is unique in the country, taken in turn. (Pairs that fold alike, such as Xã Tân Hoà in
 * Huyện Tân Thành, Bà Rịa - Vũng Tàu and Xã Tân Hòa in Huyện Tân Thạnh, Long An, answer unit_ambiguous
 * although the province in ST tells them apart: a matching weakness, not measured here.)
 */
async function subjectsFor(db: Db, count: number): Promise<{ subjects: NameSpec[]; units: string[] }> {
  const places = await queryRows<Place>(db, sql`
    select code, name, district, province from (
      select c.code, c.name, d.name as district, p.name as province,
             count(*) over (partition by d.bare_key, c.bare_key) as same
        from admin_units c
        left join admin_units d on d.code = c.district_code
        left join admin_units p on p.code = c.province_code
       where c.level = 'commune' and c.valid_to is null) x
     where same = 1 order by code`)
  if (!places.length) throw new Error('no commune-level unit to register certificates for: load units first')
  const subjects: NameSpec[] = []
  const units: string[] = []
  for (let i = 0; i < count; i++) {
    const p = places[(i * 7919) % places.length]
    const commune = p.name.charAt(0).toLowerCase() + p.name.slice(1)
    const s: NameSpec = [['C', 'VN']]
    if (p.province) s.push(['ST', p.province])
    if (p.district) s.push(['L', p.district])
    if (p.province) s.push(['O', `UBND ${p.province}`])
    s.push(['CN', `Ủy ban nhân dân ${commune}`])
    subjects.push(s)
    units.push(p.code)
  }
  return { subjects, units }
}

/** CPU spent per created registration: by the app's process and by its PostgreSQL backends (ms). Less noisy than rates on a shared machine. */
export type CpuPerItem = { appMs: number; postgresMs: number }

export type RegistrationResult = {
  leavesIssuedMs: number
  single: LoadResult & { created: number; perSecond: number; firstRefusal: string | null; cpu: CpuPerItem }
  batch: LoadResult & { created: number; items: number; perSecond: number; firstRefusal: string | null; cpu: CpuPerItem }
  plainSingle: { rows: number; seconds: number; perSecond: number }
  plainBatch: { rows: number; seconds: number; perSecond: number }
  clients: { single: number; batch: number }
}

/** Plain postgres.js inserts of the same rows into a scratch copy of the certificates table. */
async function plainInserts(url: string, rows: Record<string, unknown>[], perStatement: number, clients: number): Promise<{ rows: number; seconds: number; perSecond: number }> {
  const pg = postgres(url, { max: clients, onnotice: () => {} })
  try {
    await pg`drop table if exists bench_plain_certificates`
    await pg`create table bench_plain_certificates (like certificates including defaults including constraints including indexes)`
    const chunks: Record<string, unknown>[][] = []
    for (let i = 0; i < rows.length; i += perStatement) chunks.push(rows.slice(i, i + perStatement))
    await Promise.all(Array.from({ length: clients }, () => pg`select 1`)) // open the connections first
    let next = 0
    const started = performance.now()
    await Promise.all(Array.from({ length: clients }, async () => {
      for (let c = next++; c < chunks.length; c = next++) await pg`insert into bench_plain_certificates ${pg(chunks[c])}`
    }))
    const seconds = (performance.now() - started) / 1000
    const [{ n }] = await pg<{ n: number }[]>`select count(*)::int as n from bench_plain_certificates`
    if (n !== rows.length) throw new Error(`plain inserts: ${n} of ${rows.length} rows`)
    await pg`drop table bench_plain_certificates`
    return { rows: rows.length, seconds, perSecond: rows.length / seconds }
  } finally {
    await pg.end({ timeout: 5 })
  }
}

function rowOf(pem: string, unitCode: string, version: { id: number; committee_id: number } | undefined): Record<string, unknown> {
  const c = readCertificates(pem)[0]
  if (!version) throw new Error(`no version of unit ${unitCode} in force`)
  return {
    unit_id: version.id, committee_id: version.committee_id,
    fingerprint_sha256: c.fingerprintSha256, der: c.der, serial_number: c.serialNumber, subject: c.subject, subject_dn: c.subjectDn,
    issuer_dn: c.issuerDn, issuer_key: crypto.createHash('sha256').update(c.issuerDer).digest('hex'), not_before: c.notBefore,
    not_after: c.notAfter, unit_code: unitCode, kind: 'organization', device: null, key_algorithm: c.keyAlgorithm, key_size: c.keySize,
    signature_algorithm: c.signatureAlgorithm, matched_by: 'subject',
  }
}

/** Registrations over HTTP (single, 16 clients; batches of 500) and their plain-insert baselines. */
export async function measureRegistrations(db: Db, databaseUrl: string, server: BenchServer, chain: ChainSpec, token: string, sizes: IntakeSizes, log: (s: string) => void): Promise<RegistrationResult> {
  const total = sizes.single + sizes.batches * sizes.batchSize
  const { subjects, units } = await subjectsFor(db, total)
  const t = performance.now()
  const serialBase = 0x20000000 + crypto.randomInt(0, 0x10000000) // distinct leaves in every run, also on a reused DATABASE_URL
  const pems = await issueLeaves(chain, subjects, serialBase)
  const leavesIssuedMs = performance.now() - t
  log(`issued ${fmt(pems.length)} leaves in ${fmt(leavesIssuedMs / 1000, 1)} s`)
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/x-pem-file' }

  const cpuMark = async () => ({ app: await server.cpuMs(), pg: await postgresCpuMs(databaseUrl) })
  const cpuPer = async (before: { app: number; pg: Map<number, number> }, n: number): Promise<CpuPerItem> => {
    const after = await cpuMark()
    return { appMs: (after.app - before.app) / Math.max(1, n), postgresMs: cpuBetween(before.pg, after.pg) / Math.max(1, n) }
  }
  let firstSingleRefusal = null as string | null // set in a callback, which narrowing does not see
  let mark = await cpuMark()
  const singlePems = pems.slice(0, sizes.single)
  const singleRun = await server.profiled('registrations-single', () => postEach(`${server.appUrl}/v1/certificates`, singlePems, {
    connections: sizes.singleClients, headers,
    onResponse: (status, body) => { if (status !== 201 && !firstSingleRefusal) firstSingleRefusal = `${status} ${body.slice(0, 400)}` },
  }))
  const single = { ...singleRun, created: singleRun.ok, perSecond: singleRun.ok / singleRun.seconds, firstRefusal: firstSingleRefusal, cpu: await cpuPer(mark, singleRun.ok) }
  log(`single: ${single.created}/${singlePems.length} created in ${fmt(single.seconds, 2)} s = ${fmt(single.perSecond)}/s, p99 ${single.p99} ms; CPU per registration: app ${fmt(single.cpu.appMs, 2)} ms, PostgreSQL ${fmt(single.cpu.postgresMs, 2)} ms${firstSingleRefusal ? `; first refusal: ${firstSingleRefusal}` : ''}`)

  const batchPems = pems.slice(sizes.single)
  const bodies: string[] = []
  for (let i = 0; i < batchPems.length; i += sizes.batchSize) bodies.push(batchPems.slice(i, i + sizes.batchSize).join(''))
  let created = 0
  let items = 0
  let firstBatchRefusal = null as string | null
  mark = await cpuMark()
  const batchRun = await server.profiled('registrations-batch', () => postEach(`${server.appUrl}/v1/certificates/batch`, bodies, {
    connections: sizes.batchClients, headers,
    onResponse: (status, body) => {
      if (status !== 200) { firstBatchRefusal ??= `${status} ${body.slice(0, 400)}`; return }
      for (const r of (JSON.parse(body) as { results: { status: number }[] }).results) {
        items++
        if (r.status === 201) created++
        else firstBatchRefusal ??= JSON.stringify(r).slice(0, 400)
      }
    },
  }))
  const batch = { ...batchRun, created, items, perSecond: created / batchRun.seconds, firstRefusal: firstBatchRefusal, cpu: await cpuPer(mark, created) }
  log(`batch: ${created}/${batchPems.length} created in ${bodies.length} requests of ${sizes.batchSize}, ${fmt(batch.seconds, 2)} s = ${fmt(batch.perSecond)}/s; CPU per registration: app ${fmt(batch.cpu.appMs, 2)} ms, PostgreSQL ${fmt(batch.cpu.postgresMs, 2)} ms${firstBatchRefusal ? `; first refusal: ${firstBatchRefusal}` : ''}`)

  const versions = new Map((await queryRows<{ code: string; id: number; committee_id: number }>(db, sql`
    select code, id, committee_id from admin_units where valid_to is null`)).map((v) => [v.code, v]))
  const rows = pems.map((p, i) => rowOf(p, units[i], versions.get(units[i])))
  const plainSingle = await plainInserts(databaseUrl, rows.slice(0, sizes.single), 1, sizes.singleClients)
  const plainBatch = await plainInserts(databaseUrl, rows.slice(sizes.single), sizes.batchSize, sizes.batchClients)
  log(`plain postgres.js inserts: ${fmt(plainSingle.perSecond)}/s one row per statement (${sizes.singleClients} clients), ${fmt(plainBatch.perSecond)}/s ${sizes.batchSize} rows per statement (${sizes.batchClients} clients)`)
  return { leavesIssuedMs, single, batch, plainSingle, plainBatch, clients: { single: sizes.singleClients, batch: sizes.batchClients } }
}

export function intakeRows(pki: PkiResult, reg: RegistrationResult | null, documents: DocumentsResult | null = null): Row[] {
  const rows: Row[] = [
    {
      figure: `certificate verification /s: readCertificates + verifyCertificate, 1 thread, ${pki.leaves} distinct leaves, RSA-2048 root → CA → leaf (best of ${pki.rounds.oneThread.length} rounds)`,
      kyso: fmt(pki.oneThread), baseline: `${fmt(pki.openssl)} (openssl verify, 1 process, best round)`, ratio: ratio(pki.oneThread, pki.openssl),
      target: `≥ ${fmt(TARGETS.pki)}/s`, met: pki.oneThread >= TARGETS.pki,
    },
    {
      figure: `certificate verification /s: the same over ${pki.threads} worker threads`,
      kyso: fmt(pki.workers), baseline: `${fmt(pki.openssl)} (openssl verify, 1 process)`, ratio: ratio(pki.workers, pki.openssl), target: '', met: null,
    },
  ]
  if (documents) rows.push(documentsRow(documents))
  if (reg) {
    rows.push({
      figure: `registrations /s over HTTP, single PEM uploads, ${reg.clients.single} clients (${reg.single.created} created; p99 ${reg.single.p99} ms; CPU per registration: app ${fmt(reg.single.cpu.appMs, 2)} ms, PostgreSQL ${fmt(reg.single.cpu.postgresMs, 2)} ms)`,
      kyso: fmt(reg.single.perSecond), baseline: `${fmt(reg.plainSingle.perSecond)} (postgres.js, 1 row per insert, ${reg.clients.single} clients)`,
      ratio: ratio(reg.single.perSecond, reg.plainSingle.perSecond, 3), target: `≥ ${fmt(TARGETS.single)}/s`, met: reg.single.perSecond >= TARGETS.single,
    }, {
      figure: `registrations /s over HTTP, PEM batches of 500, ${reg.clients.batch} clients (${reg.batch.created} created; p99 ${reg.batch.p99} ms per batch; CPU per registration: app ${fmt(reg.batch.cpu.appMs, 2)} ms, PostgreSQL ${fmt(reg.batch.cpu.postgresMs, 2)} ms)`,
      kyso: fmt(reg.batch.perSecond), baseline: `${fmt(reg.plainBatch.perSecond)} (postgres.js, 500 rows per insert, ${reg.clients.batch} clients)`,
      ratio: ratio(reg.batch.perSecond, reg.plainBatch.perSecond, 3), target: `≥ ${fmt(TARGETS.batch)}/s`, met: reg.batch.perSecond >= TARGETS.batch,
    })
  }
  return rows
}

export { makeChain }
export { measureDocuments } from './documents.ts'
