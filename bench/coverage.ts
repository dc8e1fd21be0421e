/**
 * Coverage benchmark (not a test): national scale on real PostgreSQL.
 *
 *   npm run bench:coverage [-- UNITS.csv] [--certificates N] [--runs N] [--keep] [--explain]
 *
 * Database: DATABASE_URL when set (its data is added to; use a scratch database), else a throwaway
 * database created on postgres://postgres@127.0.0.1:5432 (BENCH_SERVER_URL) and dropped at the end.
 * Loads the units (default: the national seed the project ships, with its lineage), N certificates (default 1,000,000, generated set-based in SQL: they need
 * not be real DER for coverage), 12 months of 2017 activity for every commune, then times through the
 * app (inject): national coverage, one province, one district, the 24-month timeline, a year's national
 * savings, the national ministry report as json, csv and html, with the read cache off (every request computes
 * its answer). --explain prints the plans of the national coverage's two statements.
 */
import { sql } from 'drizzle-orm'
import { openDatabase, type OpenOptions } from '../src/db/open.ts'
import { prepareDatabase } from '../src/db/migrate.ts'
import { buildApp } from '../src/app.ts'
import { testConfig } from '../src/config.ts'
import { queryRows } from '../src/db/rows.ts'
import { inForceOnSql, validAtSql } from '../src/units/rules.ts'
import { benchDatabase } from './lib/database.ts'
import { NATIONAL_CSV, NATIONAL_LINEAGE, loadDataSet } from './lib/national.ts'
import { quantile } from './lib/stats.ts'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}

const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !(i > 0 && all[i - 1].startsWith('--') && all[i - 1] !== '--keep' && all[i - 1] !== '--explain'))
  ?? NATIONAL_CSV
const CERTS = Number(arg('--certificates', '1000000'))
const RUNS = Number(arg('--runs', '30'))
const KEEP = process.argv.includes('--keep')
const EXPLAIN = process.argv.includes('--explain')

async function main() {
  const target = await benchDatabase({ keep: KEEP })
  if (target.throwaway) console.log(`Throwaway database ${target.name}${KEEP ? ' (kept)' : ''}`)
  const options: OpenOptions = { databaseUrl: target.url, dataDir: 'memory://', statementTimeoutMs: 600_000, poolSize: 4 }
  const database = await openDatabase(options)
  try {
    await prepareDatabase(database, options)
    const db = database.db
    // Units, certificates, 12 months of 2017 activity, VACUUM ANALYZE: bench/lib/national.ts.
    await loadDataSet(db, { unitsFile: file, lineageFile: file === NATIONAL_CSV ? NATIONAL_LINEAGE : undefined, certificates: CERTS, log: (line) => console.log(line.charAt(0).toUpperCase() + line.slice(1)) })

    const app = await buildApp({ db, config: testConfig({ publicReports: true, readCacheMaxBytes: 0 }), ping: database.ping })
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
      const at = sql`${'2017-12-31T23:59:59.999+07:00'}::timestamptz`
      for (const query of [
        sql`select count(distinct c.committee_id) from certificates c where ${validAtSql('c', at)} and c.kind = 'organization'`,
        sql`select count(*) from admin_units u join certificates c on c.committee_id = u.committee_id
          where u.level = 'commune' and ${inForceOnSql('u', sql`'2017-12-31'::date`)} and ${validAtSql('c', at)} and c.kind = 'organization'
            and c.not_after <= ${at} + interval '90 days'`,
      ]) {
        const rows = await queryRows<{ 'QUERY PLAN': string }>(db, sql`explain (analyze, buffers) ${query}`)
        console.log(rows.map((r) => r['QUERY PLAN']).join('\n'))
      }
    }
    await measure('With the indexes of the migrations, read cache off')
    await explain()
    await app.close()
  } finally {
    await database.close()
    await target.drop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
