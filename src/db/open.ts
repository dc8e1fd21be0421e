import fs from 'node:fs'
import type { Socket } from 'node:net'
import path from 'node:path'
import postgres from 'postgres'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import * as schema from './schema.ts'
import { lockDataDir } from './pglite-lock.ts'
import { startPgliteThread, type PgliteThread } from './pglite-thread.ts'
import { patientPing } from './patient-ping.ts'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>
/** A transaction or the database itself: services accept either. */
export type DbOrTx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db

export type Database = {
  db: Db
  kind: 'pglite' | 'postgres'
  /** The driver under `db` (postgres.js on both databases; one connection to the embedded one). */
  client: postgres.Sql
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
  /** Embedded database in a folder only: a new folder starts as a copy of this data folder (src/units/seed-image.ts). */
  copyFrom?: string
  /**
   * Embedded database only: PostgreSQL's shared_buffers (PGlite's default, 128MB, when unset). Each start
   * writes the whole pool once; the tests' small databases start faster with a small one.
   */
  sharedBuffers?: string
  /**
   * Embedded database only: return as soon as it is starting, not when it answers; queries wait for it, and a
   * failed start fails them. The server builds its routes meanwhile.
   */
  returnWhileStarting?: boolean
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options)
  return openPglite(options)
}

/** `socket`: connections to the embedded database's socket (PgliteThread.connect) instead of the server at `url`. */
export function postgresClient(url: string, options: Omit<OpenOptions, 'databaseUrl' | 'dataDir'>, max = options.poolSize ?? 10, socket?: () => Promise<Socket>) {
  return postgres(url, {
    max,
    ...(socket ? { socket } : {}),
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    // The embedded database's single connection costs nothing to keep.
    idle_timeout: socket ? 0 : 60,
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
    client,
    // Bounded: a server that accepts but never answers (frozen, partitioned) must not hang /health.
    ping: () => withTimeout(client`select 1`.then(() => {}), (options.connectTimeoutSeconds ?? 5) * 1000),
    close: async () => {
      if (closed) return
      closed = true
      await client.end({ timeout: 5 })
    },
  }
}

/** The folder PGlite keeps its files in, inside DATA_DIR (beside the lock file). */
export function embeddedFolder(dataDir: string): string {
  return path.join(dataDir, 'pglite')
}

/** Copies `from` to `to` when `to` does not exist yet; under the folder's lock, and renamed into place, so that no start sees half a copy. */
function copyDataFolder(from: string, to: string): void {
  if (fs.existsSync(to)) return
  const partial = `${to}.copying`
  fs.rmSync(partial, { recursive: true, force: true })
  fs.cpSync(from, partial, { recursive: true })
  fs.renameSync(partial, to)
}

async function openPglite(options: OpenOptions): Promise<Database> {
  const { dataDir } = options
  const inMemory = dataDir.startsWith('memory://')
  const unlock = inMemory ? () => {} : lockDataDir(dataDir)
  let thread: PgliteThread
  try {
    if (!inMemory && options.copyFrom) copyDataFolder(options.copyFrom, embeddedFolder(dataDir))
    thread = startPgliteThread(inMemory ? dataDir : embeddedFolder(dataDir), options.sharedBuffers)
  } catch (err) {
    unlock()
    throw err
  }
  const ready = thread.ready.catch((err: unknown) => {
    unlock()
    throw err
  })
  if (options.returnWhileStarting) ready.catch(() => {})
  else await ready
  // The socket is connected to only once the thread answers.
  return embeddedDatabase(thread.connect, options, thread.alive, async () => {
    try {
      await thread.close()
    } finally {
      unlock()
    }
  })
}

/**
 * The driver for an embedded database whose connections `connect` opens: one connection, since PGlite has one
 * session and every query waits its turn in it. The socket is local, so a slow first answer means a busy
 * machine, not a lost server. `alive` tells whether what runs the database still does; `release` stops it once
 * the driver has ended.
 */
export function embeddedDatabase(
  connect: () => Promise<Socket>,
  options: Omit<OpenOptions, 'databaseUrl' | 'dataDir'>,
  alive: () => boolean,
  release: () => Promise<void>,
): Database {
  const client = postgresClient('postgres://postgres@localhost/postgres', { ...options, connectTimeoutSeconds: 60 }, 1, connect)
  const db = drizzlePostgres(client, { schema }) as unknown as Db
  const ping = patientPing(() => client`select 1`, (options.connectTimeoutSeconds ?? 5) * 1000)
  let closed = false
  return {
    db,
    kind: 'pglite',
    client,
    ping: async () => {
      if (!alive()) throw Object.assign(new Error('The embedded database has stopped'), { code: 'CONNECTION_CLOSED' })
      await ping()
    },
    close: async () => {
      if (closed) return
      closed = true
      try {
        await client.end({ timeout: 5 })
      } finally {
        await release()
      }
    },
  }
}
