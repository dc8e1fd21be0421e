/**
 * What a process does before it serves: open the configured database, migrate it, load the seed into an
 * empty one and make sure ADMIN_TOKEN exists. The server and the command line start here.
 */
import type { Config } from './config.ts'
import { openDatabase, type Database, type OpenOptions } from './db/open.ts'
import { prepareDatabase } from './db/migrate.ts'
import { seedIfEmpty } from './units/seed.ts'
import { ensureAdminToken } from './auth/tokens.ts'

export function openOptions(config: Config): OpenOptions {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    connectTimeoutSeconds: config.dbConnectTimeoutSeconds,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    poolSize: config.dbPoolSize,
  }
}

/** Opens the configured database, migrates it, seeds it when empty and makes sure ADMIN_TOKEN exists. */
export async function openPreparedDatabase(config: Config, log: (msg: string) => void = () => {}): Promise<Database> {
  const options = openOptions(config)
  const database = await openDatabase(options)
  try {
    await prepareDatabase(database, options, async (db) => {
      const loaded = config.seed === 'none' ? null : await seedIfEmpty(db, config.seed)
      if (loaded) log(`Loaded the seed: ${loaded}.`)
      if (config.adminToken) await ensureAdminToken(db, config.adminToken)
    })
  } catch (err) {
    await database.close()
    throw err
  }
  return database
}
