import { sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.ts'
import type { Db } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { safeError } from '../http/log-serializers.ts'
import { deliverJobs, type DeliverOptions } from './deliver.ts'
import { createMailer, type Mailer } from './email-send.ts'
import { enqueueCoverageAlerts } from './enqueue-coverage.ts'
import { enqueueDigests } from './enqueue-digest.ts'
import { enqueueExpiryNotices } from './enqueue-expiry.ts'
import { claimJobs, recordOutcomes } from './queue.ts'

/** Arbitrary but fixed: the instance that holds it enqueues; the others only deliver. */
const ENQUEUE_LOCK_KEY = 7_052_018
const ROUND_SIZE = 20
const MAX_ROUNDS = 25

export type TickResult = { enqueued: number; delivered: number; failed: number; enqueuedBy: boolean }

/**
 * The notification scheduler of one process: every NOTIFY_INTERVAL_SECONDS it enqueues the notices
 * that have come due (set-based, under a transaction-level advisory lock) and delivers ready notices
 * in bounded rounds. `now` is injectable so that tests can move time.
 */
export class Notifier {
  readonly mailer: Mailer
  readonly deliverOptions: DeliverOptions
  private timer: NodeJS.Timeout | null = null
  private running: Promise<TickResult> | null = null
  private stopped = false

  private readonly db: Db
  private readonly config: Config
  readonly now: () => Date
  private readonly log: FastifyBaseLogger

  constructor(db: Db, config: Config, now: () => Date, log: FastifyBaseLogger) {
    this.db = db
    this.config = config
    this.now = now
    this.log = log
    this.mailer = createMailer(config.smtpUrl, config.smtpFrom, config.webhookTimeoutMs)
    this.deliverOptions = {
      mailer: this.mailer, allowPrivate: config.webhookAllowPrivate, timeoutMs: config.webhookTimeoutMs,
      retryHours: config.notifyRetryHours, now, secretKey: config.webhookSecretKey,
    }
  }

  /** One run; a run already in progress is awaited instead of starting a second one. */
  tick(): Promise<TickResult> {
    this.running ??= this.run().finally(() => { this.running = null })
    return this.running
  }

  private async run(): Promise<TickResult> {
    const now = this.now()
    let enqueued = 0
    let enqueuedBy = false
    await this.db.transaction(async (tx) => {
      const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${ENQUEUE_LOCK_KEY}) as locked`)
      if (!lock?.locked) return
      enqueuedBy = true
      enqueued += await enqueueExpiryNotices(tx, now)
      enqueued += await enqueueCoverageAlerts(tx, now)
      enqueued += await enqueueDigests(tx, now)
    })
    let delivered = 0
    let failed = 0
    for (let round = 0; round < MAX_ROUNDS && !this.stopped; round++) {
      const jobs = await claimJobs(this.db, this.now(), ROUND_SIZE)
      if (!jobs.length) break
      const outcomes = await deliverJobs(jobs, this.deliverOptions)
      await recordOutcomes(this.db, this.now(), outcomes)
      for (const o of outcomes) {
        if (o.ok) delivered++
        else failed++
      }
    }
    return { enqueued, delivered, failed, enqueuedBy }
  }

  start(): void {
    if (this.config.notifyIntervalSeconds <= 0 || this.timer || this.stopped) return
    const run = async () => {
      try {
        await this.tick()
      } catch (err) {
        // A database outage: nothing was lost (the claims expire), the next run picks the work up again.
        this.log.warn({ err: safeError(err as Error) }, 'notification run failed; retrying at the next interval')
      }
      if (!this.stopped) schedule()
    }
    const schedule = () => {
      this.timer = setTimeout(() => { void run() }, this.config.notifyIntervalSeconds * 1000)
      this.timer.unref()
    }
    schedule()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running?.catch(() => {})
    this.mailer.close()
  }
}
