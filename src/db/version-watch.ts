import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { DbOrTx } from './open.ts'
import { queryRows } from './rows.ts'
import { SingleFlightVersion, readDataVersion } from './data-version.ts'

/** The channel advance_data_version() announces each new version on (drizzle/0008_cache_instances.sql). */
export const DATA_VERSION_CHANNEL = 'kyso_data_version'

/** Subscribes to a notification channel (postgres.js `sql.listen`); absent on the embedded database. */
export type Listen = (channel: string, onNotify: (payload: string) => void) => Promise<{ unlisten: () => Promise<void> }>

export type LeaseTiming = {
  /** How often an instance renews its lease and takes in the current version. */
  renewEveryMs: number
  /** How long a lease lasts in the database; also the longest a write waits for an instance that stopped answering. */
  leaseMs: number
  /** How much sooner than the database the instance itself lets its lease lapse (clock and round-trip allowance). */
  marginMs: number
}

export const LEASE_TIMING: LeaseTiming = { renewEveryMs: 1000, leaseMs: 5000, marginMs: 1500 }

type Behind = { version: number | string; behind: number | string }

/**
 * Waits until every instance holding a lease, but `self`, has seen the current data version (or lost its
 * lease): after a write, so that the write is answered only once no read cache can still answer without it.
 * Returns that version. Bounded by the lease: an instance that stops answering lets it lapse.
 */
export async function waitUntilSeen(db: DbOrTx, self: string | null = null): Promise<number> {
  const rows = await queryRows<Behind>(db, sql`
    select d.version, (select count(*) from cache_instances i
                       where i.lease_until > now() and i.seen < d.version and i.id is distinct from ${self}::uuid) as behind
    from data_version d where d.id = 1`)
  if (rows.length !== 1) throw new Error('data_version has no row: the database is not migrated')
  const version = Number(rows[0].version)
  let behind = Number(rows[0].behind)
  for (let pause = 1; behind > 0; pause = Math.min(pause * 2, 50)) {
    await new Promise((resolve) => setTimeout(resolve, pause))
    const [row] = await queryRows<{ behind: number | string }>(db, sql`
      select count(*) as behind from cache_instances
      where lease_until > now() and seen < ${version} and id is distinct from ${self}::uuid`)
    behind = Number(row.behind)
  }
  return version
}

/**
 * The data version as this instance knows it, for the read cache, without a query per read.
 *
 * Each instance holds a lease (table cache_instances) that it renews every second, recording the highest
 * version it has taken in; it learns new versions from PostgreSQL's notifications (sent at each writing
 * commit), takes them in, then records them. A write is answered only after waitUntilSeen: every instance
 * with a lease has recorded its version. So a read that starts after a write was answered finds that version
 * here, on any instance. While its lease holds, an instance answers current() from memory; when a renewal
 * fails or comes late (a lost database, a stalled process) the lease lapses here before it lapses in the
 * database, and current() asks the database for every burst of reads, as it does before the first renewal.
 */
export class DataVersionWatch {
  readonly id = crypto.randomUUID()
  private known = 0
  /** performance.now() until which `known` may be used without asking. */
  private trustedUntil = 0
  private timer: NodeJS.Timeout | null = null
  private renewal: Promise<void> | null = null
  private acking = false
  private acked = 0
  private started = false
  /** Whether a lease may have been written (stop() then deletes it). */
  private began = false
  private stopped = false
  private unlisten: (() => Promise<void>) | null = null
  private readonly asking: SingleFlightVersion

  private readonly db: DbOrTx
  private readonly listen: Listen | null
  private readonly timing: LeaseTiming
  private readonly onError: (err: unknown) => void

  constructor(db: DbOrTx, options: { listen?: Listen | null; timing?: LeaseTiming; onError?: (err: unknown) => void } = {}) {
    this.db = db
    this.listen = options.listen ?? null
    this.timing = options.timing ?? LEASE_TIMING
    this.onError = options.onError ?? (() => {})
    this.asking = new SingleFlightVersion(async () => {
      const version = await readDataVersion(db)
      // The lease is taken (again) only once the database answers: no statement of ours waits on one that does not.
      if (!this.started && !this.stopped) {
        this.started = true
        void this.start()
      }
      return this.takeIn(version)
    })
  }

  /** The version to answer a read at: from memory while the lease holds, else from the database. */
  current(): number | Promise<number> {
    if (performance.now() < this.trustedUntil) return this.known
    return this.asking.current()
  }

