import { sql } from 'drizzle-orm'
import type { Db, DbOrTx } from '../db/open.ts'
import { jsonValue, queryRows } from '../db/rows.ts'
import type { EventPayload } from './email-render.ts'

export type ClaimedJob = {
  id: string
  subscriptionId: string
  type: string
  payload: EventPayload
  dueAt: Date
  enqueuedAt: Date
  attempts: number
  channel: 'webhook' | 'email'
  url: string | null
  secret: string | null
  addresses: string[] | null
}

export type Outcome = {
  jobId: string
  subscriptionId: string
  attempt: number
  ok: boolean
  statusCode: number | null
  error: string | null
  durationMs: number
  /** delivered, failed (given up), or pending with the next attempt. */
  status: 'delivered' | 'failed' | 'pending'
  nextAttemptAt: Date | null
}

/** How long a claimed notice stays reserved to one worker; longer than any send can take. */
export const LEASE_MS = 5 * 60_000

const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)))

/**
 * Claims up to `limit` notices ready at `now`, at most one per subscription and only the oldest pending
 * one of each, so that a subscription receives its notices in order even while one is being retried.
 * FOR UPDATE SKIP LOCKED and the lease keep two instances from claiming the same notice.
 */
export async function claimJobs(db: Db, now: Date, limit: number): Promise<ClaimedJob[]> {
  const at = sql`${now.toISOString()}::timestamptz`
  const rows = await queryRows<Record<string, unknown>>(db, sql`
    with next as (
      select j.id from notify_jobs j
      where j.status = 'pending' and j.next_attempt_at <= ${at} and (j.locked_until is null or j.locked_until <= ${at})
        and not exists (select 1 from notify_jobs p where p.subscription_id = j.subscription_id and p.status = 'pending'
          and (p.due_at < j.due_at or (p.due_at = j.due_at and p.key < j.key)))
      order by j.due_at, j.key
      limit ${limit}
      for update of j skip locked
    )
    update notify_jobs j set locked_until = ${at} + make_interval(secs => ${LEASE_MS / 1000}), attempts = j.attempts + 1
    from next, notify_subscriptions s
    where j.id = next.id and s.id = j.subscription_id and s.deleted_at is null
    returning j.id, j.subscription_id, j.type, j.payload, j.due_at, j.enqueued_at, j.attempts,
      s.channel, s.url, s.secret, s.addresses`)
  return rows.map((r) => ({
    id: String(r.id), subscriptionId: String(r.subscription_id), type: String(r.type), payload: jsonValue<EventPayload>(r.payload),
    dueAt: asDate(r.due_at), enqueuedAt: asDate(r.enqueued_at), attempts: Number(r.attempts),
    channel: r.channel as ClaimedJob['channel'], url: (r.url as string | null) ?? null, secret: (r.secret as string | null) ?? null,
    addresses: jsonValue<string[] | null>(r.addresses) ?? null,
  }))
}

/**
 * Records the outcomes of one round in two statements: the notices' new state (only where this worker
 * still holds the claim: same attempt number) and one delivery-log row per attempt.
 */
export async function recordOutcomes(db: Db, now: Date, outcomes: Outcome[]): Promise<void> {
  if (!outcomes.length) return
  const data = JSON.stringify(outcomes.map((o) => ({
    job_id: o.jobId, subscription_id: o.subscriptionId, attempt: o.attempt, ok: o.ok, status_code: o.statusCode,
    error: o.error, duration_ms: o.durationMs, status: o.status, next_attempt_at: o.nextAttemptAt?.toISOString() ?? null,
  })))
  const at = sql`${now.toISOString()}::timestamptz`
  await db.transaction(async (tx: DbOrTx) => {
    await tx.execute(sql`
      update notify_jobs j set status = o.status, locked_until = null,
        delivered_at = case when o.ok then ${at} else null end,
        next_attempt_at = coalesce(o.next_attempt_at, j.next_attempt_at)
      from jsonb_to_recordset(${data}::jsonb) as o(job_id uuid, attempt int, ok boolean, status text, next_attempt_at timestamptz)
      where j.id = o.job_id and j.attempts = o.attempt and j.status = 'pending'`)
    await tx.execute(sql`
      insert into notify_deliveries (job_id, subscription_id, attempt, at, ok, status_code, error, duration_ms)
      select o.job_id, o.subscription_id, o.attempt, ${at}, o.ok, o.status_code, o.error, o.duration_ms
      from jsonb_to_recordset(${data}::jsonb) as o(job_id uuid, subscription_id uuid, attempt int, ok boolean, status_code int, error text, duration_ms int)`)
  })
}
