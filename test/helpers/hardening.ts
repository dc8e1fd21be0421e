/** Shared by the hardening tests (test/hardening): a fingerprint of the whole database, fuzz run counts, a clock. */
import { sql } from 'drizzle-orm'
import type { Db } from '../../src/db/open.ts'
import { queryRows } from '../../src/db/rows.ts'

export type Snapshot = Record<string, { rows: number; md5: string }>

/**
 * Every table of the public schema: its row count and an MD5 over its rows in a fixed order, so that
 * "the database holds exactly what it held before" is one t.same() (any insert, update or delete shows).
 */
export async function snapshot(db: Db): Promise<Snapshot> {
  const tables = await queryRows<{ name: string }>(db, sql`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE'
       -- The read cache's counter: any write statement advances it, even one that ends up storing nothing.
       and table_name <> 'data_version'
       -- The read caches' leases, renewed every second whatever the requests do.
       and table_name <> 'cache_instances'
     order by 1`)
  const out: Snapshot = {}
  for (const { name } of tables) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected table name ${name}`)
    const [row] = await queryRows<{ rows: number; md5: string }>(db, sql.raw(
      `select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5 from public."${name}" t`))
    out[name] = { rows: Number(row.rows), md5: row.md5 }
  }
  return out
}

/** How many runs a property gets: small in `npm test`, large under `npm run fuzz` (FUZZ_RUNS). */
export function fuzzRuns(bounded: number): number {
  const raw = process.env.FUZZ_RUNS
  if (!raw) return bounded
  const n = Number(raw)
  return Number.isInteger(n) && n > 0 ? Math.max(n, bounded) : bounded
}

/** The fast-check seed: fixed in `npm test` so failures reproduce; FUZZ_SEED overrides it. */
export function fuzzSeed(fixed: number): number {
  const raw = process.env.FUZZ_SEED
  return raw && /^-?\d+$/.test(raw) ? Number(raw) : fixed
}

/** Keeps the slowest answer and the number of inputs for the closing comment. */
export class Stats {
  inputs = 0
  slowestMs = 0
  slowestWhat = ''
  readonly statuses = new Map<number, number>()

  record(ms: number, status: number, what: string): void {
    this.inputs++
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1)
    if (ms > this.slowestMs) { this.slowestMs = ms; this.slowestWhat = what }
  }

  summary(name: string): string {
    const statuses = [...this.statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')
    return `${name}: ${this.inputs} inputs, slowest answer ${this.slowestMs.toFixed(1)} ms (${this.slowestWhat}); statuses ${statuses}`
  }
}