  /** The version while the lease holds, else null: never asks. */
  knownNow(): number | null {
    return performance.now() < this.trustedUntil ? this.known : null
  }

  /** Whether current() answers from memory now. */
  get leased(): boolean {
    return performance.now() < this.trustedUntil
  }

  /**
   * Subscribes to the version notifications, takes the first lease and renews it until stop() or until a
   * renewal fails. Started by the first current() that the database answers, so that an instance that serves
   * no cached read holds no lease (and no write waits for it), and started again the same way after a failed
   * renewal: while the database is away nothing but the requests themselves asks it (postgres.js 3.4.9 can
   * leave a query hanging on a connection opened while PostgreSQL starts up; porsager/postgres#1193).
   */
  private async start(): Promise<void> {
    if (this.listen && !this.unlisten) {
      try {
        const { unlisten } = await this.listen(DATA_VERSION_CHANNEL, (payload) => this.notified(payload))
        this.unlisten = unlisten
        if (this.stopped) await unlisten()
      } catch (err) {
        // Without notifications the lease still holds: the other instances' writes wait for the next renewal.
        this.onError(err)
      }
    }
    if (this.stopped) return
    this.began = true
    await this.renewOnce()
    if (this.stopped || !this.started) return
    this.timer = setInterval(() => void this.renewOnce(), this.timing.renewEveryMs)
    this.timer.unref()
  }

  /** After a write of this process: takes in the version it committed, then waits for the other instances. */
  async afterWrite(): Promise<void> {
    this.takeIn(await waitUntilSeen(this.db, this.id))
  }

  /** Gives the lease up, so that no write waits for this instance. Never waits more than a second for the database. */
  async stop(): Promise<void> {
    this.stopped = true
    this.trustedUntil = 0
    if (this.timer) clearInterval(this.timer)
    if (!this.began) return
    const release = async () => {
      // A renewal still running would write the row again after the delete.
      await this.renewal
      await this.unlisten?.()
      await this.db.execute(sql`delete from cache_instances where id = ${this.id}`)
    }
    let timer: NodeJS.Timeout | undefined
    await Promise.race([release().catch(() => {}), new Promise((resolve) => { timer = setTimeout(resolve, 1000) })])
    clearTimeout(timer)
  }

  private takeIn(version: number): number {
    if (version > this.known) this.known = version
    return this.known
  }

  private notified(payload: string): void {
    const version = Number(payload)
    if (!Number.isSafeInteger(version)) return
    this.takeIn(version)
    void this.ack()
  }

  /** Records the version taken in; one statement at a time, the newest version each time. */
  private async ack(): Promise<void> {
    if (this.acking || this.stopped) return
    this.acking = true
    try {
      while (this.acked < this.known && !this.stopped) {
        const version = this.known
        const updated = await queryRows(this.db, sql`update cache_instances set seen = greatest(seen, ${version}) where id = ${this.id} returning id`)
        // Before the first renewal has written the row, that renewal records the version instead.
        if (updated.length === 0) break
        this.acked = Math.max(this.acked, version)
      }
    } catch (err) {
      this.onError(err)
    } finally {
      this.acking = false
    }
  }

  /** One renewal at a time: a slow one is not doubled. */
  private renewOnce(): Promise<void> {
    this.renewal ??= this.renew().finally(() => { this.renewal = null })
    return this.renewal
  }

  /**
   * Records the version already taken in and extends the lease; reads the current version under a share lock
   * on its row, so that a write committing meanwhile either waits for this row (and then for this instance)
   * or is already counted in the version read. The lease counts here from before the statement was sent.
   */
  private async renew(): Promise<void> {
    if (this.stopped) return
    const sent = performance.now()
    try {
      const seen = this.known
      const [row] = await queryRows<{ version: number | string }>(this.db, sql`
        with current as (select version from data_version where id = 1 for share)
        insert into cache_instances (id, seen, lease_until)
        values (${this.id}, ${seen}, now() + ${`${this.timing.leaseMs} milliseconds`}::interval)
        on conflict (id) do update set seen = greatest(cache_instances.seen, excluded.seen), lease_until = excluded.lease_until
        returning (select version from current)`)
      if (this.stopped) return
      this.acked = Math.max(this.acked, seen)
      this.takeIn(Number(row.version))
      this.trustedUntil = Math.max(this.trustedUntil, sent + this.timing.leaseMs - this.timing.marginMs)
      void this.ack()
    } catch (err) {
      this.onError(err)
      if (this.timer) clearInterval(this.timer)
      this.timer = null
      this.started = false
    }
  }
}
