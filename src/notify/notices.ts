import { sql } from 'drizzle-orm'
import type { Db } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import type { Actor } from '../auth/actor.ts'
import { visibleTo } from './subscriptions.ts'

export type NoticeView = {
  id: string
  subscriptionId: string
  channel: 'webhook' | 'email'
  type: string
  key: string
  certificateId: string | null
  status: 'pending' | 'delivered' | 'failed'
  dueAt: string
  deliveredAt: string | null
  attempts: number
  lastError: string | null
}

/** A timestamp column's value (a Date, or its text on a driver that leaves it as text) as ISO 8601. */
const iso = (v: Date | string | null | undefined) => (v === null || v === undefined ? null : (v instanceof Date ? v : new Date(String(v))).toISOString())

/**
 * The latest notices of the subscriptions this actor may see (or of one certificate), newest first,
 * each with the error of its last failed attempt: one statement, for the dashboard.
 */
export async function listNotices(db: Db, actor: Actor, opts: { certificateId?: string; limit: number }): Promise<NoticeView[]> {
  const rows = await queryRows<Record<string, unknown> & { due_at: Date | string; delivered_at: Date | string | null }>(db, sql`
    select j.id, j.subscription_id, s.channel, j.type, j.key, j.certificate_id, j.status, j.due_at, j.delivered_at, j.attempts,
      (select d.error from notify_deliveries d where d.job_id = j.id and not d.ok order by d.id desc limit 1) as last_error
    from notify_jobs j join notify_subscriptions s on s.id = j.subscription_id
    where s.deleted_at is null and j.type <> 'test' and ${visibleTo(actor)}
      ${opts.certificateId ? sql`and j.certificate_id = ${opts.certificateId}` : sql``}
    order by j.due_at desc, j.key desc
    limit ${opts.limit}`)
  return rows.map((r) => ({
    id: String(r.id), subscriptionId: String(r.subscription_id), channel: r.channel as NoticeView['channel'], type: String(r.type),
    key: String(r.key), certificateId: (r.certificate_id as string | null) ?? null, status: r.status as NoticeView['status'],
    dueAt: iso(r.due_at)!, deliveredAt: iso(r.delivered_at), attempts: Number(r.attempts), lastError: (r.last_error as string | null) ?? null,
  }))
}
