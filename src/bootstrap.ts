/**
 * What a process does before it serves: open the configured database, migrate it, load the seed into an
 * empty one and make sure ADMIN_TOKEN exists. The server and the command line start here.
 */
import fs from 'node:fs'
import type { Config, SeedName } from './config.ts'
import { embeddedFolder, openDatabase, type Database, type OpenOptions } from './db/open.ts'
import { prepareDatabase } from './db/migrate.ts'
import { SEEDS, seedIfEmpty } from './units/seed.ts'
import { ensureAdminToken } from './auth/tokens.ts'
import { findSeedImage } from './units/seed-image.ts'

export function openOptions(config: Config): OpenOptions {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    connectTimeoutSeconds: config.dbConnectTimeoutSeconds,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    poolSize: config.dbPoolSize,
  }
}

/** The build's image of the seed, for a new embedded data folder, when there is one for these migrations and seed files. */
function imageFor(config: Config): string | undefined {
  if (config.databaseUrl || config.seed === 'none' || config.dataDir.startsWith('memory://')) return undefined
  if (fs.existsSync(embeddedFolder(config.dataDir))) return undefined
  return findSeedImage(config.seed) ?? undefined
}

/**
 * Opens the configured database; the returned `prepared` then migrates it, seeds it when empty and makes sure
 * ADMIN_TOKEN exists, while the caller may do work that needs no query (the server builds its routes). When
 * `prepared` fails, the database is closed. A new embedded data folder begins as a copy of the build's image
 * of the seed (src/units/seed-image.ts), already migrated and seeded.
 */
export async function openDatabaseToPrepare(config: Config, log: (msg: string) => void = () => {}): Promise<{ database: Database; prepared: Promise<void> }> {
  const options = openOptions(config)
  const copyFrom = imageFor(config)
  const database = await openDatabase({ ...options, copyFrom, returnWhileStarting: true })
  if (copyFrom) log(`Started the embedded database from the prebuilt image of the seed (${SEEDS[config.seed as SeedName].label}).`)
  const prepared = prepareDatabase(database, options, async (db) => {
    const loaded = config.seed === 'none' ? null : await seedIfEmpty(db, config.seed)
    if (loaded) log(`Loaded the seed: ${loaded}.`)
    if (config.adminToken) await ensureAdminToken(db, config.adminToken)
  }).catch(async (err: unknown) => {
    await database.close()
    throw err
  })
  return { database, prepared }
}

/** Opens the configured database and prepares it (openDatabaseToPrepare), then returns it. */
export async function openPreparedDatabase(config: Config, log: (msg: string) => void = () => {}): Promise<Database> {
  const { database, prepared } = await openDatabaseToPrepare(config, log)
  await prepared
  return database
}
