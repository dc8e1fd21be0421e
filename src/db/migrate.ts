import path from 'node:path'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
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
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase<typeof schema>, { migrationsFolder: MIGRATIONS_FOLDER })
    await afterMigrate(database.db)
    return
  }
  // Session-level advisory locks belong to one connection: use a dedicated one.
  const client = postgresClient(options.databaseUrl!, options, 1)
  try {
    const db = drizzlePostgres(client, { schema })
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`
    try {
      await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER })
      await afterMigrate(db as unknown as Db)
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`
    }
  } finally {
    await client.end({ timeout: 5 })
  }
}
