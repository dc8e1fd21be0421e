import crypto from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { dayVn, nextMidnightVn } from '../lib/dates.ts'
import { ReadCache } from './read-cache.ts'
import type { ReadCacheFront } from './read-cache-front.ts'
import { etagMatches } from './etag.ts'
import { SECURITY_HEADERS } from './security.ts'
import type { DataVersionWatch } from '../db/version-watch.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET whose answer depends only on its URL, the day and the data: answered from the read cache. */
    cache?: boolean
  }
  interface FastifyRequest {
    readCache: { key: string; version: number; served: boolean; public: boolean } | null
  }
}

/** The headers of an answer that are part of it (the others, security headers included, are set per request). */
const KEPT_HEADERS = ['content-type', 'content-disposition']

function etagOf(version: number, key: string): string {
  return `W/"${version}-${crypto.createHash('sha256').update(key).digest('base64url').slice(0, 16)}"`
}

/**
 * Answers the routes marked `config.cache` from memory while the data version has not moved. Runs as the
 * last onRequest hook, after authentication and authorization, so an answer is never served to someone the
 * route would refuse; before validation, which a kept answer has passed: only 200 answers are kept, and the
 * key holds the whole URL (query included), whether a token was given, and today's date in Vietnam (answers
 * default to today). A kept answer costs no computation, so the limits on heavy reads (a preHandler) count
 * only the reads that compute. Every answer carries an ETag of version and key, and
 * `Cache-Control: no-cache`; a matching If-None-Match gets 304.
 *
 * Answers kept for everyone are also served by `front`, before Fastify (read-cache-front.ts). That a read
 * after a write never finds the cache behind is write-visibility.ts's part.
 */
export function registerReadCache(app: FastifyInstance, options: { maxBytes: number; versions: DataVersionWatch; front: ReadCacheFront | null }): ReadCache {
  const { versions, front } = options
  const cache = new ReadCache(options.maxBytes)
  const today = dayInVietnam()
  front?.open({ cache, version: () => versions.knownNow(), today })
  app.decorateRequest('readCache', null)

  const answer = (request: FastifyRequest, reply: FastifyReply, version: number, done: HookHandlerDoneFunction) => {
    const key = `${request.url} ${request.actor ? 'token' : 'public'} ${today()}`
    const state = { key, version, served: false, public: !request.actor }
    request.readCache = state
    const hit = cache.get(key, version)
    const etag = hit ? hit.headers.etag : etagOf(version, key)
    if (etagMatches(request.headers['if-none-match'], etag)) {
      state.served = true
      reply.code(304).header('etag', etag).header('cache-control', 'no-cache').send()
    } else if (hit) {
      state.served = true
      reply.headers(hit.headers).send(hit.body)
    } else {
      reply.header('etag', etag).header('cache-control', 'no-cache')
      done()
    }
  }

  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' || request.routeOptions.config?.cache !== true) return done()
    const version = versions.current()
    if (typeof version === 'number') answer(request, reply, version, done)
    else version.then((v) => answer(request, reply, v, done), done)
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    const state = request.readCache
    if (!state) return done(null, payload)
    const status = reply.statusCode
    if (status !== 200 && status !== 304) {
      reply.removeHeader('etag')
      reply.removeHeader('cache-control')
      return done(null, payload)
    }
    if (state.served || status !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return done(null, payload)
    const headers: Record<string, string> = {}
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name)
      if (value !== undefined) headers[name] = String(value)
    }
    headers.etag = String(reply.getHeader('etag'))
    headers['cache-control'] = 'no-cache'
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload)
    const forEveryone = state.public
      ? { sent: { ...SECURITY_HEADERS, ...headers, 'content-length': String(body.byteLength) }, notModified: { ...SECURITY_HEADERS, etag: headers.etag, 'cache-control': 'no-cache' } }
      : {}
    cache.set(state.key, { version: state.version, body, headers, ...forEveryone })
    done(null, payload)
  })

  app.addHook('preClose', (done) => {
    front?.close()
    done()
  })
  return cache
}

/** Today's date in Vietnam (YYYY-MM-DD), worked out again only when a day has passed. */
function dayInVietnam(): () => string {
  let day = ''
  let until = 0
  return () => {
    const now = Date.now()
    if (now >= until) {
      day = dayVn(new Date(now))
      until = nextMidnightVn(now)
    }
    return day
  }
}
