import './db/pglite-preload.ts'
import { loadConfig, ConfigError } from './config.ts'
import { openDatabaseToPrepare } from './bootstrap.ts'
import { DataDirInUseError } from './db/pglite-lock.ts'
import module from 'node:module'

// Node.js 22 and later keep the compiled code of the modules loaded from here on (the application) on disk,
// in the system's temporary folder, for the next start.
const { enableCompileCache } = module as { enableCompileCache?: () => unknown }
enableCompileCache?.()

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`kyso: configuration error: ${err.message}`)
      process.exit(2)
    }
    throw err
  }

  // The application's modules load on this thread while the embedded database starts in its own, and the
  // routes are built while the database is migrated and seeded: building them runs no query.
  const appModule = import('./app.ts')
  appModule.catch(() => {})
  const failed = (err: unknown): never => {
    if (err instanceof DataDirInUseError) {
      console.error(`kyso: ${err.message}`)
      process.exit(3)
    }
    console.error(`kyso: could not open the database (${config.databaseUrl ? 'PostgreSQL at DATABASE_URL' : `embedded, in ${config.dataDir}`}): ${(err as Error).name} ${(err as { code?: string }).code ?? ''}`)
    process.exit(1)
  }
  const { database, prepared } = await openDatabaseToPrepare(config, (msg) => console.log(msg)).catch(failed)
  prepared.catch(() => {})

  const { buildApp } = await appModule
  const listen = database.kind === 'postgres' ? database.client.listen.bind(database.client) : undefined
  const app = await buildApp({ db: database.db, config, ping: database.ping, listen })
  await app.ready()
  await prepared.catch(failed)
  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down: finishing requests in flight')
    const timer = setTimeout(() => {
      app.log.error('shutdown took too long; exiting')
      process.exit(1)
    }, config.shutdownGraceMs + 5000)
    timer.unref()
    try {
      await app.close()
    } finally {
      await database.close()
    }
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  await app.listen({ port: config.port, host: config.host })
  app.log.info(`Kyso is serving on http://${config.host}:${config.port} (API docs at /documentation, ${database.kind === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL at DATABASE_URL'})`)
}

main().catch((err) => {
  console.error(`kyso: failed to start: ${(err as Error).name} ${(err as { code?: string }).code ?? ''}`)
  process.exit(1)
})
