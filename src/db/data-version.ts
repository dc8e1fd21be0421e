import { sql } from 'drizzle-orm'
import type { DbOrTx } from './open.ts'
import { queryRows } from './rows.ts'

/** The current data version, as committed. A plain statement: an instance without a lease (db/version-watch.ts) asks it for every burst of cached reads. */
export async function readDataVersion(db: DbOrTx): Promise<number> {
  const rows = await queryRows<{ version: number | string }>(db, sql`select version from data_version where id = 1`)
  if (rows.length !== 1) throw new Error('data_version has no row: the database is not migrated')
  return Number(rows[0].version)
}

/**
 * Reads the data version for many concurrent requests with few queries, without ever answering a request
 * with a version read before it arrived: a caller joins only a query that has not started yet. A query
 * starts on the next turn of the event loop, so that the requests of one burst share it; it does not wait
 * for the one before to settle (a waiting request would pay for two round trips instead of one), so at
 * most one query starts per turn. So a read that begins after a write was acknowledged sees that write's
 * version, on any instance.
 */
export class SingleFlightVersion {
  private waiting: Promise<number> | null = null

  private readonly query: () => Promise<number>

  constructor(query: () => Promise<number>) {
    this.query = query
  }

  current(): Promise<number> {
    if (this.waiting) return this.waiting
    const waiting = nextTurn().then(() => {
      // From here on, a new caller arrives after this query started: it must wait for the next one.
      this.waiting = null
      return this.query()
    })
    this.waiting = waiting
    return waiting
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
