/**
 * Idempotency-Key (IETF httpapi draft "The Idempotency-Key HTTP Header Field"): a write sent with the header
 * runs once per caller and key; a retry with the same key and the same request gets the first answer again
 * (with `Idempotent-Replayed: true`), a retry while the first still runs gets 409 with Retry-After, and the
 * same key on a different request 422. The answer is remembered for 24 hours.
 *
 * This is what makes a retry after the request deadline's 503 safe: the write behind a 503 may still commit.
 * The deadline's 503 leaves the reservation running, and the handler's own outcome completes it when it ends.
 * Answers that a retry should redo — 5xx, 429 — release the key.
 */
import crypto from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../db/open.ts'
import { HttpProblem } from './problem.ts'
import { BadRequest } from '../lib/errors.ts'
import { toProblem } from './error-handler.ts'
import { complete, release, reservation, reserve, type Reservation } from './idempotency-store.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The reserved key of a write sent with Idempotency-Key, until its answer is recorded. */
    idempotency: (Reservation & { recorded: boolean }) | null
  }
}

export const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const KEY = /^[\x21-\x7e]{1,255}$/
const JSON_TYPE = 'application/json; charset=utf-8'

/** The header as the OpenAPI document shows it on every authenticated write (openapi.ts); the hook below checks it. */
export const IDEMPOTENCY_HEADER = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string', minLength: 1, maxLength: 255,
      description: 'Makes a retry of this write safe: the same key and request within 24 hours get the first answer again (Idempotent-Replayed: true) instead of a second write; 409 while the first still runs, 422 if the key was used for another request. A UUID is a good key.',
    },
  },
}
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8'

export type IdempotencyOptions = {
  /** Who is asking (a token id), or null for an anonymous request: only authenticated writes are keyed. */
  caller: (request: FastifyRequest) => string | null
  /** After this long a reservation still running is taken to be abandoned (twice the request deadline). */
  abandonAfterMs: number
}

function requestHash(request: FastifyRequest): string {
  const hash = crypto.createHash('sha256').update(`${request.method} ${request.url}\n${request.headers['content-type'] ?? ''}\n`)
  const body = request.body
  if (Buffer.isBuffer(body) || typeof body === 'string') hash.update(body)
  else if (body !== undefined) hash.update(JSON.stringify(body))
  return hash.digest('hex')
}

/** Whether an answer is final for the key: a retry of a server failure or of a rate-limited request must run again. */
const isFinal = (status: number) => status < 500 && status !== 429

async function record(db: Db, request: FastifyRequest, status: number, contentType: string, body: string | null): Promise<void> {
  const r = request.idempotency
  if (!r || r.recorded) return
  r.recorded = true
  try {
    if (body !== null && isFinal(status)) await complete(db, r, status, contentType, body)
    else await release(db, r)
  } catch (err) {
    // The reservation stays running until it counts as abandoned; the answer itself is not held up.
    request.log.warn({ errorName: (err as Error).name }, 'the idempotency key could not be recorded')
  }
}

/**
 * Records the handler's own outcome when the deadline answered 503 before it ended: what it returned or sent
 * (a send after the 503 is kept instead of sent), or the problem its error maps to. A handler that set no
 * status leaves the deadline's 503 on the reply: its own answer was 200.
 */
function wrapHandler(db: Db, handler: (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown) {
  return async function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    if (!request.idempotency) return handler.call(this, request, reply)
    let late: { payload: unknown } | null = null
    const send = reply.send
    reply.send = function (this: FastifyReply, payload?: unknown) {
      if (request.deadlinePassed && reply.raw.writableEnded) {
        late = { payload }
        return reply
      }
      return send.call(this, payload)
    }
    try {
      const result = await handler.call(this, request, reply)
      if (request.deadlinePassed) {
        const payload = late ? (late as { payload: unknown }).payload : result === reply ? undefined : result
        // Sent before the 503 went out (a race of microseconds): its outcome is unknown here, the key stays running.
        if (payload !== undefined) await record(db, request, reply.statusCode === 503 ? 200 : reply.statusCode, JSON_TYPE, JSON.stringify(payload))
      }
      return result
    } catch (err) {
      if (request.deadlinePassed) {
        const problem = toProblem(err as Parameters<typeof toProblem>[0], request)
        await record(db, request, problem.status, PROBLEM_TYPE, JSON.stringify(problem.body()))
      }
      throw err
    }
  }
}

export function registerIdempotency(app: FastifyInstance, db: Db, options: IdempotencyOptions): void {
  app.decorateRequest('idempotency', null)
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (methods.some((m) => WRITES.has(m))) route.handler = wrapHandler(db, route.handler)
  })

  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key']
    if (key === undefined || !WRITES.has(request.method)) return
    const caller = options.caller(request)
    if (caller === null) return
    if (typeof key !== 'string' || !KEY.test(key)) throw new BadRequest('Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good key), sent once.')
    const r = reservation(caller, key, requestHash(request))
    const found = await reserve(db, r, options.abandonAfterMs)
    if (found.state === 'reserved') {
      request.idempotency = { ...r, recorded: false }
      return
    }
    if (found.state === 'mismatch') {
      throw new HttpProblem(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different request (method, path, content type or body). Use a new key for a new request.')
    }
    if (found.state === 'running') {
      throw new HttpProblem(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is still running. Retry after a moment to get its answer.', { retryAfterSeconds: 1 })
    }
    return reply.code(found.status).header('idempotent-replayed', 'true').type(found.contentType).send(found.body)
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    // The deadline's 503 goes out while the handler still runs: the handler records its own outcome.
    if (!request.idempotency || request.deadlinePassed) return done(null, payload)
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null
    record(db, request, reply.statusCode, String(reply.getHeader('content-type') ?? JSON_TYPE), body).then(() => done(null, payload), done)
  })
}
