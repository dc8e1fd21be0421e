/** RFC 9457 problem details. `code` is the stable, machine-readable part clients rely on. */

export type ProblemEntry = { code: string; message: string; [key: string]: unknown }

export type ProblemBody = {
  type: string
  title: string
  status: number
  detail: string
  code: string
  problems?: ProblemEntry[]
  [key: string]: unknown
}

const TITLES: Record<string, string> = {
  bad_request: 'Bad request',
  malformed: 'Malformed input',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  duplicate: 'Already recorded',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  not_acceptable: 'Not acceptable',
  unprocessable: 'Unprocessable content',
  private_key_material: 'Private key material refused',
  rate_limited: 'Too many requests',
  idempotency_in_progress: 'Request still in progress',
  idempotency_key_reused: 'Idempotency key reused',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
}

export function problemType(code: string): string {
  return `urn:kyso:problem:${code}`
}

export class HttpProblem extends Error {
  readonly status: number
  readonly code: string
  readonly detail: string
  readonly extra: Record<string, unknown>

  constructor(status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
    super(detail)
    this.name = 'HttpProblem'
    this.status = status
    this.code = code
    this.detail = detail
    this.extra = extra
  }

  body(): ProblemBody {
    return {
      type: problemType(this.code),
      title: TITLES[this.code] ?? TITLES.unprocessable,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...this.extra,
    }
  }
}

export const badRequest = (detail: string) => new HttpProblem(400, 'bad_request', detail)
export const malformed = (detail: string, extra?: Record<string, unknown>) => new HttpProblem(400, 'malformed', detail, extra)
export const unauthorized = (detail = 'A valid token is required: send "Authorization: Bearer <token>".') =>
  new HttpProblem(401, 'unauthorized', detail)
export const forbidden = (detail: string) => new HttpProblem(403, 'forbidden', detail)
export const notFound = (detail: string, extra?: Record<string, unknown>) => new HttpProblem(404, 'not_found', detail, extra)
export const duplicate = (detail: string, existingId: string) => new HttpProblem(409, 'duplicate', detail, { existingId })
export const unprocessable = (detail: string, problems: ProblemEntry[], code = 'unprocessable') =>
  new HttpProblem(422, code, detail, { problems })
export const unavailable = (detail = 'The database is not answering. Try again in a moment.') =>
  new HttpProblem(503, 'unavailable', detail)
