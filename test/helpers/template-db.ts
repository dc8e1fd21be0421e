/**
 * One migrated (and one migrated and seeded) database per test run, copied for each test file instead of
 * migrating and seeding every time: a PostgreSQL template database (`CREATE DATABASE … TEMPLATE`), or for
 * PGlite a data folder that each test file copies (as a first start copies the build's seeded image). They
 * are built as the build's seeded image is (buildSeededDatabase: the server's migrations and seed) on a database
 * opened as the test databases are, and named by a hash of everything that decides their content (migrations,
 * schema, seed), so a change there makes a new one.
 * Built lazily by the first test file that needs one, the others waiting: under an advisory lock on PostgreSQL,
 * under a lock file for PGlite. (tap's `before` step would do it once, but makes tap collect coverage and fail
 * the run on it.)
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import postgres from 'postgres'
import { MIGRATIONS_FOLDER } from '../../src/db/migrate.ts'
import { buildSeededDatabase, writeDataFolder } from '../../src/units/seed-image.ts'
import type { SeedName } from '../../src/config.ts'
import { withLockFile } from '../../scripts/lock-file.js'
import { openTestPglite } from './hosted-pglite.ts'
import { PGLITE_TEST_DIR } from './pglite-test-dir.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
// What decides the templates' content: the migrations, the schema and the code and data of the seed
// (with the CSV reader it uses). Not the driver code, which changes no row.
const INPUTS = [MIGRATIONS_FOLDER, path.join(ROOT, 'src/db/schema.ts'), path.join(ROOT, 'src/db/notify-schema.ts'), path.join(ROOT, 'src/db/columns.ts'), path.join(ROOT, 'src/db/migrate.ts'), path.join(ROOT, 'src/units'), path.join(ROOT, 'src/lib')]
/** Arbitrary but fixed, and not the server's migration lock. */
const TEMPLATE_LOCK_KEY = 7_052_018

function files(dir: string): string[] {
  if (fs.statSync(dir).isFile()) return [dir]
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? files(p) : [p]
  }).sort()
}

let digest: string | null = null
/** Hash of the migrations and of the code and data that build and seed the schema. */
export function templateHash(): string {
  if (digest) return digest
  const h = crypto.createHash('sha256')
  for (const f of INPUTS.flatMap(files)) h.update(path.relative(ROOT, f)).update('\0').update(fs.readFileSync(f)).update('\0')
  digest = h.digest('hex').slice(0, 16)
  return digest
}

/**
 * The PGlite data folder `folder`, built with `build` unless it is there, by one process at a time: the test
 * files that start together would each build it otherwise (a run on a new machine spent about 25 s of CPU on
 * templates, most of it on the same ones built side by side).
 */
async function builtOnce(folder: string, build: (folder: string) => Promise<void>): Promise<string> {
  const done = () => fs.existsSync(path.join(folder, 'PG_VERSION'))
  if (!done()) await withLockFile(`${folder}.building`, async () => { if (!done()) await build(folder) })
  return folder
}

/**
 * A migrated (and seeded) PGlite data folder, built when missing; each test file opens a copy of it. Built as a
 * test database is made, and a step on from the one before: the migrated folder is a copy of the one initdb left,
 * migrated; a seeded one a copy of the migrated, seeded (prepareDatabase finds nothing more to do, as in any
 * test file). So initdb runs once per run, and PGlite runs in the run's host, where its WebAssembly is compiled
 * once. On a new machine, six test files that use all four: 14.5 s of CPU on templates when each was built from
 * nothing in the test file that first needed it, compiling PGlite for itself; 5.8 s this way.
 */
export function pgliteTemplate(seed: SeedName | null): Promise<string> {
  return builtOnce(path.join(PGLITE_TEST_DIR, `kyso-test-template-${templateHash()}-${seed ?? 'bare'}`), async (folder) => {
    const from = seed ? await pgliteTemplate(null) : await pgliteEmptyTemplate()
    const options = (dataDir: string) => ({ databaseUrl: null, dataDir, statementTimeoutMs: 600_000, sharedBuffers: '16MB' })
    await writeDataFolder(folder, (dataDir) => buildSeededDatabase(options(dataDir), seed, (o) => openTestPglite(dataDir, o, from)))
  })
}

/**
 * A PGlite data folder as initdb leaves it, nothing migrated, built when missing: unmigrated test databases
 * open a copy of it instead of running PGlite's initdb each time (1.5 s of CPU).
 */
export function pgliteEmptyTemplate(): Promise<string> {
  return builtOnce(path.join(PGLITE_TEST_DIR, `kyso-test-template-${templateHash()}-empty`),
    (folder) => writeDataFolder(folder, async (dataDir) => {
      const database = await openTestPglite(dataDir, { databaseUrl: null, sharedBuffers: '16MB' })
      try {
        await database.client`select 1` // a hosted database starts (and so runs initdb) on its first query
      } finally {
        await database.close()
      }
    }))
}

/** The name of a migrated (and seeded) template database on the server at `base`, built when missing. */
export async function postgresTemplate(base: string, seed: SeedName | null): Promise<string> {
  const name = `kyso_template_${templateHash()}_${(seed ?? 'bare').replace(/-/g, '_')}`
  const admin = postgres(base, { max: 1, onnotice: () => {} })
  try {
    await admin`select pg_advisory_lock(${TEMPLATE_LOCK_KEY})`
    try {
      const [found] = await admin`select 1 from pg_database where datname = ${name}`
      if (!found) {
        // Built under another name and renamed when complete: a run killed halfway leaves no half-built template.
        const building = `kyso_building_${crypto.randomBytes(6).toString('hex')}`
        await admin.unsafe(`create database ${building}`)
        try {
          await buildSeededDatabase({ databaseUrl: withDatabase(base, building), dataDir: 'memory://', statementTimeoutMs: 600_000 }, seed)
          await admin.unsafe(`alter database ${building} rename to ${name}`)
        } catch (err) {
          await admin.unsafe(`drop database if exists ${building} with (force)`)
          throw err
        }
      }
    } finally {
      await admin`select pg_advisory_unlock(${TEMPLATE_LOCK_KEY})`
    }
  } finally {
    await admin.end()
  }
  return name
}

export function withDatabase(base: string, name: string): string {
  const u = new URL(base)
  u.pathname = `/${name}`
  return u.toString()
}
