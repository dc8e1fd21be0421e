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
