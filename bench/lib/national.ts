/**
 * The benchmark data set, loaded set-based so that a million rows take seconds, not minutes:
 * administrative units from a CSV in the API's format (the national list of 2017: 11,162 communes;
 * or the Bình Thuận seed for a quick run), N generated certificate rows spread over every commune,
 * and 12 months of 2017 signing activity for every commune. Shared by bench/coverage.ts and bench/run.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import type { Db } from '../../src/db/open.ts'
import { importUnits } from '../../src/units/import.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import { queryRows } from '../../src/db/rows.ts'
import { SEED_FILE } from '../../src/units/seed.ts'

export const NATIONAL_CSV = path.resolve(import.meta.dirname, '../../../shared/data/admin-units/vietnam-2017-12-31.csv')
export { SEED_FILE }

export type LoadOptions = {
  /** Units CSV (code,name,type,level,parent_code[,valid_from,valid_to]). */
  unitsFile: string
  /** The table holds at least this many certificates afterwards. */
  certificates: number
  log?: (line: string) => void
}

export type LoadReport = { units: { inserted: number; updated: number }; communes: number; certificates: number; ms: { units: number; certificates: number; activity: number; vacuum: number } }

/** Units, then certificates up to `certificates`, then 2017 activity; then VACUUM ANALYZE as autovacuum would leave it. */
export async function loadDataSet(db: Db, options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {})
  const ms = { units: 0, certificates: 0, activity: 0, vacuum: 0 }
  let t = performance.now()
  const units = await importUnits(db, SYSTEM_ACTOR, fs.readFileSync(options.unitsFile), `bench:${path.basename(options.unitsFile)}`)
  ms.units = performance.now() - t
  log(`units: ${units.inserted} inserted, ${units.updated} updated from ${path.basename(options.unitsFile)} (${Math.round(ms.units)} ms)`)
  await generateCertificates(db, options.certificates, (n, took) => {
    ms.certificates = took
    if (n) log(`certificates: ${n.toLocaleString('en-US')} generated (${Math.round(took)} ms)`)
  })
  t = performance.now()
  await generateActivity(db)
  ms.activity = performance.now() - t
  log(`activity: 12 months of 2017 × every commune (${Math.round(ms.activity)} ms)`)
  t = performance.now()
  // As autovacuum leaves a loaded table: statistics and the visibility map (index-only scans need it).
  await db.execute(sql`vacuum analyze`)
  ms.vacuum = performance.now() - t
  const [{ communes, certificates }] = await queryRows<{ communes: number; certificates: number }>(db, sql`
    select (select count(*)::int from admin_units where level = 'commune') as communes, (select count(*)::int from certificates) as certificates`)
  return { units, communes, certificates, ms }
}

/**
 * Adds generated certificate rows until the table holds `total` (they need not be real DER for
 * coverage). Communes numbered 1..n; certificate i goes to commune (i × 7919 mod n) + 1. One in five is
 * an organisation certificate; notBefore spread over 2012–2025, validity one to five years, 2% revoked.
 */
export async function generateCertificates(db: Db, total: number, done: (added: number, ms: number) => void = () => {}): Promise<number> {
  const [{ n: existing }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from certificates`)
  if (existing >= total) {
    done(0, 0)
    return 0
  }
  const t = performance.now()
  await db.execute(sql`drop table if exists bench_communes`)
  await db.execute(sql`create temporary table bench_communes as
    select row_number() over (order by code)::int as k, code from admin_units where level = 'commune'`)
  await db.execute(sql.raw(`
    insert into certificates (fingerprint_sha256, der, serial_number, subject, subject_dn, issuer_dn, issuer_key,
      not_before, not_after, unit_code, kind, device, key_algorithm, key_size, signature_algorithm, matched_by, revoked_at)
    select md5(g::text) || md5('x' || g::text), '\\x00'::bytea, to_hex(g), '{}'::jsonb, 'CN=bench ' || g, 'CN=Bench CA', 'bench',
      nb, nb + make_interval(years => 1 + (g % 5)), c.code,
      case when g % 5 = 0 then 'organization' else 'individual' end, 'token', 'RSA', 2048, 'sha256WithRSAEncryption', 'explicit',
      case when g % 50 = 0 then nb + make_interval(days => 30 + (g % 300)) end
    from generate_series(${existing + 1}, ${total}) g
    cross join lateral (select timestamptz '2012-01-01 00:00+07' + make_interval(days => ((g::bigint * 2654435761) % 5113)::int) as nb) t
    join bench_communes c on c.k = ((g::bigint * 7919) % (select count(*) from bench_communes)) + 1`))
  await db.execute(sql`drop table if exists bench_communes`)
  done(total - existing, performance.now() - t)
  return total - existing
}

/** 12 months of 2017 signing activity for every commune (rows already there are kept). */
export async function generateActivity(db: Db): Promise<void> {
  await db.execute(sql`
    insert into signing_activity (unit_code, month, documents_signed)
    select u.code, m::date, 20 + (abs(hashtext(u.code || m::text)) % 200)
    from admin_units u cross join generate_series(date '2017-01-01', date '2017-12-01', interval '1 month') m
    where u.level = 'commune'
    on conflict (unit_code, month) do nothing`)
}
