/**
 * Coverage benchmark (not a test): national scale on real PostgreSQL.
 *
 *   npm run bench:coverage -- ../shared/data/admin-units/vietnam-2017-12-31.csv [--certificates N] [--runs N] [--keep] [--explain]
 *
 * Database: DATABASE_URL when set (its data is added to; use a scratch database), else a throwaway
 * database created on postgres://postgres@127.0.0.1:5432 (BENCH_SERVER_URL) and dropped at the end.
 * Loads the national units, N certificates (default 1,000,000, generated set-based in SQL: they need
 * not be real DER for coverage), 12 months of 2017 activity for every commune, then times through the
 * app (inject): national coverage, one province, one district, the 24-month timeline, a year's national
 * savings, the national ministry report as json, csv and html. Then it adds the candidate index
 * (CANDIDATE_INDEXES below), times everything again and prints both tables.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import postgres from 'postgres'
import { sql } from 'drizzle-orm'
import { openDatabase, type OpenOptions } from '../src/db/open.ts'
import { prepareDatabase } from '../src/db/migrate.ts'
import { importUnits } from '../src/units/service.ts'
import { SYSTEM_ACTOR } from '../src/auth/actor.ts'
import { buildApp } from '../src/app.ts'
import { testConfig } from '../src/config.ts'
import { queryRows } from '../src/db/rows.ts'

/** Proposed for a migration: the per-unit as-of probe becomes an index-only scan; the range scans of the timeline and of expiring certificates too. */
const CANDIDATE_INDEXES = [
  'create index if not exists certificates_coverage_idx on certificates (unit_code, kind, not_after) include (not_before, revoked_at)',
  'create index if not exists certificates_kind_not_after_idx on certificates (kind, not_after) include (unit_code, not_before, revoked_at, id)',
]
const CANDIDATE_INDEX = CANDIDATE_INDEXES.join('; ')

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}

const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !(i > 0 && all[i - 1].startsWith('--') && all[i - 1] !== '--keep' && all[i - 1] !== '--explain'))
  ?? '../shared/data/admin-units/vietnam-2017-12-31.csv'
const CERTS = Number(arg('--certificates', '1000000'))
const RUNS = Number(arg('--runs', '30'))
const KEEP = process.argv.includes('--keep')
const EXPLAIN = process.argv.includes('--explain')

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]
}

