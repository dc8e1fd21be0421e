import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { HttpProblem } from './problem.ts'

export type HeavyReadLimits = {
  /** Heavy reads answered at once by this process; one more gets 429. */
  concurrency: number
  /** Heavy reads one address may make per minute without a token. */
  anonymousPerMinute: number
}

/** The reads whose cost grows with the country, the months or the year: the timeline, national coverage, reports. */
export function isHeavyRead(url: string, query: unknown): boolean {
  if (url === '/v1/coverage/timeline' || url.startsWith('/v1/reports/')) return true
  return url === '/v1/coverage' && !(query as { parent?: unknown } | undefined)?.parent
}

/** Counts per key in fixed one-minute windows (per process). */
class MinuteCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>()
  private readonly max: number

  constructor(max: number) {
    this.max = max
  }

  /** Counts one more; seconds to wait when that is over the limit, else 0. */
  take(key: string, now = Date.now()): number {
    let w = this.windows.get(key)
    if (!w || now >= w.resetAt) {
      if (this.windows.size >= 100_000) for (const [k, old] of this.windows) if (now >= old.resetAt) this.windows.delete(k)
      w = { count: 0, resetAt: now + 60_000 }
      this.windows.set(key, w)
    }
    if (w.count >= this.max) return Math.max(1, Math.ceil((w.resetAt - now) / 1000))
    w.count++
    return 0
  }
}

/**
 * Bounds the expensive public reads: at most `concurrency` at once (others get 429, Retry-After 1), and
 * `anonymousPerMinute` a minute from one address without a token. Runs after validation, so a refused
 * query string costs nothing. Counters live in this process's memory.
 */
export function registerHeavyReadLimits(app: FastifyInstance, limits: HeavyReadLimits): void {
  const perAddress = new MinuteCounter(limits.anonymousPerMinute)
  let running = 0
  const holding = new WeakSet<FastifyRequest>()
  const release = (request: FastifyRequest) => {
    if (holding.delete(request)) running--
  }
  const refuse = (reply: FastifyReply, seconds: number, detail: string) => {
    reply.header('retry-after', String(seconds))
    return new HttpProblem(429, 'rate_limited', detail)
  }
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return
    const url = request.routeOptions.url
    if (!url || !isHeavyRead(url, request.query)) return
    if (!request.actor) {
      const wait = perAddress.take(request.ip)
      if (wait > 0) throw refuse(reply, wait, `Too many coverage timelines, national coverage reads and reports from this address: at most ${limits.anonymousPerMinute} a minute without a token. Retry in ${wait} s.`)
    }
    if (running >= limits.concurrency) throw refuse(reply, 1, 'The server is answering as many coverage timelines, national coverage reads and reports as it can at once. Retry in a second.')
    running++
    holding.add(request)
    // The slot is freed once the answer is ready, or when the connection closes first.
    reply.raw.once('close', () => release(request))
  })
  app.addHook('onSend', (request, _reply, payload, done) => {
    release(request)
    done(null, payload)
  })
}
