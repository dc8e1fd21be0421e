import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type HelmetOptions } from 'helmet'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HttpProblem } from './problem.ts'

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

const HELMET: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      // Kyso is often reached over plain HTTP on a provincial network; upgrading would break every asset there.
      upgradeInsecureRequests: null,
    },
  },
  crossOriginEmbedderPolicy: false,
}

/**
 * The headers helmet sets with these options, computed once. They depend on no request, and helmet's
 * Fastify plugin builds its middleware again for every request (a tenth of a cached read's time).
 */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: unknown) => { headers[name.toLowerCase()] = String(value) },
    removeHeader: (name: string) => { delete headers[name.toLowerCase()] },
  }
  helmet(HELMET)({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return headers
}

/** The security headers of every answer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze(helmetHeaders())

/**
 * Security headers on every answer, and a write budget per token. Failed authentications are
 * limited separately, per address, in auth/hook.ts. Counters live in this process's memory:
 * behind a load balancer each instance counts on its own.
 */
export async function registerSecurity(app: FastifyInstance, options: { writesPerMinute: number }): Promise<void> {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS)
    done()
  })
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: options.writesPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => (request.actor?.id ? `token:${request.actor.id}` : `ip:${request.ip}`),
    allowList: (request: FastifyRequest) => READS.has(request.method) || !request.actor,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(429, 'rate_limited', `Too many writes with this token: at most ${context.max} a minute. Retry in ${context.after}.`),
  })
}
