import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { HttpProblem } from './problem.ts'
import { DomainError } from '../lib/errors.ts'
import { isDatabaseUnavailable, isUniqueViolation } from '../db/errors.ts'
import { PoolBusy } from '../lib/worker-pool.ts'

const PROBLEM_JSON = 'application/problem+json; charset=utf-8'

export function sendProblem(reply: FastifyReply, refusal: HttpProblem | DomainError): FastifyReply {
  const problem = refusal instanceof DomainError ? HttpProblem.of(refusal) : refusal
  return reply.code(problem.status).type(PROBLEM_JSON).send(problem.body())
}

function validationDetail(err: FastifyError): string {
  const items = (err.validation ?? []).slice(0, 5).map((v) => {
    const where = `${err.validationContext ?? 'request'}${v.instancePath || ''}`
    const missing = (v.params as { missingProperty?: string })?.missingProperty
    return missing ? `${where}: missing ${missing}` : `${where} ${v.message ?? 'is invalid'}`
  })
  return items.length ? items.join('; ') : 'The request does not match the schema.'
}

/** Maps every error to problem+json. Messages of unknown errors are never sent or logged. */
export function toProblem(err: FastifyError, request: FastifyRequest): HttpProblem {
  if (err instanceof HttpProblem) return err
  if (err instanceof DomainError) return HttpProblem.of(err)
  if (err.validation) return new HttpProblem(400, 'bad_request', validationDetail(err))
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpProblem(413, 'payload_too_large', 'The body is larger than this server accepts (BODY_LIMIT).')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpProblem(415, 'unsupported_media_type', `Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')} is not accepted here.`)
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpProblem(400, 'bad_request', 'The JSON body is empty.')
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpProblem(400, 'malformed', 'The body is not valid JSON.')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpProblem(400, 'bad_request', 'Content-Length does not match the body.')
  }
  if (err.statusCode === 429) {
    return new HttpProblem(429, 'rate_limited', 'Too many requests. Wait before trying again.')
  }
  if (err instanceof SyntaxError && err.statusCode === 400) return new HttpProblem(400, 'malformed', 'The body is not valid JSON.')
  if (isDatabaseUnavailable(err)) return new HttpProblem(503, 'unavailable', 'The database is not answering. Try again in a moment.')
  if (err instanceof PoolBusy) return new HttpProblem(503, 'unavailable', err.message, { retryAfterSeconds: 5 })
  if (isUniqueViolation(err)) return new HttpProblem(409, 'duplicate', 'This record already exists.')
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 && err.code?.startsWith('FST_')) {
    return new HttpProblem(err.statusCode, 'bad_request', 'The request could not be read.')
  }
  return new HttpProblem(500, 'internal', 'Something went wrong on our side. The error was logged under the correlation id given here.', {
    correlationId: request.id,
  })
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const problem = toProblem(err, request)
    if (problem.status >= 500) {
      // Only the error's class and code: its message may hold SQL parameters or a PEM.
      request.log.error({ correlationId: request.id, errorName: err.name, errorCode: err.code ?? pgCode(err) }, 'request failed')
    }
    if ((problem.status === 429 || problem.extra.retryAfterSeconds !== undefined) && !reply.hasHeader('retry-after')) reply.header('retry-after', String(problem.extra.retryAfterSeconds as number | undefined ?? 60))
    return sendProblem(reply, problem)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new HttpProblem(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)))
}

function pgCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown } }).cause
  return typeof cause?.code === 'string' ? cause.code : undefined
}
