/**
 * Keyset paging, newest first, on (created_at, id). A page reads one row more than it shows; the cursor is
 * the last row's created_at (to the microsecond: a Date keeps milliseconds only) and id, as base64url JSON,
 * opaque to clients.
 */
import { sql, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { BadRequest } from '../lib/errors.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MICROSECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/

export function isUuid(text: string): boolean {
  return UUID.test(text)
}

/** The columns a table is paged on. */
export type Keyset = { createdAt: PgColumn; id: PgColumn }

/** created_at as the cursor holds it: UTC, to the microsecond. */
export function createdAtText(k: Keyset): SQL<string> {
  return sql<string>`to_char(${k.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
}

export function newestFirst(k: Keyset): SQL {
  return sql`${k.createdAt} desc, ${k.id} desc`
}

/** The rows after the cursor's; 400 for a cursor this server did not give out. */
export function afterCursor(k: Keyset, cursor: string): SQL {
  const { createdAt, id } = decodeCursor(cursor)
  return sql`(${k.createdAt}, ${k.id}) < (${createdAt}::timestamptz, ${id}::uuid)`
}

/** The page out of `limit + 1` rows read, and the cursor of the next one (null on the last page). */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => { createdAt: string; id: string }): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  if (rows.length <= limit || !last) return { page, nextCursor: null }
  const { createdAt, id } = keyOf(last)
  return { page, nextCursor: Buffer.from(JSON.stringify([createdAt, id])).toString('base64url') }
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (typeof createdAt === 'string' && typeof id === 'string' && UUID.test(id) && MICROSECONDS.test(createdAt)) return { createdAt, id }
  } catch { /* refused below */ }
  throw new BadRequest('The cursor is not one this server gave out.')
}
