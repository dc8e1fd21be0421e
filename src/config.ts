import path from 'node:path'

/** The seeds an empty database can be loaded with (SEED; src/units/seed.ts): `vietnam` is every unit version since 2017 with lineage. */
export const SEED_NAMES = ['vietnam', 'binh-thuan-2017'] as const
export type SeedName = (typeof SEED_NAMES)[number]

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
  seed: SeedName | 'none'
  dbConnectTimeoutSeconds: number
  dbStatementTimeoutMs: number
  /** Milliseconds after which a request is answered 503; null: the statement and connect timeouts plus 5 s. */
  requestDeadlineMs: number | null
  dbPoolSize: number
  rateLimitWritesPerMinute: number
  rateLimitFailedAuthPerMinute: number
  heavyReadConcurrency: number
  heavyReadsPerMinute: number
  shutdownGraceMs: number
  /** user-initial-policy-set for registrations (RFC 5280 6.1.1 (c)); empty: anyPolicy. */
  certificatePolicies: string[]
  requireExplicitPolicy: boolean
  /** Seconds between two runs of the notification scheduler; 0 turns it off in this process. */
  notifyIntervalSeconds: number
  /** Accept webhook targets on private, loopback and link-local addresses (tests, closed networks). */
  webhookAllowPrivate: boolean
  webhookTimeoutMs: number
  /** How long a failing notice is retried before it is given up, in hours (at least 24). */
  notifyRetryHours: number
  smtpUrl: string | null
  smtpFrom: string
  /** 32-byte key (base64) sealing webhook secrets at rest; null stores them as given. */
  webhookSecretKey: Buffer | null
  /** Bytes of answers the read cache may hold; 0 turns the cache (and ETags) off. */
  readCacheMaxBytes: number
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

function oidList(env: Env, name: string): string[] {
  const raw = env[name]?.trim()
  if (!raw) return []
  const list = raw.split(',').map((s) => s.trim()).filter((s) => s !== '')
  for (const oid of list) if (!/^[0-2](\.\d+)+$/.test(oid)) throw new ConfigError(`${name} must be a comma-separated list of OIDs, got "${oid}"`)
  return list
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
  const seed = env.SEED?.trim() || 'vietnam'
  if (seed !== 'none' && !(SEED_NAMES as readonly string[]).includes(seed)) throw new ConfigError(`SEED must be one of ${SEED_NAMES.join(', ')} or none`)
  const host = env.HOST?.trim() || '127.0.0.1'
  const smtpUrl = env.SMTP_URL?.trim() || null
  if (smtpUrl !== null && !/^smtps?:\/\/[^/]+/.test(smtpUrl)) throw new ConfigError('SMTP_URL must look like smtp://host:port or smtps://user:password@host:port')
  const webhookSecretKey = env.WEBHOOK_SECRET_KEY?.trim() ? Buffer.from(env.WEBHOOK_SECRET_KEY.trim(), 'base64') : null
  if (webhookSecretKey && webhookSecretKey.length !== 32) throw new ConfigError('WEBHOOK_SECRET_KEY must be the base64 of 32 bytes (openssl rand -base64 32)')
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host,
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    adminToken,
    bodyLimit: integer(env, 'BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    publicReports: boolean(env, 'PUBLIC_REPORTS', true),
    logLevel,
    seed: seed as SeedName | 'none',
    dbConnectTimeoutSeconds: integer(env, 'DB_CONNECT_TIMEOUT', 5, 1, 300),
    dbStatementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    requestDeadlineMs: env.REQUEST_DEADLINE_MS ? integer(env, 'REQUEST_DEADLINE_MS', 0, 100, 3_600_000) : null,
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 1000),
    rateLimitWritesPerMinute: integer(env, 'RATE_LIMIT_WRITES_PER_MINUTE', 1200, 1, 1_000_000),
    rateLimitFailedAuthPerMinute: integer(env, 'RATE_LIMIT_FAILED_AUTH_PER_MINUTE', 60, 1, 1_000_000),
    heavyReadConcurrency: integer(env, 'HEAVY_READ_CONCURRENCY', 2, 1, 1000),
    heavyReadsPerMinute: integer(env, 'HEAVY_READS_PER_MINUTE', 60, 1, 1_000_000),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    certificatePolicies: oidList(env, 'CERTIFICATE_POLICIES'),
    requireExplicitPolicy: boolean(env, 'REQUIRE_EXPLICIT_POLICY', false),
    notifyIntervalSeconds: integer(env, 'NOTIFY_INTERVAL_SECONDS', 60, 0, 86_400),
    webhookAllowPrivate: boolean(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    notifyRetryHours: integer(env, 'NOTIFY_RETRY_HOURS', 25, 24, 24 * 14),
    smtpUrl,
    smtpFrom: env.SMTP_FROM?.trim() || 'Kyso <kyso@localhost>',
    webhookSecretKey,
    readCacheMaxBytes: integer(env, 'READ_CACHE_MAX_BYTES', 64 * 2 ** 20, 0, 2 ** 40),
  }
}

/** A configuration for tests and tools: defaults, with overrides. */
/** The request deadline in force (see registerDeadline). */
export function requestDeadlineOf(config: Config): number {
  return config.requestDeadlineMs ?? config.dbStatementTimeoutMs + config.dbConnectTimeoutSeconds * 1000 + 5_000
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  // Tests read timelines and reports freely (the heavy-read limits have their own tests), and a busy machine
  // must not turn a slow answer into the request deadline's 503 (the outage tests set short timeouts themselves).
  return {
    ...loadConfig({
      SEED: 'none', LOG_LEVEL: 'silent', NOTIFY_INTERVAL_SECONDS: '0',
      HEAVY_READ_CONCURRENCY: '1000', HEAVY_READS_PER_MINUTE: '1000000', DB_STATEMENT_TIMEOUT_MS: '600000',
    }),
    ...overrides,
  }
}