async function main() {
  let url = process.env.DATABASE_URL ?? null
  let drop = async () => {}
  if (!url) {
    const server = process.env.BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
    const name = `kyso_bench_${crypto.randomBytes(4).toString('hex')}`
    const admin = postgres(server, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    await admin.end()
    const u = new URL(server)
    u.pathname = `/${name}`
    url = u.toString()
    if (!KEEP) {
      drop = async () => {
        const a = postgres(server, { max: 1, onnotice: () => {} })
        await a.unsafe(`drop database if exists ${name} with (force)`)
        await a.end()
      }
    }
    console.log(`Throwaway database ${name}${KEEP ? ' (kept)' : ''}`)
  }
  const options: OpenOptions = { databaseUrl: url, dataDir: 'memory://', statementTimeoutMs: 600_000, poolSize: 4 }
  const database = await openDatabase(options)
  try {
    await prepareDatabase(database, options)
    const db = database.db
    const t0 = performance.now()
    const units = await importUnits(db, SYSTEM_ACTOR, fs.readFileSync(file), `bench:${file}`)
    console.log(`Units: ${units.inserted} inserted, ${units.updated} updated (${Math.round(performance.now() - t0)} ms)`)

    const [{ n: existing }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from certificates`)
    if (existing < CERTS) {
      const t1 = performance.now()
      // Communes numbered 1..n; certificate i goes to commune (i × 7919 mod n) + 1. One in five is an organisation
      // certificate; notBefore spread over 2012–2025, validity one to five years, 2% revoked.
      await db.execute(sql`create temporary table bench_communes as
        select row_number() over (order by code)::int as k, code from admin_units where level = 'commune'`)
      await db.execute(sql.raw(`
        insert into certificates (fingerprint_sha256, der, serial_number, subject, subject_dn, issuer_dn, issuer_key,
          not_before, not_after, unit_code, kind, device, key_algorithm, key_size, signature_algorithm, matched_by, revoked_at)
        select md5(g::text) || md5('x' || g::text), '\\x00'::bytea, to_hex(g), '{}'::jsonb, 'CN=bench ' || g, 'CN=Bench CA', 'bench',
          nb, nb + make_interval(years => 1 + (g % 5)), c.code,
          case when g % 5 = 0 then 'organization' else 'individual' end, 'token', 'RSA', 2048, 'sha256WithRSAEncryption', 'explicit',
          case when g % 50 = 0 then nb + make_interval(days => 30 + (g % 300)) end
        from generate_series(${existing + 1}, ${CERTS}) g
        cross join lateral (select timestamptz '2012-01-01 00:00+07' + make_interval(days => ((g::bigint * 2654435761) % 5113)::int) as nb) t
        join bench_communes c on c.k = ((g::bigint * 7919) % (select count(*) from bench_communes)) + 1`))
      console.log(`Certificates: ${CERTS - existing} generated (${Math.round(performance.now() - t1)} ms)`)
    }
    const t2 = performance.now()
    await db.execute(sql`
      insert into signing_activity (unit_code, month, documents_signed)
      select u.code, m::date, 20 + (abs(hashtext(u.code || m::text)) % 200)
      from admin_units u cross join generate_series(date '2017-01-01', date '2017-12-01', interval '1 month') m
      where u.level = 'commune'
      on conflict (unit_code, month) do nothing`)
    console.log(`Activity: 12 months × every commune (${Math.round(performance.now() - t2)} ms)`)
    // As autovacuum leaves a loaded table: statistics and the visibility map (index-only scans need it).
    await db.execute(sql`vacuum analyze`)

    const app = await buildApp({ db, config: testConfig({ publicReports: true }), ping: database.ping })
    await app.ready()
    const cases: [string, string, number][] = [
      ['national coverage (2017-12-31)', '/v1/coverage?asOf=2017-12-31', RUNS],
      ['one province, 38 Thanh Hóa (635 communes)', '/v1/coverage?asOf=2017-12-31&parent=38', RUNS],
      ['one province, 60 Bình Thuận (127 communes)', '/v1/coverage?asOf=2017-12-31&parent=60', RUNS],
      ['one district, 593 Phan Thiết', '/v1/coverage?asOf=2017-12-31&parent=593', RUNS],
      ['national timeline, 24 months', '/v1/coverage/timeline?from=2016-01&to=2017-12', Math.max(5, Math.floor(RUNS / 3))],
      ['national savings, 2017', '/v1/savings?from=2017-01&to=2017-12', RUNS],
      ['national ministry report, json', '/v1/reports/ministry?year=2017&format=json', Math.max(5, Math.floor(RUNS / 2))],
      ['national ministry report, csv', '/v1/reports/ministry?year=2017&format=csv', Math.max(5, Math.floor(RUNS / 2))],
      ['national ministry report, html', '/v1/reports/ministry?year=2017&format=html', Math.max(5, Math.floor(RUNS / 2))],
    ]
    const measure = async (label: string) => {
      console.log(`\n${label}\n| query | runs | median ms | p95 ms |\n|---|---|---|---|`)
      for (const [name, url, runs] of cases) {
        for (let i = 0; i < 2; i++) await app.inject({ url })
        const times: number[] = []
        for (let i = 0; i < runs; i++) {
          const s = performance.now()
          const res = await app.inject({ url })
          times.push(performance.now() - s)
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`)
        }
        times.sort((a, b) => a - b)
        console.log(`| ${name} | ${runs} | ${quantile(times, 0.5).toFixed(1)} | ${quantile(times, 0.95).toFixed(1)} |`)
      }
      const national = (await app.inject({ url: '/v1/coverage?asOf=2017-12-31' })).json()
      console.log(`(national: ${national.covered}/${national.total} covered, ${national.expiringWithin90Days.length} expiring within 90 days)`)
    }
    const explain = async () => {
      if (!EXPLAIN) return
      const at = '2017-12-31T23:59:59.999+07:00'
      const rows = await queryRows<{ 'QUERY PLAN': string }>(db, sql`explain (analyze, buffers) select count(*) filter (where exists (
        select 1 from certificates c where c.unit_code = u.code and c.kind = 'organization'
          and c.not_before <= ${at}::timestamptz and c.not_after > ${at}::timestamptz and (c.revoked_at is null or c.revoked_at > ${at}::timestamptz)))
        from admin_units u where u.level = 'commune'`)
      console.log(rows.map((r) => r['QUERY PLAN']).join('\n'))
    }
    for (const name of ['certificates_coverage_idx', 'certificates_kind_not_after_idx']) await db.execute(sql.raw(`drop index if exists ${name}`))
    await measure('With the indexes of the current migrations')
    await explain()
    for (const ddl of CANDIDATE_INDEXES) await db.execute(sql.raw(ddl))
    await db.execute(sql`vacuum analyze certificates`)
    await measure(`With the candidate indexes: ${CANDIDATE_INDEX}`)
    await explain()
    await app.close()
  } finally {
    await database.close()
    await drop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
