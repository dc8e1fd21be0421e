import crypto from 'node:crypto'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { sql } from 'drizzle-orm'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.ts'
import { setTrustPolicy } from './certificates/trust-policy.ts'
import type { Db } from './db/open.ts'
import type { App, RouteDeps } from './http/types.ts'
import { registerErrorHandling } from './http/error-handler.ts'
import { registerContentTypes } from './http/content-types.ts'
import { registerOpenApi } from './http/openapi.ts'
import { registerSecurity } from './http/security.ts'
import { registerDeadline } from './http/deadline.ts'
import { safeError } from './http/log-serializers.ts'
import { sharedSchemas } from './http/schemas.ts'
import { registerAuth } from './auth/hook.ts'
import { registerReadCache } from './http/read-cache-hook.ts'
import type { ReadCache } from './http/read-cache.ts'
import { SingleFlightVersion, readDataVersion } from './db/data-version.ts'
import healthRoutes from './health/routes.ts'
import unitRoutes, { unitSchemas } from './units/routes.ts'
import authRoutes from './auth/routes.ts'
import certificateRoutes, { certificateSchemas } from './certificates/routes.ts'
import trustRoutes from './certificates/trust-routes.ts'
import reportingRoutes, { reportingSchemas } from './reports/module.ts'
import dashboardRoutes from './dashboard/routes.ts'

export type BuildOptions = {
  db: Db
  config: Config
  /** Throws when the database does not answer; used by /health. */
  ping?: () => Promise<void>
  logger?: FastifyServerOptions['logger']
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The read cache, or null when READ_CACHE_MAX_BYTES is 0. */
    readCache: ReadCache | null
  }
}

export const ROUTE_MODULES = [healthRoutes, unitRoutes, authRoutes, reportingRoutes, trustRoutes, certificateRoutes, dashboardRoutes]

export async function buildApp(options: BuildOptions): Promise<App> {
  const { db, config } = options
  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'token', 'body'], censor: '[redacted]' },
      serializers: { err: safeError },
    },
    bodyLimit: config.bodyLimit,
    trustProxy: false,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  for (const schema of [...sharedSchemas, ...unitSchemas, ...reportingSchemas, ...certificateSchemas]) app.addSchema(schema)
  registerErrorHandling(app)
  registerContentTypes(app)
  // First of all hooks, so that it also bounds the token lookup: statement + connect timeout + 5 s.
  registerDeadline(app, config.dbStatementTimeoutMs + config.dbConnectTimeoutSeconds * 1000 + 5_000)
  // Security headers first: an answer that the auth hook refuses (401, 403, 429) must carry them too.
  await registerSecurity(app, { writesPerMinute: config.rateLimitWritesPerMinute })
  registerAuth(app, db, { publicReports: config.publicReports, failedAuthPerMinute: config.rateLimitFailedAuthPerMinute })
  // After authentication (onRequest): a cached answer goes only to whom the route would answer.
  const readCache = config.readCacheMaxBytes > 0
    ? registerReadCache(app, { maxBytes: config.readCacheMaxBytes, versions: new SingleFlightVersion(() => readDataVersion(db)) })
    : null
  app.decorate('readCache', readCache)
  await registerOpenApi(app)

  const ping = options.ping ?? (async () => { await db.execute(sql`select 1`) })
  setTrustPolicy(db, { policies: config.certificatePolicies, explicitPolicy: config.requireExplicitPolicy })
  const deps: RouteDeps = { db, config, ping }
  for (const routes of ROUTE_MODULES) await app.register(routes, deps)
  return app
}
