import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import * as schema from './schema.ts'
import { lockDataDir } from './pglite-lock.ts'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>
/** A transaction or the database itself: services accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db

export type Database = {
  db: Db
  kind: 'pglite' | 'postgres'
  /** Throws when the database does not answer. */
  ping(): Promise<void>
  close(): Promise<void>
}

export type OpenOptions = {
  /** postgres:// URL, or null for embedded PostgreSQL. */
  databaseUrl: string | null
  /** PGlite folder, or 'memory://' for a throwaway database. */
  dataDir: string
  connectTimeoutSeconds?: number
  statementTimeoutMs?: number
  poolSize?: number
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options)
  return openPglite(options.dataDir)
}

export function postgresClient(url: string, options: Omit<OpenOptions, 'databaseUrl' | 'dataDir'>, max = options.poolSize ?? 10) {
  return postgres(url, {
    max,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    idle_timeout: 60,
    onnotice: () => {},
    // JIT compilation costs hundreds of milliseconds on the large-estimate coverage queries and saves nothing:
    // they are index-only scans over at most a few hundred thousand entries.
    connection: { statement_timeout: options.statementTimeoutMs ?? 30_000, application_name: 'kyso', jit: 'off' },
  })
}

/** Rejects with a CONNECT_TIMEOUT error (classified as unavailable) when `work` takes longer than `ms`. */
function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('The database did not answer in time'), { code: 'CONNECT_TIMEOUT' })), ms)
  })
  work.catch(() => {}) // settled later, after the timeout, it must not be an unhandled rejection
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

function openPostgres(url: string, options: OpenOptions): Database {
  const client = postgresClient(url, options)
  const db = drizzlePostgres(client, { schema }) as unknown as Db
  let closed = false
  return {
    db,
    kind: 'postgres',
    // Bounded: a server that accepts but never answers (frozen, partitioned) must not hang /health.
    ping: () => withTimeout(client`select 1`.then(() => {}), (options.connectTimeoutSeconds ?? 5) * 1000),
    close: async () => {
      if (closed) return
      closed = true
      await client.end({ timeout: 5 })
    },
  }
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://')
  const unlock = inMemory ? () => {} : lockDataDir(dataDir)
  let client: PGlite
  try {
    client = await PGlite.create(inMemory ? dataDir : path.join(dataDir, 'pglite'))
  } catch (err) {
    unlock()
    throw err
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return {
    db,
    kind: 'pglite',
    ping: async () => { await db.execute(sql`select 1`) },
    close: async () => {
      if (client.closed) return
      try { await client.close() } finally { unlock() }
    },
  }
}
