import crypto from 'node:crypto'
import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Db } from '../db/open.ts'
import { adminUnits, notifyJobs, notifySubscriptions } from '../db/schema.ts'
import { queryRows } from '../db/rows.ts'
import type { Actor } from '../auth/actor.ts'
import { audit } from '../audit/write.ts'
import { codesSql, inScope, placedInSql, unknownScopeCodes } from '../auth/scope.ts'
import { Forbidden, NotFound, Unprocessable } from '../lib/errors.ts'
import type { ProblemCode } from '../lib/problem-codes.ts'
import { checkHost, TargetRefused } from './address-guard.ts'
import { generateSecret, secretKey } from './signature.ts'
import { sealSecret } from './secret-box.ts'

export const DEFAULT_EXPIRY_DAYS = [90, 30, 7, 1]

export type SubscriptionInput = {
  channel: 'webhook' | 'email'
  url?: string
  secret?: string
  addresses?: string[]
  scope: string[]
  expiryDays?: number[]
  digest?: { every: 'day' | 'week'; hour: number }
  coverageAlerts?: boolean
}

export type SubscriptionView = {
  id: string
  channel: 'webhook' | 'email'
  url: string | null
  addresses: string[] | null
  scope: string[]
  expiryDays: number[]
  digest: { every: 'day' | 'week'; hour: number } | null
  coverageAlerts: boolean
  createdAt: string
}

const unprocessable = (code: ProblemCode, message: string) => new Unprocessable(message, [{ code, message }])

type Row = typeof notifySubscriptions.$inferSelect

export function view(r: Row): SubscriptionView {
  return {
    id: r.id, channel: r.channel as SubscriptionView['channel'], url: r.url, addresses: r.addresses, scope: r.scope,
    expiryDays: r.expiryDays, coverageAlerts: r.coverageAlerts, createdAt: r.createdAt.toISOString(),
    digest: r.digestEvery ? { every: r.digestEvery as 'day' | 'week', hour: r.digestHour ?? 0 } : null,
  }
}

async function checkUrl(raw: string, allowPrivate: boolean): Promise<string> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw unprocessable('bad_url', 'url is not a valid absolute URL.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw unprocessable('bad_url', 'url must be http:// or https://.')
  // A password in the URL would be shown by GET; the signature authenticates Kyso to the receiver instead.
  if (url.username || url.password) throw unprocessable('bad_url', 'url must not carry a user name or password.')
  try {
    await checkHost(url.hostname, allowPrivate)
  } catch (err) {
    if (err instanceof TargetRefused) throw unprocessable('target_refused', err.message)
    throw err
  }
  return url.toString()
}

/** Checks the scope's codes exist and, for a registrar, lie within its own scope. */
async function checkScope(db: Db, actor: Actor, scope: string[]): Promise<void> {
  const units = await db.select({ code: adminUnits.code, placeCodes: adminUnits.placeCodes })
    .from(adminUnits).where(inArray(adminUnits.code, scope))
  const missing = scope.filter((c) => !units.some((u) => u.code === c))
  if (missing.length) {
    throw unknownScopeCodes(missing)
  }
  const outside = scope.filter((code) => !units.some((u) => u.code === code && inScope(actor, u)))
  if (outside.length) throw new Forbidden(`This token may not watch units outside its scope: ${outside.join(', ')}.`)
}

