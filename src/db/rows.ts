import type { SQL } from 'drizzle-orm'
import type { DbOrTx } from './open.ts'

/** A json/jsonb column as either driver returns it: already parsed, or as its text. */
export function jsonValue<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

/** Runs raw SQL and returns its rows on both drivers (PGlite answers {rows}, postgres.js an array). */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query)
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? [])
}

/** What an upsert did, from the rows it returned `(xmax = 0) as inserted` for: one a row it wrote. */
export function upsertCounts(returned: readonly { inserted: boolean }[]): { inserted: number; updated: number } {
  const inserted = returned.filter((r) => r.inserted).length
  return { inserted, updated: returned.length - inserted }
}
