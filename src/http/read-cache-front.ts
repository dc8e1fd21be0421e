import crypto from 'node:crypto'
import http from 'node:http'
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify'
import type { ReadCache } from './read-cache.ts'
import { etagMatches } from './etag.ts'

/** What the front needs to answer: the cache, the data version when known without a query, today's date. */
export type FrontSource = {
  cache: ReadCache
  /** The data version while this instance's lease holds, else null (the front then lets Fastify answer). */
  version: () => number | null
  today: () => string
}

/**
 * The front of the read cache, in the HTTP server's request listener: a GET without credentials whose
 * answer is kept for everyone (key `<url> public <day>`) at the current data version is answered here, with
 * the headers Fastify sent it with, before routing, hooks and logging contexts are built for it. Everything
 * else goes on to Fastify: requests with an Authorization header (authentication must run, and may refuse),
 * answers not kept, and all reads while the data version is not known without asking the database. An
 * anonymous answer is kept only after the route answered 200 to an anonymous request for the same URL on
 * the same day, so the front answers only what the route would. At log level info it logs each answer as
 * Fastify does ("request completed").
 */
export class ReadCacheFront {
  private source: FrontSource | null = null
  private closing = false
  /** Answers given here since the start. */
  answered = 0

  private log: FastifyBaseLogger | null = null
  private readonly describe: (url: string) => string

  /** `describe` gives the URL as logs may show it (without secrets). */
  constructor(describe: (url: string) => string) {
    this.describe = describe
  }

  /** The app's logger (built with the app, after its server); requests are logged at info and below. */
  useLogger(log: FastifyBaseLogger): void {
    this.log = ['info', 'debug', 'trace'].includes(log.level) ? log : null
  }

  /** Starts answering from `source`; until then, and after close(), every request goes to Fastify. */
  open(source: FrontSource): void { this.source = source }
  close(): void { this.closing = true }

  /** Answers `req` and returns true, or returns false and leaves it untouched. */
  answer(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const source = this.source
    if (source === null || this.closing || req.method !== 'GET' || req.headers.authorization !== undefined || req.url === undefined) return false
    const version = source.version()
    if (version === null) return false
    const hit = source.cache.get(`${req.url} public ${source.today()}`, version)
    if (!hit?.sent || !hit.notModified) return false
    const started = performance.now()
    this.answered++
    if (etagMatches(req.headers['if-none-match'], hit.headers.etag)) {
      res.writeHead(304, hit.notModified)
      res.end()
    } else {
      res.writeHead(200, hit.sent)
      res.end(hit.body)
    }
    if (this.log) {
      const id = crypto.randomUUID()
      this.log.info({ reqId: id, req: { method: req.method, url: this.describe(req.url), id }, res: { statusCode: res.statusCode }, responseTime: performance.now() - started, readCache: 'front' }, 'request completed')
    }
    return true
  }
}

/**
 * Fastify's own HTTP/1 server (lib/server.js: the same timeouts), with `front` asked first for each request.
 * For Fastify's `serverFactory` option.
 */
export function serverWithFront(front: ReadCacheFront): NonNullable<FastifyServerOptions['serverFactory']> {
  return (handler, fastifyOptions) => {
    const options = fastifyOptions as { http?: http.ServerOptions; keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number }
    const server = http.createServer(options.http ?? {}, (req, res) => {
      if (!front.answer(req, res)) handler(req, res)
    })
    server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000
    server.requestTimeout = options.requestTimeout ?? 0
    server.setTimeout(options.connectionTimeout ?? 0)
    return server
  }
}
