/**
 * Writes that carry many items (a certificate batch) cost their size against a per-token budget of items
 * a minute, on top of the one-per-request write limit of security.ts: else one request a minute could
 * repeat the heaviest batch forever. In this process's memory, like the other limits.
 */
import type { FastifyRequest } from 'fastify'
import { HttpProblem } from './problem.ts'

type Window = { start: number; used: number }

const WINDOW_MS = 60_000
const MAX_KEYS = 10_000
const windows = new Map<string, Window>()

/** Spends `items` of the caller's budget for this minute, or throws 429 with Retry-After. */
export function chargeItems(request: FastifyRequest, items: number, perMinute: number, now = Date.now()): void {
  const key = request.actor?.id ? `token:${request.actor.id}` : `ip:${request.ip}`
  let w = windows.get(key)
  if (!w || now - w.start >= WINDOW_MS) {
    if (windows.size >= MAX_KEYS) windows.clear()
    w = { start: now, used: 0 }
    windows.set(key, w)
  }
  if (w.used + items > perMinute) {
    const retry = Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000))
    throw new HttpProblem(429, 'rate_limited', `This batch of ${items} items would exceed this token's ${perMinute} certificate items a minute (${w.used} used). Retry in ${retry} s, or send smaller batches.`, { retryAfterSeconds: retry })
  }
  w.used += items
}
