import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Db } from '../db/open.ts'
import { notifyJobs } from '../db/schema.ts'
import { queryRows } from '../db/rows.ts'
import { deliverJobs, type DeliverOptions } from './deliver.ts'
import { LEASE_MS, recordOutcomes, type ClaimedJob } from './queue.ts'
import type { SubscriptionView } from './subscriptions.ts'

export type DeliveryView = {
  id: number
  noticeId: string
  type: string
  key: string
  attempt: number
  at: string
  ok: boolean
  statusCode: number | null
  error: string | null
  durationMs: number
  noticeStatus: 'pending' | 'delivered' | 'failed'
}

const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString()

/** The latest delivery attempts of a subscription, newest first. */
export async function listDeliveries(db: Db, subscriptionId: string, limit: number, jobId?: string): Promise<DeliveryView[]> {
  const rows = await queryRows<Record<string, unknown>>(db, sql`
    select d.id, d.job_id, j.type, j.key, d.attempt, d.at, d.ok, d.status_code, d.error, d.duration_ms, j.status
    from notify_deliveries d join notify_jobs j on j.id = d.job_id
    where d.subscription_id = ${subscriptionId} ${jobId ? sql`and d.job_id = ${jobId}` : sql``}
    order by d.id desc limit ${limit}`)
  return rows.map((r) => ({
    id: Number(r.id), noticeId: String(r.job_id), type: String(r.type), key: String(r.key), attempt: Number(r.attempt),
    at: iso(r.at), ok: Boolean(r.ok), statusCode: r.status_code === null ? null : Number(r.status_code),
    error: (r.error as string | null) ?? null, durationMs: Number(r.duration_ms), noticeStatus: String(r.status) as DeliveryView['noticeStatus'],
  }))
}

/** Sends a `test` event now, outside the queue order and without retries, and returns its delivery. */
export async function sendTestEvent(db: Db, sub: SubscriptionView & { secret: string | null }, options: DeliverOptions): Promise<DeliveryView> {
  const now = options.now()
  const payload = { type: 'test', timestamp: now.toISOString(), data: { subscriptionId: sub.id, message: 'Kyso test event' } }
  const [job] = await db.insert(notifyJobs).values({
    subscriptionId: sub.id, key: `test:${crypto.randomUUID()}`, type: 'test', payload, dueAt: now, enqueuedAt: now,
    nextAttemptAt: now, attempts: 1, lockedUntil: new Date(now.getTime() + LEASE_MS),
  }).returning({ id: notifyJobs.id })
  const claimed: ClaimedJob = {
    id: job.id, subscriptionId: sub.id, type: 'test', payload, dueAt: now, enqueuedAt: now, attempts: 1,
    channel: sub.channel, url: sub.url, secret: sub.secret, addresses: sub.addresses,
  }
  const outcomes = await deliverJobs([claimed], options, false)
  await recordOutcomes(db, options.now(), outcomes)
  const [delivery] = await listDeliveries(db, sub.id, 1, job.id)
  return delivery
}