export async function createSubscription(db: Db, actor: Actor, input: SubscriptionInput, opts: { allowPrivate: boolean; secretKey: Buffer | null }) {
  const scope = [...new Set(input.scope)]
  const expiryDays = [...new Set(input.expiryDays ?? DEFAULT_EXPIRY_DAYS)].sort((a, b) => b - a)
  let url: string | null = null
  let secret: string | null = null
  let generated = false
  let addresses: string[] | null = null
  if (input.channel === 'webhook') {
    if (!input.url) throw unprocessable('url_required', 'A webhook subscription needs a url.')
    if (input.addresses) throw unprocessable('addresses_not_allowed', 'addresses belong to e-mail subscriptions.')
    if (input.secret !== undefined && !secretKey(input.secret)) {
      throw unprocessable('bad_secret', 'secret must be "whsec_" followed by the base64 of 24 to 64 random bytes.')
    }
    secret = input.secret ?? generateSecret()
    generated = input.secret === undefined
    await checkScope(db, actor, scope)
    url = await checkUrl(input.url, opts.allowPrivate)
  } else {
    if (!input.addresses?.length) throw unprocessable('addresses_required', 'An e-mail subscription needs addresses.')
    if (input.url || input.secret) throw unprocessable('url_not_allowed', 'url and secret belong to webhook subscriptions.')
    addresses = [...new Set(input.addresses.map((a) => a.trim().toLowerCase()))]
    await checkScope(db, actor, scope)
  }
  const id = crypto.randomUUID()
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(notifySubscriptions).values({
      id, channel: input.channel, url, secret: secret === null ? null : sealSecret(opts.secretKey, id, secret), addresses, scope, expiryDays,
      digestEvery: input.digest?.every ?? null, digestHour: input.digest?.hour ?? null,
      coverageAlerts: input.coverageAlerts ?? false, createdBy: actor.id,
    }).returning()
    await audit(tx, actor, {
      action: 'subscription.create', entityType: 'subscription', entityId: row.id,
      details: { channel: row.channel, url, addresses, scope, expiryDays, digest: input.digest ?? null, coverageAlerts: row.coverageAlerts },
    })
    return { ...view(row), ...(generated ? { secret: secret! } : {}) }
  })
}

/** Subscriptions this actor may see: all for an admin or an unscoped registrar, else those wholly within its scope. */
export function visibleTo(actor: Actor) {
  if (actor.role === 'admin' || !actor.scope?.length) return sql`true`
  return sql`not exists (select 1 from unnest(s.scope) as sc(code)
    where not exists (select 1 from admin_units u where u.code = sc.code and ${placedInSql('u', codesSql(actor.scope))}))`
}

export async function listSubscriptions(db: Db, actor: Actor): Promise<SubscriptionView[]> {
  const ids = await queryRows<{ id: string }>(db, sql`select s.id from notify_subscriptions s
    where s.deleted_at is null and ${visibleTo(actor)} order by s.created_at, s.id limit 1000`)
  if (!ids.length) return []
  const rows = await db.select().from(notifySubscriptions).where(inArray(notifySubscriptions.id, ids.map((r) => r.id)))
  const order = new Map(ids.map((r, i) => [r.id, i]))
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map(view)
}

/** The subscription row, or 404 when it does not exist, was deleted, or is outside the actor's scope. */
export async function findSubscription(db: Db, actor: Actor, id: string): Promise<Row> {
  const [visible] = await queryRows<{ id: string }>(db, sql`select s.id from notify_subscriptions s
    where s.id = ${id} and s.deleted_at is null and ${visibleTo(actor)}`)
  const [row] = visible ? await db.select().from(notifySubscriptions).where(eq(notifySubscriptions.id, id)) : []
  if (!row) throw new NotFound(`No subscription ${id}.`)
  return row
}

export async function deleteSubscription(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
  await findSubscription(db, actor, id)
  await db.transaction(async (tx) => {
    await tx.update(notifySubscriptions).set({ deletedAt: now }).where(and(eq(notifySubscriptions.id, id), isNull(notifySubscriptions.deletedAt)))
    // Notices not yet sent are dropped with the subscription.
    await tx.update(notifyJobs).set({ status: 'failed', lockedUntil: null })
      .where(and(eq(notifyJobs.subscriptionId, id), eq(notifyJobs.status, 'pending')))
    await audit(tx, actor, { action: 'subscription.delete', entityType: 'subscription', entityId: id })
  })
}
