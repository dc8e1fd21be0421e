import crypto from 'node:crypto'
import { and, desc, eq, isNull } from 'drizzle-orm'
import { apiTokens, adminUnits } from '../db/schema.ts'
import type { Db } from '../db/open.ts'
import { inArray } from 'drizzle-orm'
import type { Actor, Role } from './actor.ts'
import { unknownScopeCodes } from './scope.ts'
import { audit } from '../audit/write.ts'
import { BadRequest, NotFound } from '../lib/errors.ts'

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex')
}

export function newTokenSecret(): string {
  return `kyso_${crypto.randomBytes(32).toString('base64url')}`
}

/**
 * Valid tokens are remembered for a few seconds per process, which saves a query on every request.
 * A revocation takes effect at once in the process that made it and within ACTOR_TTL_MS in the others.
 */
export const ACTOR_TTL_MS = 5_000
const MAX_CACHED = 10_000
type CachedActor = { actor: Actor; until: number }
const actorCaches = new WeakMap<object, Map<string, CachedActor>>()

export async function findActor(db: Db, token: string): Promise<Actor | null> {
  const tokenHash = hashToken(token)
  let cache = actorCaches.get(db)
  const hit = cache?.get(tokenHash)
  if (hit && hit.until > Date.now()) return hit.actor
  const [row] = await db.select().from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt))).limit(1)
  if (!row) {
    cache?.delete(tokenHash)
    return null
  }
  const actor: Actor = { id: row.id, name: row.name, role: row.role as Role, scope: row.scope ?? null }
  if (!cache) actorCaches.set(db, (cache = new Map<string, CachedActor>()))
  if (cache.size >= MAX_CACHED) cache.clear()
  cache.set(tokenHash, { actor, until: Date.now() + ACTOR_TTL_MS })
  return actor
}

/** Makes sure a token with this secret and role admin exists (ADMIN_TOKEN). */
export async function ensureAdminToken(db: Db, secret: string): Promise<void> {
  const tokenHash = hashToken(secret)
  await db.insert(apiTokens).values({ name: 'admin (ADMIN_TOKEN)', role: 'admin', scope: null, tokenHash })
    .onConflictDoUpdate({ target: apiTokens.tokenHash, set: { revokedAt: null, role: 'admin' } })
}

export async function createToken(db: Db, actor: Actor, input: { name: string; role: Role; scope?: string[] | null }) {
  if (input.scope?.length === 0) {
    throw new BadRequest('scope is an empty list, which would allow nothing; list unit codes, or send "scope": null for a token allowed everywhere.')
  }
  const scope = input.scope?.length ? [...new Set(input.scope)] : null
  if (scope) {
    const known = await db.select({ code: adminUnits.code }).from(adminUnits).where(inArray(adminUnits.code, scope))
    const missing = scope.filter((c) => !known.some((k) => k.code === c))
    if (missing.length) {
      throw unknownScopeCodes(missing)
    }
  }
  const secret = newTokenSecret()
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(apiTokens)
      .values({ name: input.name, role: input.role, scope, tokenHash: hashToken(secret) })
      .returning({ id: apiTokens.id })
    await audit(tx, actor, { action: 'token.create', entityType: 'token', entityId: row.id, details: { name: input.name, role: input.role, scope } })
    return { id: row.id, token: secret }
  })
}

export async function listTokens(db: Db) {
  const rows = await db.select({
    id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, scope: apiTokens.scope,
    createdAt: apiTokens.createdAt, revokedAt: apiTokens.revokedAt,
  }).from(apiTokens).orderBy(desc(apiTokens.createdAt))
  return rows.map((r) => ({ ...r, role: r.role as Role, createdAt: r.createdAt.toISOString(), revokedAt: r.revokedAt?.toISOString() ?? null }))
}

/** Revokes a token. It stays listed (and named in the audit log) but no longer authenticates. */
export async function revokeToken(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.update(apiTokens).set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning({ id: apiTokens.id, name: apiTokens.name })
    if (!row) throw new NotFound(`No active token has the id ${id}.`)
    await audit(tx, actor, { action: 'token.revoke', entityType: 'token', entityId: id, details: { name: row.name } })
  })
  actorCaches.get(db)?.clear()
}
