import type { FastifyInstance } from 'fastify'
import { Unavailable } from '../lib/errors.ts'

/**
 * No request outlives its deadline: a database that accepts connections but never answers (frozen, cut
 * off by the network) would otherwise hold a request until TCP gives up, since PostgreSQL's own
 * statement timeout runs on the server. When the deadline passes the client gets 503 `unavailable`;
 * the work itself ends when the driver gives up.
 *
 * Fastify's own `handlerTimeout` is not used: in fastify 5.12 it is disarmed as soon as a request body
 * has been read (the request's 'close' event is taken for a disconnect; fastify/fastify#6725), so it
 * never fires for a POST. This hook watches the response instead.
 */
declare module 'fastify' {
  interface FastifyRequest {
    /** True once the deadline has answered 503 for this request (its work may still be running). */
    deadlinePassed: boolean
  }
}

export function registerDeadline(app: FastifyInstance, deadlineMs: number): void {
  app.decorateRequest('deadlinePassed', false)
  if (deadlineMs <= 0) return
  app.addHook('onRequest', (request, reply, done) => {
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return
      request.log.warn({ deadlineMs }, 'request deadline passed: answering 503')
      request.deadlinePassed = true
      void reply.send(new Unavailable('The request took too long: the database is not answering. Try again in a moment.'))
    }, deadlineMs)
    reply.raw.once('close', () => clearTimeout(timer))
    done()
  })
}
