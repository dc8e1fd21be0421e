/**
 * The benchmark data set, loaded set-based so that a million rows take seconds, not minutes:
 * administrative units from a CSV in the API's format (by default the project's national seed: every
 * version 2017-12-31 → 2026-12-01 and its lineage; or the Bình Thuận seed for a quick run), N generated
 * certificate rows spread over every commune version, and 12 months of 2017 signing activity for every
 * commune of 2017. Shared by bench/coverage.ts and bench/run.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import type { Db } from '../../src/db/open.ts'
import { importUnits } from '../../src/units/import.ts'
import { importLineage } from '../../src/units/lineage.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import { queryRows } from '../../src/db/rows.ts'
import { SEED_DIR, SEED_FILE, SEEDS } from '../../src/units/seed.ts'

/** The national history the service ships as its seed, and its lineage. */
export const NATIONAL_CSV = path.join(SEED_DIR, SEEDS.vietnam.units)
export const NATIONAL_LINEAGE = path.join(SEED_DIR, SEEDS.vietnam.lineage!)
export { SEED_FILE }

export type LoadOptions = {
  /** Units CSV (code,name,type,level,parent_code[,valid_from,valid_to]). */
  unitsFile: string
  /** Lineage CSV to import after the units (the national history's, for instance). */
  lineageFile?: string
  /** The table holds at least this many certificates afterwards. */
  certificates: number
  log?: (line: string) => void
}

export type LoadReport = { units: { inserted: number; updated: number }; communes: number; certificates: number; ms: { units: number; lineage: number; certificates: number; activity: number; vacuum: number } }

/** Units, then certificates up to `certificates`, then 2017 activity; then VACUUM ANALYZE as autovacuum would leave it. */
export async function loadDataSet(db: Db, options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {})
  const ms = { units: 0, lineage: 0, certificates: 0, activity: 0, vacuum: 0 }
  let t = performance.now()
  const units = await importUnits(db, SYSTEM_ACTOR, fs.readFileSync(options.unitsFile), `bench:${path.basename(options.unitsFile)}`)
  ms.units = performance.now() - t
  log(`units: ${units.inserted} inserted, ${units.updated} updated from ${path.basename(options.unitsFile)} (${Math.round(ms.units)} ms)`)
  if (options.lineageFile) {
    t = performance.now()
    const lineage = await importLineage(db, SYSTEM_ACTOR, fs.readFileSync(options.lineageFile), `bench:${path.basename(options.lineageFile)}`)
    ms.lineage = performance.now() - t
    log(`lineage: ${lineage.inserted} inserted from ${path.basename(options.lineageFile)} (${Math.round(ms.lineage)} ms)`)
  }
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
    select (select count(*)::int from admin_units where level = 'commune' and valid_to is null) as communes, (select count(*)::int from certificates) as certificates`)
  return { units, communes, certificates, ms }
}

/**
 * Adds generated certificate rows until the table holds `total` (they need not be real DER for
 * coverage). Commune versions numbered 1..n; certificate i goes to version (i × 7919 mod n) + 1, with a
 * notBefore inside that version's validity (spread over 2012–2026 for versions open at either end).
 * One in five is an organisation certificate; validity one to five years, 2% revoked.
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
    select row_number() over (order by code, valid_from nulls first)::int as k, id, code, committee_id,
      coalesce(valid_from, '2012-01-01')::timestamp as span_from, (coalesce(valid_to, '2026-11-30') - coalesce(valid_from, '2012-01-01') + 1) as span_days
    from admin_units where level = 'commune'`)
  await db.execute(sql.raw(`
    insert into certificates (fingerprint_sha256, der, serial_number, subject, subject_dn, issuer_dn, issuer_key,
      not_before, not_after, unit_code, unit_id, committee_id, kind, device, key_algorithm, key_size, signature_algorithm, matched_by, revoked_at)
    select md5(g::text) || md5('x' || g::text), '\\x00'::bytea, to_hex(g), '{}'::jsonb, 'CN=bench ' || g, 'CN=Bench CA', 'bench',
      nb, nb + make_interval(years => 1 + (g % 5)), c.code, c.id, c.committee_id,
      case when g % 5 = 0 then 'organization' else 'individual' end, 'token', 'RSA', 2048, 'sha256WithRSAEncryption', 'explicit',
      case when g % 50 = 0 then nb + make_interval(days => 30 + (g % 300)) end
    from generate_series(${existing + 1}, ${total}) g
    join bench_communes c on c.k = ((g::bigint * 7919) % (select count(*) from bench_communes)) + 1
    cross join lateral (select (c.span_from + make_interval(days => ((g::bigint * 2654435761) % c.span_days)::int)) at time zone 'Asia/Ho_Chi_Minh' as nb) t`))
  await db.execute(sql`drop table if exists bench_communes`)
  done(total - existing, performance.now() - t)
  return total - existing
}

/** 12 months of 2017 signing activity for every commune in force at the end of 2017 (rows already there are kept). */
export async function generateActivity(db: Db): Promise<void> {
  await db.execute(sql`
    insert into signing_activity (unit_code, unit_id, month, documents_signed)
    select u.code, u.id, m::date, 20 + (abs(hashtext(u.code || m::text)) % 200)
    from admin_units u cross join generate_series(date '2017-01-01', date '2017-12-01', interval '1 month') m
    where u.level = 'commune' and (u.valid_from is null or u.valid_from <= '2017-12-31') and (u.valid_to is null or u.valid_to >= '2017-12-31')
    on conflict (unit_code, month) do nothing`)
}
