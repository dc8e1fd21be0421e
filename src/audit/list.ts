import { desc, lt } from 'drizzle-orm'
import { auditLog } from '../db/schema.ts'
import type { Db } from '../db/open.ts'
import { BadRequest } from '../lib/errors.ts'

/** Newest first; the cursor is the last id seen. */
export async function listAudit(db: Db, limit: number, cursor?: string) {
  let before: number | undefined
  if (cursor !== undefined) {
    if (!/^\d{1,15}$/.test(cursor)) throw new BadRequest('The cursor is not one this server gave out.')
    before = Number(cursor)
  }
  const rows = await db.select().from(auditLog)
    .where(before === undefined ? undefined : lt(auditLog.id, before))
    .orderBy(desc(auditLog.id)).limit(limit + 1)
  const page = rows.slice(0, limit)
  return {
    items: page.map((r) => ({ ...r, at: r.at.toISOString() })),
    nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
  }
}
