import { eq } from 'drizzle-orm'
import type { Db } from './open.ts'
import { dataVersion } from './schema.ts'

/** The current data version, as committed. */
export async function readDataVersion(db: Db): Promise<number> {
  const rows = await db.select({ version: dataVersion.version }).from(dataVersion).where(eq(dataVersion.id, 1))
  if (rows.length !== 1) throw new Error('data_version has no row: the database is not migrated')
  return rows[0].version
}

/**
 * Reads the data version for many concurrent requests with few queries, without ever answering a request
 * with a version read before it arrived: a caller joins only a query that has not started yet. A query
 * starts on the next turn of the event loop (so that the requests of one burst share it), and not before
 * the previous one has settled (so that one query at a time is in flight; later callers share the next).
 * So a read that begins after a write was acknowledged sees that write's version, on any instance.
 */
export class SingleFlightVersion {
  private running: Promise<unknown> = Promise.resolve()
  private waiting: Promise<number> | null = null

  constructor(private readonly query: () => Promise<number>) {}

  current(): Promise<number> {
    if (this.waiting) return this.waiting
    const waiting = this.running.then(nextTurn, nextTurn).then(() => {
      // From here on, a new caller arrives after this query started: it must wait for the next one.
      this.waiting = null
      const query = this.query()
      this.running = query
      return query
    })
    this.waiting = waiting
    return waiting
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
