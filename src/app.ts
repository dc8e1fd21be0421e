import crypto from 'node:crypto'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { sql } from 'drizzle-orm'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requestDeadlineOf, type Config } from './config.ts'
import { setTrustPolicy } from './trust/policy.ts'
import type { Db } from './db/open.ts'
import type { App, RouteDeps } from './http/types.ts'
import { registerErrorHandling } from './http/error-handler.ts'
import { registerContentTypes } from './http/content-types.ts'
import { registerOpenApi } from './http/openapi.ts'
import { registerSecurity } from './http/security.ts'
import { registerDeadline } from './http/deadline.ts'
import { registerIdempotency } from './http/idempotency.ts'
import { registerHeavyReadLimits } from './http/heavy-reads.ts'
import { registerStrictInput } from './http/strict-input.ts'
import { clientErrorHandler, frameworkErrors } from './http/client-errors.ts'
import { redactedUrl } from './http/log-serializers.ts'
import { safeError } from './http/log-serializers.ts'
import { sharedSchemas } from './http/schemas.ts'
import { schemaCompilers } from './http/schema-compilers.ts'
import { registerAuth } from './auth/hook.ts'
import { registerReadCache } from './http/read-cache-hook.ts'
import { registerWriteVisibility } from './http/write-visibility.ts'
import type { ReadCache } from './http/read-cache.ts'
import { ReadCacheFront, serverWithFront } from './http/read-cache-front.ts'
import { DataVersionWatch, type Listen } from './db/version-watch.ts'
import healthRoutes from './health/routes.ts'
import unitRoutes, { unitSchemas } from './units/routes.ts'
import authRoutes from './auth/routes.ts'
import auditRoutes from './audit/routes.ts'
import certificateRoutes from './certificates/routes.ts'
import { certificateSchemas } from './certificates/schemas.ts'
import trustRoutes, { trustSchemas } from './trust/routes.ts'
import crlRoutes from './crls/routes.ts'
import reportingRoutes, { reportingSchemas } from './reports/module.ts'
import dashboardRoutes from './dashboard/routes.ts'
import notifyRoutes from './notify/routes.ts'
import documentRoutes, { documentSchemas } from './documents/routes.ts'

export type BuildOptions = {
  db: Db
  config: Config
  /** Throws when the database does not answer; used by /health. */
  ping?: () => Promise<void>
  logger?: FastifyServerOptions['logger']
  /** The notification scheduler's clock (tests move it). */
  clock?: () => Date
  /** Notifications of the database (PostgreSQL): the read cache learns new data versions from them at once. */
  listen?: Listen
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The read cache, or null when READ_CACHE_MAX_BYTES is 0. */
    readCache: ReadCache | null
    /** Its front in the HTTP server (answers kept for everyone), or null with the cache off. */
    readCacheFront: ReadCacheFront | null
  }
}

export const ROUTE_MODULES = [healthRoutes, unitRoutes, authRoutes, auditRoutes, reportingRoutes, trustRoutes, certificateRoutes, crlRoutes, documentRoutes, dashboardRoutes, notifyRoutes]

export async function buildApp(options: BuildOptions): Promise<App> {
  const { db, config } = options
  const front = config.readCacheMaxBytes > 0 ? new ReadCacheFront(redactedUrl) : null
  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'token', 'body'], censor: '[redacted]' },
      serializers: {
        err: safeError,
        // The query string may carry a secret (?token=…): logged without its values.
        req: (req: { method: string; url: string; id?: string }) => ({ method: req.method, url: redactedUrl(req.url), id: req.id }),
      },
    },
    frameworkErrors,
    clientErrorHandler,
    bodyLimit: config.bodyLimit,
    trustProxy: false,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    schemaController: { compilersFactory: schemaCompilers() },
    ...(front ? { serverFactory: serverWithFront(front) } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>()
  front?.useLogger(app.log)

  for (const schema of [...sharedSchemas, ...unitSchemas, ...reportingSchemas, ...certificateSchemas, ...trustSchemas, ...documentSchemas]) app.addSchema(schema)
  registerErrorHandling(app)
  registerContentTypes(app)
  registerStrictInput(app)
  // First of all hooks, so that it also bounds the token lookup: statement + connect timeout + 5 s by default.
  registerDeadline(app, requestDeadlineOf(config))
  // Security headers first: an answer that the auth hook refuses (401, 403, 429) must carry them too.
  await registerSecurity(app, { writesPerMinute: config.rateLimitWritesPerMinute })
  registerAuth(app, db, { publicReports: config.publicReports, failedAuthPerMinute: config.rateLimitFailedAuthPerMinute })
  registerIdempotency(app, db, { caller: (request) => request.actor?.id ?? request.actor?.name ?? null, abandonAfterMs: 2 * requestDeadlineOf(config) })
  registerHeavyReadLimits(app, { concurrency: config.heavyReadConcurrency, anonymousPerMinute: config.heavyReadsPerMinute })
  // After authentication (onRequest): a cached answer goes only to whom the route would answer.
  const versions = new DataVersionWatch(db, { listen: options.listen, onError: (err) => app.log.warn({ err }, 'read cache: the data version lease could not be renewed') })
  const readCache = config.readCacheMaxBytes > 0 ? registerReadCache(app, { maxBytes: config.readCacheMaxBytes, versions, front }) : null
  registerWriteVisibility(app, versions)
  app.decorate('readCache', readCache)
  app.decorate('readCacheFront', front)
  await registerOpenApi(app)

  const ping = options.ping ?? (async () => { await db.execute(sql`select 1`) })
  setTrustPolicy(db, { policies: config.certificatePolicies, explicitPolicy: config.requireExplicitPolicy })
  const deps: RouteDeps = { db, config, ping, clock: options.clock }
  for (const routes of ROUTE_MODULES) await app.register(routes, deps)
  return app
}
