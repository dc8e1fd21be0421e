import path from 'node:path'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export type Config = {
  port: number
  host: string
  databaseUrl: string | null
  dataDir: string
  adminToken: string | null
  bodyLimit: number
  publicReports: boolean
  logLevel: LogLevel
  seed: 'binh-thuan-2017' | 'none'
  dbConnectTimeoutSeconds: number
  dbStatementTimeoutMs: number
  dbPoolSize: number
  rateLimitWritesPerMinute: number
  rateLimitFailedAuthPerMinute: number
  heavyReadConcurrency: number
  heavyReadsPerMinute: number
  shutdownGraceMs: number
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`)
  const value = Number(raw.trim())
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`)
  return value
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (['true', '1', 'yes', 'on'].includes(raw)) return true
  if (['false', '0', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`)
}

/** Reads and validates the whole configuration. The only place that reads process.env. */
export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://')
  }
  const adminToken = env.ADMIN_TOKEN?.trim() || null
  if (adminToken !== null && adminToken.length < 16) {
    throw new ConfigError('ADMIN_TOKEN must be at least 16 characters long')
  }
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)
  const seed = env.SEED?.trim() || 'binh-thuan-2017'
  if (seed !== 'binh-thuan-2017' && seed !== 'none') throw new ConfigError('SEED must be binh-thuan-2017 or none')
  const host = env.HOST?.trim() || '127.0.0.1'
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host,
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    adminToken,
    bodyLimit: integer(env, 'BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    publicReports: boolean(env, 'PUBLIC_REPORTS', true),
    logLevel,
    seed,
    dbConnectTimeoutSeconds: integer(env, 'DB_CONNECT_TIMEOUT', 5, 1, 300),
    dbStatementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 1000),
    rateLimitWritesPerMinute: integer(env, 'RATE_LIMIT_WRITES_PER_MINUTE', 1200, 1, 1_000_000),
    rateLimitFailedAuthPerMinute: integer(env, 'RATE_LIMIT_FAILED_AUTH_PER_MINUTE', 60, 1, 1_000_000),
    heavyReadConcurrency: integer(env, 'HEAVY_READ_CONCURRENCY', 2, 1, 1000),
    heavyReadsPerMinute: integer(env, 'HEAVY_READS_PER_MINUTE', 60, 1, 1_000_000),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  }
}

/** A configuration for tests and tools: defaults, with overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // Tests read timelines and reports freely (the heavy-read limits have their own tests), and a busy machine
  // must not turn a slow answer into the request deadline's 503 (the outage tests set short timeouts themselves).
  return {
    ...loadConfig({ SEED: 'none', LOG_LEVEL: 'silent', HEAVY_READ_CONCURRENCY: '1000', HEAVY_READS_PER_MINUTE: '1000000', DB_STATEMENT_TIMEOUT_MS: '600000' }),
    ...overrides,
  }
}
