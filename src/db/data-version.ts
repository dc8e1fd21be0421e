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
 * with a version read before it arrived: a caller joins only a query that has not started yet when it
 * calls. While one query runs, later callers share the next one, started when the running one settles.
 * So a read that begins after a write was acknowledged sees that write's version, on any instance.
 */
export class SingleFlightVersion {
  private running: Promise<number> | null = null
  private next: Promise<number> | null = null

  constructor(private readonly query: () => Promise<number>) {}

  current(): Promise<number> {
    if (!this.running) return this.start()
    if (!this.next) {
      this.next = this.running.then(noop, noop).then(() => {
        this.next = null
        return this.start()
      })
    }
    return this.next
  }

  private start(): Promise<number> {
    const query = this.query()
    this.running = query
    const clear = () => { if (this.running === query) this.running = null }
    query.then(clear, clear)
    return query
  }
}

function noop(): void {}
