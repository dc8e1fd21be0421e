import path from 'node:path'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import * as schema from './schema.ts'
import { postgresClient, type Database, type Db, type OpenOptions } from './open.ts'

export const MIGRATIONS_FOLDER = path.resolve(import.meta.dirname, '../../drizzle')

/** Arbitrary but fixed: every Kyso process takes this advisory lock to migrate and seed. */
const MIGRATION_LOCK_KEY = 7_052_017

/**
 * Applies the committed migrations, then runs `afterMigrate` (the seed) while still holding the lock,
 * so that several instances starting at once on one PostgreSQL migrate and seed it exactly once.
 */
export async function prepareDatabase(
  database: Database,
  options: OpenOptions,
  afterMigrate: (db: Db) => Promise<void> = async () => {},
): Promise<void> {
  // Session-level advisory locks belong to one connection: use a dedicated one. The embedded database
  // has a single connection already (and one process per folder), so the lock is taken on it.
  const dedicated = database.kind === 'postgres'
  const client = dedicated ? postgresClient(options.databaseUrl!, options, 1) : database.client
  try {
    const db = drizzlePostgres(client, { schema })
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`
    try {
      await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER })
      await afterMigrate(db)
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`
    }
  } finally {
    if (dedicated) await client.end({ timeout: 5 })
  }
}
