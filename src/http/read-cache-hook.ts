import crypto from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { todayVn } from '../lib/dates.ts'
import { ReadCache } from './read-cache.ts'
import type { SingleFlightVersion } from '../db/data-version.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET whose answer depends only on its URL, the day and the data: answered from the read cache. */
    cache?: boolean
  }
  interface FastifyRequest {
    readCache: { key: string; version: number; etag: string; served: boolean } | null
  }
}

/** The headers of an answer that are part of it (the others, security headers included, are set per request). */
const KEPT_HEADERS = ['content-type', 'content-disposition']

/** Weak comparison (RFC 9110 8.8.3.2) of an If-None-Match header with our ETag. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  const opaque = etag.replace(/^W\//, '')
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque)
}

/**
 * Answers the routes marked `config.cache` from memory while the data version has not moved. Runs as a
 * preHandler, after authentication and authorization (onRequest), so an answer is never served to someone
 * the route would refuse. The key holds the URL (query included), whether a token was given, and today's
 * date in Vietnam (answers default to today). Every answer carries an ETag of version and key, and
 * `Cache-Control: no-cache`; a matching If-None-Match gets 304. Only 200 answers are kept.
 */
export function registerReadCache(app: FastifyInstance, options: { maxBytes: number; versions: SingleFlightVersion }): ReadCache {
  const cache = new ReadCache(options.maxBytes)
  app.decorateRequest('readCache', null)

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET' || request.routeOptions.config?.cache !== true) return
    const version = await options.versions.current()
    const key = `${request.method} ${request.url} ${request.actor ? 'token' : 'public'} ${todayVn()}`
    const etag = `W/"${version}-${crypto.createHash('sha256').update(key).digest('base64url').slice(0, 16)}"`
    const state = { key, version, etag, served: false }
    request.readCache = state
    reply.header('etag', etag).header('cache-control', 'no-cache')
    if (etagMatches(request.headers['if-none-match'], etag)) {
      state.served = true
      return reply.code(304).send()
    }
    const hit = cache.get(key, version)
    if (hit) {
      state.served = true
      for (const [name, value] of Object.entries(hit.headers)) reply.header(name, value)
      return reply.send(hit.body)
    }
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const state = request.readCache
    if (!state) return payload
    const status = reply.statusCode
    if (status !== 200 && status !== 304) {
      reply.removeHeader('etag')
      reply.removeHeader('cache-control')
      return payload
    }
    if (state.served || status !== 200) return payload
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload
    const headers: Record<string, string> = {}
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name)
      if (value !== undefined) headers[name] = String(value)
    }
    cache.set(state.key, { version: state.version, body: Buffer.isBuffer(payload) ? payload : Buffer.from(payload), headers })
    return payload
  })
  return cache
}
