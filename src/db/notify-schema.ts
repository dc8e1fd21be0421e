/** The tables of notifications (src/notify/): subscriptions, the queue of notices, deliveries, what each subscription saw. */
import { sql } from 'drizzle-orm'
import { bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { tstz } from './columns.ts'

/** Notification subscriptions: a channel (webhook or e-mail), the units watched and what to send. */
export const notifySubscriptions = pgTable('notify_subscriptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  channel: text('channel').notNull(),
  url: text('url'),
  /** The whsec_ signing secret; returned once at creation, never again. */
  secret: text('secret'),
  addresses: text('addresses').array(),
  scope: text('scope').array().notNull(),
  expiryDays: integer('expiry_days').array().notNull(),
  digestEvery: text('digest_every'),
  digestHour: integer('digest_hour'),
  coverageAlerts: boolean('coverage_alerts').notNull().default(false),
  createdBy: uuid('created_by'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  deletedAt: tstz('deleted_at'),
}, (t) => [
  check('notify_subscriptions_channel_check', sql`${t.channel} in ('webhook','email')`),
  check('notify_subscriptions_digest_check', sql`${t.digestEvery} is null or ${t.digestEvery} in ('day','week')`),
])

/**
 * The job table: one row per notice, unique per subscription and idempotency key, so that a notice is
 * enqueued once however many instances see it due. Workers claim rows with FOR UPDATE SKIP LOCKED.
 */
export const notifyJobs = pgTable('notify_jobs', {
  id: uuid('id').primaryKey().defaultRandom(),
  subscriptionId: uuid('subscription_id').notNull().references(() => notifySubscriptions.id),
  key: text('key').notNull(),
  type: text('type').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  /** When the notice became due (the clock of the scheduler that enqueued it). */
  dueAt: tstz('due_at').notNull(),
  /** When it was enqueued (scheduler clock); retries go on for NOTIFY_RETRY_HOURS from the later of the two. */
  enqueuedAt: tstz('enqueued_at').notNull(),
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: tstz('next_attempt_at').notNull(),
  lockedUntil: tstz('locked_until'),
  deliveredAt: tstz('delivered_at'),
  certificateId: uuid('certificate_id'),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('notify_jobs_key_idx').on(t.subscriptionId, t.key),
  index('notify_jobs_pending_idx').on(t.status, t.nextAttemptAt),
  index('notify_jobs_subscription_due_idx').on(t.subscriptionId, t.dueAt, t.id),
  index('notify_jobs_certificate_idx').on(t.certificateId),
  check('notify_jobs_status_check', sql`${t.status} in ('pending','delivered','failed')`),
])

/** Every delivery attempt, for the delivery log. */
export const notifyDeliveries = pgTable('notify_deliveries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  jobId: uuid('job_id').notNull().references(() => notifyJobs.id),
  subscriptionId: uuid('subscription_id').notNull().references(() => notifySubscriptions.id),
  attempt: integer('attempt').notNull(),
  at: tstz('at').notNull(),
  ok: boolean('ok').notNull(),
  statusCode: integer('status_code'),
  error: text('error'),
  durationMs: integer('duration_ms').notNull(),
}, (t) => [index('notify_deliveries_subscription_idx').on(t.subscriptionId, t.id)])

/** The coverage each subscription last saw per unit, to tell when a unit becomes uncovered. */
export const notifyUnitState = pgTable('notify_unit_state', {
  subscriptionId: uuid('subscription_id').notNull().references(() => notifySubscriptions.id),
  unitCode: text('unit_code').notNull(),
  covered: boolean('covered').notNull(),
  since: tstz('since').notNull(),
}, (t) => [primaryKey({ columns: [t.subscriptionId, t.unitCode] })])
