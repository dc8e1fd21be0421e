import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import postgres from 'postgres'
import { openDatabase, type Database, type OpenOptions } from '../../src/db/open.ts'
import { prepareDatabase } from '../../src/db/migrate.ts'
import { seedIfEmpty } from '../../src/units/seed.ts'
import type { SeedName } from '../../src/config.ts'
import { pgliteEmptyTemplate, pgliteTemplate, postgresTemplate, withDatabase } from './template-db.ts'
import { openTestPglite } from './hosted-pglite.ts'
import { PGLITE_TEST_DIR } from './pglite-test-dir.ts'

/**
 * The skip reason of a test that runs on embedded PostgreSQL (PGlite) whatever TEST_DATABASE_URL says (the
 * embedded database itself, or a server started on it): with TEST_DATABASE_URL set it would only repeat what
 * the run without it does, so it runs there.
 */
export const EMBEDDED_ONLY: string | false = process.env.TEST_DATABASE_URL ? 'runs on embedded PostgreSQL whatever TEST_DATABASE_URL says: the run without TEST_DATABASE_URL runs it' : false

export type TestDatabase = Database & { options: OpenOptions; url: string | null; drop(): Promise<void> }

/**
 * A copy of `template` made by copying its files (PostgreSQL 15's default writes every block of the copy to
 * the WAL instead: 0.22 s of the server's CPU per copy of the seeded template against 0.08 s, and about a fifth
 * of all the server's CPU in a test run). PostgreSQL refuses a copy while another session briefly touches the
 * template (55006): wait and retry.
 */
async function createDatabase(admin: postgres.Sql, name: string, template: string | null): Promise<void> {
  const [{ version }] = await admin<{ version: number }[]>`select current_setting('server_version_num')::int as version`
  // STRATEGY is PostgreSQL 15's; older servers copy files anyway.
  const strategy = version >= 150_000 ? ' strategy file_copy' : ''
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}${strategy}`)
      return
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
    }
  }
}

/**
 * A fresh database for one test file: a new database on the PostgreSQL server at TEST_DATABASE_URL
 * when it is set, else PGlite in a temporary folder. A copy of the run's template (template-db.ts):
 * migrated, and seeded with Bình Thuận when asked, then prepared as the server would (which finds nothing
 * to do); or, not migrated, as initdb leaves it. On PGlite it runs in the run's host process (hosted-pglite.ts).
 */
export async function createTestDatabase(opts: { seed?: boolean | SeedName; migrate?: boolean } = {}): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL
  const migrate = opts.migrate !== false
  const seed: SeedName | null = migrate && opts.seed ? (opts.seed === true ? 'binh-thuan-2017' : opts.seed) : null
  let url: string | null = null
  let dataDir = 'memory://' // PostgreSQL: not used
  let copyFrom: string | undefined
  let dropDatabase = async () => {}
  if (base) {
    const template = migrate ? await postgresTemplate(base, seed) : null
    const name = `kyso_test_${crypto.randomBytes(6).toString('hex')}`
    const admin = postgres(base, { max: 1, onnotice: () => {} })
    try {
      await createDatabase(admin, name, template)
    } finally {
      await admin.end()
    }
    url = withDatabase(base, name)
    dropDatabase = async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} })
      await a.unsafe(`drop database if exists ${name} with (force)`)
      await a.end()
    }
  } else {
    // A copy of the template folder opens in a fraction of what loading it into memory (or initdb) takes.
    copyFrom = migrate ? await pgliteTemplate(seed) : await pgliteEmptyTemplate()
    dataDir = fs.mkdtempSync(path.join(PGLITE_TEST_DIR, 'kyso-test-db-'))
    const folder = dataDir
    dropDatabase = async () => { fs.rmSync(folder, { recursive: true, force: true }) }
  }
  // A small buffer pool: every start of PGlite writes all of it (0.1 s of CPU for the default 128 MB), and the
  // test databases are a few megabytes.
  const options: OpenOptions = { databaseUrl: url, dataDir, connectTimeoutSeconds: 60, statementTimeoutMs: 600_000, poolSize: 5, sharedBuffers: '16MB' }
  const database: Database = copyFrom ? await openTestPglite(dataDir, options, copyFrom) : await openDatabase(options)
  if (migrate) {
    await prepareDatabase(database, options, async (db) => {
      if (seed) await seedIfEmpty(db, seed)
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
