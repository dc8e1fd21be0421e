import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../db/open.ts'
import type { Access } from '../http/access.ts'
import { roleAllows, type Actor } from './actor.ts'
import { findActor } from './tokens.ts'
import { FailedAuthLimiter } from './failed-auth-limiter.ts'
import { Forbidden, RateLimited, Unauthorized } from '../lib/errors.ts'

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null
  }
}

function bearer(request: FastifyRequest): string | null | undefined {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(header)
  return match ? match[1] : null
}

/**
 * Authenticates every request and enforces the route's `access` level. Routes without one are refused
 * to anyone but an admin, so that a forgotten declaration fails closed.
 */
export function registerAuth(app: FastifyInstance, db: Db, options: { publicReports: boolean; failedAuthPerMinute: number }): void {
  const limiter = new FailedAuthLimiter(options.failedAuthPerMinute)
  app.decorateRequest('actor', null)
  // The API documentation (Swagger UI and its JSON) is always open.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/documentation')) route.config = { ...route.config, access: 'open' }
  })
  const authenticate = async (request: FastifyRequest, reply: FastifyReply, access: Access, token: string | null) => {
    const wait = limiter.retryAfter(request.ip)
    if (wait > 0) {
      reply.header('retry-after', String(wait))
      throw new RateLimited('Too many failed authentications from this address. Wait before trying again.')
    }
    const actor = token === null ? null : await findActor(db, token)
    if (!actor) {
      limiter.fail(request.ip)
      throw new Unauthorized('The token is not valid (unknown, revoked or badly formed).')
    }
    request.actor = actor
    authorize(request, access)
  }
  const authorize = (request: FastifyRequest, access: Access) => {
    if (access === 'open' || (access === 'public' && options.publicReports)) return
    if (!request.actor) throw new Unauthorized()
    if (!roleAllows(request.actor.role, access)) {
      throw new Forbidden(`This needs the ${access} role; the token has the ${request.actor.role} role.`)
    }
  }
  // A callback hook: a request without a token, the most common kind, is decided without a promise.
  app.addHook('onRequest', (request, reply, done) => {
    const access: Access = request.routeOptions.config?.access ?? (request.routeOptions.url ? 'admin' : 'open')
    const token = bearer(request)
    if (token !== undefined) {
      authenticate(request, reply, access, token).then(() => done(), done)
      return
    }
    try {
      authorize(request, access)
    } catch (err) {
      return done(err as Error)
    }
    done()
  })
}

/** The authenticated actor of a route that requires one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Unauthorized()
  return request.actor
}
