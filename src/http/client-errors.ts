/**
 * Errors raised before a request reaches the router's hooks: a URL that does not decode, a path
 * parameter too long (fastify's frameworkErrors), and what Node's HTTP parser refuses on the socket
 * (414 URI too long, 431 headers too large, 400 unparsable request). They are answered as
 * problem+json with the same security headers as every other answer: the hook that sets them never runs for them.
 */
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { HttpProblem } from './problem.ts'

/** The headers helmet sets that matter for an error body, fixed and strict (an error page loads nothing). */
export const ERROR_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
}

const PROBLEM_JSON = 'application/problem+json; charset=utf-8'

function frameworkProblem(err: FastifyError): HttpProblem {
  switch (err.code) {
    case 'FST_ERR_BAD_URL':
      return new HttpProblem(400, 'bad_request', 'The URL does not decode as UTF-8 text.')
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new HttpProblem(414, 'bad_request', 'A path segment is longer than this server reads (100 characters).')
    case 'FST_ERR_ASYNC_CONSTRAINT':
    default:
      return new HttpProblem(typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400, 'bad_request', 'The request could not be read.')
  }
}

/** fastify's `frameworkErrors` option. */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const problem = frameworkProblem(err)
  void reply.code(problem.status).headers(ERROR_SECURITY_HEADERS).type(PROBLEM_JSON).send(problem.body())
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request headers are larger than this server reads.'],
  HPE_URI_TOO_LONG: [414, 'URI Too Long', 'The URL is longer than this server reads.'],
}

/** fastify's `clientErrorHandler` option: answers on the raw socket, then closes it. */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) { socket.destroy(); return }
  const [status, reason, detail] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'The request could not be read as HTTP.']
  const body = JSON.stringify(new HttpProblem(status, 'bad_request', detail).body())
  const headers = { ...ERROR_SECURITY_HEADERS, 'content-type': PROBLEM_JSON, 'content-length': String(Buffer.byteLength(body)), connection: 'close' }
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${head}\r\n\r\n${body}`)
}
