import type { FastifyInstance } from 'fastify'
import type { DataVersionWatch } from '../db/version-watch.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** A write request that reached its handler: its answer waits until every instance has seen the new data. */
    wrote: boolean
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * A write request that reached its handler is answered only after `versions.afterWrite()`: once every
 * instance holding a read-cache lease has taken in the version it committed (db/version-watch.ts), so that
 * no read cache answers without it afterwards. On every instance, its own cache on or off: an instance
 * without a cache still writes for the others. Stops the lease when the app closes.
 */
export function registerWriteVisibility(app: FastifyInstance, versions: DataVersionWatch): void {
  app.decorateRequest('wrote', false)

  app.addHook('preHandler', (request, _reply, done) => {
    if (WRITES.has(request.method)) request.wrote = true
    done()
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    // The deadline's 503 goes out at once: it does not say the write is done.
    if (!request.wrote || request.deadlinePassed) return done(null, payload)
    // Meanwhile the deadline may have answered: then this answer is not sent.
    const finish = () => { if (!reply.raw.headersSent) done(null, payload) }
    versions.afterWrite().then(finish, (err: unknown) => {
      // The write is done; only its visibility to the other instances' caches could not be confirmed.
      request.log.warn({ err }, 'could not confirm that every instance has seen this write')
      finish()
    })
  })

  app.addHook('onClose', async () => { await versions.stop() })
}
