/**
 * The rows behind Idempotency-Key (idempotency_keys): reserved before a write runs, completed with its answer
 * (sealed), released when the write failed on the server's side so that a retry runs it again.
 */
import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Db } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { seal, unseal } from '../lib/seal.ts'

/** How long a key is remembered. */
export const KEEP_HOURS = 24

export type Reservation = { actor: string; keyHash: string; sealKey: Buffer; requestHash: string }

export type Found =
  | { state: 'reserved' }
  | { state: 'running' }
  | { state: 'mismatch' }
  | { state: 'done'; status: number; contentType: string; body: string }

export function reservation(actor: string, key: string, requestHash: string): Reservation {
  return {
    actor,
    keyHash: crypto.createHash('sha256').update(key).digest('hex'),
    sealKey: Buffer.from(crypto.hkdfSync('sha256', key, 'kyso idempotency', actor, 32)),
    requestHash,
  }
}

const context = (r: Reservation) => `${r.actor}|${r.keyHash}`

/**
 * Takes the key for this request, or says what holds it. A key older than KEEP_HOURS is free again, and so is a
 * reservation still running after `abandonAfterMs` (its request ended without completing it: the process stopped).
 */
export async function reserve(db: Db, r: Reservation, abandonAfterMs: number): Promise<Found> {
  const [taken] = await queryRows<{ reserved: boolean }>(db, sql`
    with expired as (
      delete from idempotency_keys where created_at < now() - ${KEEP_HOURS} * interval '1 hour' and not (actor = ${r.actor} and key_hash = ${r.keyHash})
    )
    insert into idempotency_keys (actor, key_hash, request_hash, state) values (${r.actor}, ${r.keyHash}, ${r.requestHash}, 'running')
    on conflict (actor, key_hash) do update set request_hash = excluded.request_hash, state = 'running', status = null, content_type = null, sealed_body = null, created_at = now()
      where idempotency_keys.created_at < now() - ${KEEP_HOURS} * interval '1 hour'
         or (idempotency_keys.state = 'running' and idempotency_keys.created_at < now() - ${abandonAfterMs} * interval '1 millisecond')
    returning true as reserved`)
  if (taken) return { state: 'reserved' }
  const [row] = await queryRows<{ request_hash: string; state: string; status: number | null; content_type: string | null; sealed_body: string | null }>(db, sql`
    select request_hash, state, status, content_type, sealed_body from idempotency_keys where actor = ${r.actor} and key_hash = ${r.keyHash}`)
  if (!row) return { state: 'running' }
  if (row.request_hash !== r.requestHash) return { state: 'mismatch' }
  if (row.state !== 'done') return { state: 'running' }
  const body = unseal(r.sealKey, context(r), row.sealed_body ?? '')
  if (body === null) return { state: 'mismatch' }
  return { state: 'done', status: row.status ?? 200, contentType: row.content_type ?? 'application/json; charset=utf-8', body }
}

export async function complete(db: Db, r: Reservation, status: number, contentType: string, body: string): Promise<void> {
  await db.execute(sql`update idempotency_keys set state = 'done', status = ${status}, content_type = ${contentType}, sealed_body = ${seal(r.sealKey, context(r), body)}
    where actor = ${r.actor} and key_hash = ${r.keyHash} and state = 'running'`)
}

export async function release(db: Db, r: Reservation): Promise<void> {
  await db.execute(sql`delete from idempotency_keys where actor = ${r.actor} and key_hash = ${r.keyHash} and state = 'running'`)
}
