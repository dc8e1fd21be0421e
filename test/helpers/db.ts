import crypto from 'node:crypto'
import postgres from 'postgres'
import { openDatabase, type Database, type OpenOptions } from '../../src/db/open.ts'
import { prepareDatabase } from '../../src/db/migrate.ts'
import { seedIfEmpty } from '../../src/units/seed.ts'
import type { SeedName } from '../../src/units/seed-names.ts'

export type TestDatabase = Database & { options: OpenOptions; url: string | null; drop(): Promise<void> }

/**
 * A fresh database for one test file: a new database on the PostgreSQL server at TEST_DATABASE_URL
 * when it is set, else an in-memory PGlite. Migrated, and seeded with Bình Thuận when asked.
 */
export async function createTestDatabase(opts: { seed?: boolean | SeedName; migrate?: boolean } = {}): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL
  let url: string | null = null
  let dropDatabase = async () => {}
  if (base) {
    const name = `kyso_test_${crypto.randomBytes(6).toString('hex')}`
    const admin = postgres(base, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    await admin.end()
    const u = new URL(base)
    u.pathname = `/${name}`
    url = u.toString()
    dropDatabase = async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} })
      await a.unsafe(`drop database if exists ${name} with (force)`)
      await a.end()
    }
  }
  const options: OpenOptions = { databaseUrl: url, dataDir: 'memory://', connectTimeoutSeconds: 5, statementTimeoutMs: 60_000, poolSize: 5 }
  const database = await openDatabase(options)
  if (opts.migrate !== false) {
    await prepareDatabase(database, options, async (db) => {
      if (opts.seed) await seedIfEmpty(db, opts.seed === true ? 'binh-thuan-2017' : opts.seed)
    })
  }
  let dropped = false
  return {
    ...database,
    options,
    url,
    drop: async () => {
      if (dropped) return
      dropped = true
      await database.close()
      await dropDatabase()
    },
  }
}
