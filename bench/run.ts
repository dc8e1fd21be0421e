/**
 * One benchmark for the whole service, on real PostgreSQL, with a baseline for each figure
 * measured in the same run. Not a test: it asserts no timing and exits 0 unless something crashes.
 *
 *   npm run bench [-- UNITS.csv] [--quick] [--certificates N] [--keep]
 *   npm run bench:intake [-- --quick]        # the intake part only
 *
 * Database: DATABASE_URL when set (data is added to it: use a scratch database), else a throwaway
 * database created on postgres://postgres@127.0.0.1:5432 (BENCH_SERVER_URL) and dropped at the end.
 * Full run: the national history the project ships as its seed (UNITS.csv, default src/units/seed/vietnam-units.csv:
 * every version 2017-12-31 → 2026-12-01, with its lineage), 1,000,000 generated certificates, 12 months of activity. --quick: Bình Thuận's seed,
 * 20,000 certificates, short runs (under a minute on 2 cores; for CI). bench:intake: Bình Thuận's seed.
 * The app runs in a child process (bench/lib/serve.ts: buildApp + listen on 127.0.0.1:0) so that the load
 * generator does not share its event loop; BENCH_CPU_PROF=dir writes its CPU profile, BENCH_PROFILE_DIR=dir one
 * profile per phase (registrations-single, registrations-batch, coverage-read; summarise them with
 * bench/lib/profile-summary.ts).
 * Results: the table on stdout, and JSON in bench/results/<ISO time>.json (ignored by git).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { openDatabase, type OpenOptions } from '../src/db/open.ts'
import { prepareDatabase } from '../src/db/migrate.ts'
import { benchDatabase, createThrowawayDatabase } from './lib/database.ts'
import { NATIONAL_CSV, NATIONAL_LINEAGE, SEED_FILE, loadDataSet, type LoadReport } from './lib/national.ts'
import { intakeRows, intakeSizes, makeChain, measureDocuments, measurePki, measureRegistrations, prepareRegistrar, type PkiResult, type RegistrationResult } from './lib/intake.ts'
import { coldStart, ensureBuilt, medianStart, withoutSeedImages, rssOf, startBenchServer, tempDir, type BenchServer, type ColdStart } from './lib/server.ts'
import { READ_LOAD_TOOL, readEachFor, readFor, type LoadResult } from './lib/http.ts'
import { timeRuns, type Timing } from './lib/stats.ts'
import { fmt, machine, ms, ratio, table, writeResults, type Row } from './lib/report.ts'

const argv = process.argv.slice(2)
const QUICK = argv.includes('--quick')
const INTAKE = argv.includes('--intake')
const KEEP = argv.includes('--keep')
const valueOf = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined }
const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && ['--certificates'].includes(argv[i - 1])))
const UNITS = positional[0] ? path.resolve(positional[0]) : (QUICK || INTAKE) ? SEED_FILE : NATIONAL_CSV
const CERTIFICATES = Number(valueOf('--certificates') ?? (INTAKE ? 0 : QUICK ? 20_000 : 1_000_000))

const TARGET_MS = { national: 100, province: 10, report: 500, timelineAcrossReform: 300 }
const started = performance.now()
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`)

type Query = { name: string; url: string; runs: number; target?: number }

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()
  log(`Kyso benchmark${QUICK ? ' (quick)' : ''}${INTAKE ? ', intake only' : ''}: Node.js ${process.version}, ${os.availableParallelism()} cores, load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}`)
  if (!fs.existsSync(UNITS)) {
    log(`skipped: the units file ${UNITS} is not there. Give a units CSV's path as the first argument, or leave it out for the national seed.`)
    return
  }
  const target = await benchDatabase({ keep: KEEP })
  log(target.throwaway ? `throwaway database ${target.name}${KEEP ? ' (kept)' : ''}` : 'DATABASE_URL (data is added to it)')
  const options: OpenOptions = { databaseUrl: target.url, dataDir: 'memory://', statementTimeoutMs: 600_000, poolSize: 4 }
  const database = await openDatabase(options)
  let server: BenchServer | null = null
  try {
    await prepareDatabase(database, options)
    const db = database.db
    const loaded: LoadReport = await loadDataSet(db, { unitsFile: UNITS, lineageFile: UNITS === NATIONAL_CSV ? NATIONAL_LINEAGE : undefined, certificates: CERTIFICATES, log })
    log(`data set: ${fmt(loaded.communes)} communes, ${fmt(loaded.certificates)} certificates`)

    // 1. src/pki against openssl (CPU only, before the database work).
    const sizes = intakeSizes(QUICK)
    const chain = makeChain()
    const pki: PkiResult = await measurePki(chain, sizes, log)
    const documents = measureDocuments(sizes.pkiSeconds, log)
    const token = await prepareRegistrar(db, chain)
    // The timings of each query measure its computation: this server's read cache is off. The cached and
    // first reads are measured on a second server with the cache on (step 3).
    server = await startBenchServer(target.url, { READ_CACHE_MAX_BYTES: '0' })
    log(`bench server (pid ${server.pid}) at ${server.appUrl}, constant route at ${server.constantUrl}/constant`)

    // 2. Reads: coverage, timeline, reports (sequential, one client) against SELECT count(*).
    const reads: Record<string, Timing & { target?: number; bytes: number }> = {}
    let countBaseline: Timing | null = null
    let coverageLoad: LoadResult | null = null
    let constantLoad: LoadResult | null = null
    let firstReadLoad: LoadResult | null = null
    let cachedLoad: LoadResult | null = null
    let cachedConstantLoad: LoadResult | null = null
    let sizedConstantLoad: LoadResult | null = null
    let cachedBytes = 0
    let province = '60'
    if (!INTAKE) {
      const pg = postgres(target.url, { max: 1, onnotice: () => {} })
      const [{ exists }] = await pg<{ exists: boolean }[]>`select exists(select 1 from admin_units where code = '38') as exists`
      if (exists) province = '38'
      const runs = QUICK ? 5 : 30
      const queries: Query[] = [
        { name: 'national coverage', url: '/v1/coverage?asOf=2017-12-31', runs, target: TARGET_MS.national },
        { name: `one province (${province})`, url: `/v1/coverage?asOf=2017-12-31&parent=${province}`, runs, target: TARGET_MS.province },
        { name: 'one district (593)', url: '/v1/coverage?asOf=2017-12-31&parent=593', runs },
        { name: 'national timeline, 24 months', url: '/v1/coverage/timeline?from=2016-01&to=2017-12', runs: QUICK ? 3 : 10 },
        { name: 'national coverage on the 2026 structure', url: '/v1/coverage?asOf=2026-11-30', runs, target: TARGET_MS.national },
        { name: 'national timeline across the reform, 36 months', url: '/v1/coverage/timeline?from=2024-01&to=2026-12', runs: QUICK ? 3 : 10, target: TARGET_MS.timelineAcrossReform },
        { name: 'national ministry report, json', url: '/v1/reports/ministry?year=2017&format=json', runs: QUICK ? 3 : 15, target: TARGET_MS.report },
        { name: 'national ministry report, csv', url: '/v1/reports/ministry?year=2017&format=csv', runs: QUICK ? 3 : 15, target: TARGET_MS.report },
        { name: 'national ministry report, html', url: '/v1/reports/ministry?year=2017&format=html', runs: QUICK ? 3 : 15, target: TARGET_MS.report },
      ]
      for (const q of queries) {
        let bytes = 0
        const timing = await timeRuns(q.runs, async () => {
          const res = await fetch(`${server!.appUrl}${q.url}`)
          const body = await res.arrayBuffer()
          if (res.status !== 200) throw new Error(`${q.url}: ${res.status} ${Buffer.from(body).toString().slice(0, 300)}`)
          bytes = body.byteLength
        })
        reads[q.name] = { ...timing, target: q.target, bytes }
        log(`${q.name}: median ${ms(timing.median)}, p95 ${ms(timing.p95)} (${timing.runs} runs, ${fmt(bytes)} bytes)`)
      }
      countBaseline = await timeRuns(runs, () => pg`select count(*) from certificates`)
      log(`SELECT count(*) FROM certificates: median ${ms(countBaseline.median)}, p95 ${ms(countBaseline.p95)}`)
      await pg.end({ timeout: 5 })

      // 3. Coverage read under load (10 connections, bounded duration) against a constant Fastify route.
      const seconds = QUICK ? 1 : 10
      coverageLoad = await server.profiled('coverage-read', () => readFor(`${server!.appUrl}/v1/coverage?parent=60&asOf=2017-12-31`, seconds))
      constantLoad = await readFor(`${server.constantUrl}/constant`, seconds)
      log(`coverage read (parent=60), no cache: ${fmt(coverageLoad.rps)} req/s, p99 ${coverageLoad.p99} ms, non-2xx ${coverageLoad.non2xx}; constant route: ${fmt(constantLoad.rps)} req/s, p99 ${constantLoad.p99} ms`)
      const cacheServer = await startBenchServer(target.url)
      try {
        // First reads: every request a day not asked before (10,000 days from 2000-01-01), so none is in the cache.
        // This server is new: a second of first reads on other days compiles its code first (not measured), as the
        // steps before did for the server the cache-off read was measured on.
        const days = Array.from({ length: 10_000 }, (_, i) => new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10))
        const firstReadUrl = `${cacheServer.appUrl}/v1/coverage?parent=60&asOf=`
        await readEachFor(firstReadUrl, days.slice(5_000), 1)
        firstReadLoad = await readEachFor(firstReadUrl, days.slice(0, 5_000), seconds)
        // Both compiled by V8 first (a second each, not measured), then measured one right after the other, in the
        // same process: the load on a shared machine moves.
        const cachedUrl = `${cacheServer.appUrl}/v1/coverage?parent=60&asOf=2017-12-31`
        await readFor(cachedUrl, 1)
        await readFor(`${cacheServer.constantUrl}/constant`, 1)
        cachedLoad = await readFor(cachedUrl, seconds)
        cachedConstantLoad = await readFor(`${cacheServer.constantUrl}/constant`, seconds)
        cachedBytes = (await (await fetch(`${cacheServer.appUrl}/v1/coverage?parent=60&asOf=2017-12-31`)).arrayBuffer()).byteLength
        sizedConstantLoad = await readFor(`${cacheServer.constantUrl}/constant-sized?bytes=${cachedBytes}`, seconds)
      } finally {
        await cacheServer.stop()
      }
      log(`coverage read with the cache on: first reads ${fmt(firstReadLoad.rps)} req/s (p99 ${firstReadLoad.p99} ms, non-2xx ${firstReadLoad.non2xx}), repeated (cached) ${fmt(cachedLoad.rps)} req/s (p99 ${cachedLoad.p99} ms, non-2xx ${cachedLoad.non2xx}); constant route right after: ${fmt(cachedConstantLoad.rps)} req/s, a constant of the same ${fmt(cachedBytes)} bytes: ${fmt(sizedConstantLoad.rps)} req/s`)
    }

    // 4. Registrations over HTTP against plain inserts.
    const registrations: RegistrationResult = await measureRegistrations(db, target.url, server, chain, token, sizes, log)

    // 5. Memory after the load.
    const memory = await server.memory()
    const rss = rssOf(server.pid)
    log(`server memory after the load: rss ${fmt(rss / 2 ** 20)} MiB, heap used ${fmt(memory.heapUsed / 2 ** 20)} MiB`)
    await server.stop()
    server = null

    // 6. Starts as `npm start` runs them (compiled dist/): a fresh PGlite folder (a copy of the build's seeded
    // image), the same folder again (warm), a fresh folder without the image (migrations and seed, the baseline),
    // the same through tsx, and a fresh PostgreSQL database.
    let cold: { pglite: ColdStart; pgliteWarm: ColdStart; pgliteNoImage: ColdStart; pgliteTsx: ColdStart; postgres: ColdStart } | null = null
    if (!INTAKE) {
      ensureBuilt()
      const dir = tempDir('kyso-bench-cold-')
      const tsxDir = tempDir('kyso-bench-cold-tsx-')
      const fresh = await createThrowawayDatabase('kyso_bench_cold')
      try {
        // A start is one sample of a second or two on a shared machine: the figures are medians of several.
        // The first cold start's folder is the one the warm starts reuse.
        const colds = [await coldStart({ DATA_DIR: dir })]
        for (let i = 0; i < 2; i++) {
          const folder = tempDir('kyso-bench-cold-')
          colds.push(await coldStart({ DATA_DIR: folder }).finally(() => fs.rmSync(folder, { recursive: true, force: true })))
        }
        const pglite = medianStart(colds)
        log(`cold start, PGlite (median of ${colds.length}, each in a new folder): listening at ${ms(pglite.listeningMs)}, /health 200 at ${ms(pglite.healthMs)}`)
        const warms: ColdStart[] = []
        for (let i = 0; i < 5; i++) warms.push(await coldStart({ DATA_DIR: dir }))
        const pgliteWarm = medianStart(warms)
        log(`warm start, PGlite (median of ${warms.length}): listening at ${ms(pgliteWarm.listeningMs)}, /health 200 at ${ms(pgliteWarm.healthMs)}; all: ${warms.map((w) => ms(w.healthMs)).join(', ')}`)
        const noImageDir = tempDir('kyso-bench-cold-no-image-')
        const pgliteNoImage = await withoutSeedImages(() => coldStart({ DATA_DIR: noImageDir })).finally(() => fs.rmSync(noImageDir, { recursive: true, force: true }))
        log(`cold start without the seeded image, PGlite: listening at ${ms(pgliteNoImage.listeningMs)}, /health 200 at ${ms(pgliteNoImage.healthMs)}`)
        const pgliteTsx = await coldStart({ DATA_DIR: tsxDir }, { tsx: true })
        log(`cold start through tsx, PGlite: listening at ${ms(pgliteTsx.listeningMs)}, /health 200 at ${ms(pgliteTsx.healthMs)}`)
        const pgStart = await coldStart({ DATABASE_URL: fresh.url })
        log(`cold start, PostgreSQL: listening at ${ms(pgStart.listeningMs)}, /health 200 at ${ms(pgStart.healthMs)}`)
        cold = { pglite, pgliteWarm, pgliteNoImage, pgliteTsx, postgres: pgStart }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
        fs.rmSync(tsxDir, { recursive: true, force: true })
        await fresh.drop()
      }
    }

    // The table.
    const rows: Row[] = [...intakeRows(pki, registrations, documents)]
    rows.push({
      figure: `units import, ${fmt(loaded.units.inserted + loaded.units.updated)} versions${loaded.ms.lineage ? ' (and lineage)' : ''}, PostgreSQL`,
      kyso: loaded.ms.lineage ? `${ms(loaded.ms.units)} (+ ${ms(loaded.ms.lineage)})` : ms(loaded.ms.units),
      baseline: '', ratio: '', target: UNITS === NATIONAL_CSV ? '≤ 2 s' : '', met: UNITS === NATIONAL_CSV ? loaded.ms.units <= 2000 : null,
    })
    if (!INTAKE) {
      rows.push({
        figure: `coverage read over HTTP, GET /v1/coverage?parent=60&asOf=2017-12-31, read cache off, 10 connections (${READ_LOAD_TOOL}), ${fmt(coverageLoad!.seconds)} s: req/s (p99)`,
        kyso: `${fmt(coverageLoad!.rps)} (p99 ${coverageLoad!.p99} ms)`, baseline: `${fmt(constantLoad!.rps)} (p99 ${constantLoad!.p99} ms), Fastify route returning a constant`,
        ratio: ratio(coverageLoad!.rps, constantLoad!.rps, 3), target: '', met: null,
      }, {
        figure: 'the same, read cache on, first reads (a new asOf each request): req/s (p99)',
        kyso: `${fmt(firstReadLoad!.rps)} (p99 ${firstReadLoad!.p99} ms)`, baseline: `${fmt(coverageLoad!.rps)}, the read with the cache off`,
        ratio: ratio(firstReadLoad!.rps, coverageLoad!.rps, 2), target: '', met: null,
      }, {
        figure: 'the same, read cache on, repeated (cached), after a second of warm-up: req/s (p99)',
        kyso: `${fmt(cachedLoad!.rps)} (p99 ${cachedLoad!.p99} ms)`, baseline: `${fmt(cachedConstantLoad!.rps)}, the constant route measured right after`,
        ratio: ratio(cachedLoad!.rps, cachedConstantLoad!.rps, 2), target: '≥ 0.5 of the constant route', met: cachedLoad!.rps >= 0.5 * cachedConstantLoad!.rps,
      }, {
        figure: `the same cached read against a constant route of the answer's size (${fmt(cachedBytes)} bytes): req/s`,
        kyso: fmt(cachedLoad!.rps), baseline: `${fmt(sizedConstantLoad!.rps)}, Fastify route returning a constant of ${fmt(cachedBytes)} bytes`,
        ratio: ratio(cachedLoad!.rps, sizedConstantLoad!.rps, 2), target: '', met: null,
      })
      for (const [name, t] of Object.entries(reads)) {
        rows.push({
          figure: `${name}: median (p95)`, kyso: `${ms(t.median)} (${ms(t.p95)})`,
          baseline: name.includes('report') ? '' : `${ms(countBaseline!.median)} (${ms(countBaseline!.p95)}), SELECT count(*) FROM certificates`,
          ratio: name.includes('report') ? '' : ratio(t.median, countBaseline!.median, 1),
          target: t.target ? `p95 ≤ ${t.target} ms` : '', met: t.target ? t.p95 <= t.target : null,
        })
      }
      rows.push(
        { figure: 'cold start to first /health 200, PGlite (fresh DATA_DIR, a copy of the build\'s seeded image; node dist/bundle/server.js; median of 3)', kyso: ms(cold!.pglite.healthMs), baseline: `${ms(cold!.pgliteNoImage.healthMs)} without the image (migrations + seed); ${ms(cold!.pgliteTsx.healthMs)} through tsx (src/server.ts)`, ratio: ratio(cold!.pglite.healthMs, cold!.pgliteNoImage.healthMs, 2), target: '≤ 2 s', met: cold!.pglite.healthMs <= 2000 },
        { figure: 'warm start to first /health 200, PGlite (existing DATA_DIR; node dist/bundle/server.js; median of 5)', kyso: ms(cold!.pgliteWarm.healthMs), baseline: `listening at ${ms(cold!.pgliteWarm.listeningMs)}`, ratio: '', target: '≤ 1 s', met: cold!.pgliteWarm.healthMs <= 1000 },
        { figure: 'cold start to first /health 200, PostgreSQL (fresh database, migrations + seed; node dist/bundle/server.js)', kyso: ms(cold!.postgres.healthMs), baseline: `listening at ${ms(cold!.postgres.listeningMs)}`, ratio: '', target: '', met: null },
      )
    }
    rows.push({ figure: 'resident memory of the server after the load', kyso: `${fmt(rss / 2 ** 20)} MiB`, baseline: `heap used ${fmt(memory.heapUsed / 2 ** 20)} MiB`, ratio: '', target: '', met: null })

    const loadAtEnd = os.loadavg()
    console.log(`\nKyso benchmark${QUICK ? ' (quick)' : ''}${INTAKE ? ', intake' : ''}: ${fmt(loaded.communes)} communes, ${fmt(loaded.certificates)} certificates; PostgreSQL; Node.js ${process.version}; ${os.availableParallelism()} cores; load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, at end ${loadAtEnd.map((l) => l.toFixed(2)).join(' ')}\n`)
    console.log(table(rows))
    const misses = rows.filter((r) => r.met === false)
    console.log(misses.length ? `\n${misses.length} target(s) missed: ${misses.map((r) => r.figure.split(/[:(]/)[0].trim()).join('; ')}` : '\nEvery target met.')
    const file = writeResults({
      kind: INTAKE ? 'intake' : QUICK ? 'quick' : 'full',
      at: new Date().toISOString(), seconds: (performance.now() - started) / 1000, machine: machine(), loadAverage: { start: loadAtStart, end: loadAtEnd },
      dataSet: { unitsFile: UNITS, ...loaded }, pki, registrations, reads, countBaseline, coverageLoad, constantLoad, firstReadLoad, cachedLoad, cachedConstantLoad, sizedConstantLoad, cold,
      memory: { ...memory, rssProc: rss }, rows,
    }, INTAKE ? '-intake' : QUICK ? '-quick' : '')
    log(`results written to ${path.relative(process.cwd(), file)}`)
  } finally {
    if (server) await server.stop()
    await database.close()
    await target.drop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
