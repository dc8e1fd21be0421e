/**
 * RFC 9457 problem details: the wire form of every refusal. Domain errors (src/lib/errors.ts) become one
 * here; the HTTP layer builds its own for what only it knows (a media type, a rate limit, a bad URL).
 */
import { AnswerError, type DomainError } from '../lib/errors.ts'
import { titleOf, type AnswerCode, type ProblemEntry } from '../lib/problem-codes.ts'

export type ProblemBody = {
  type: string
  title: string
  status: number
  detail: string
  code: string
  problems?: ProblemEntry[]
  [key: string]: unknown
}

export function problemType(code: string): string {
  return `urn:kyso:problem:${code}`
}

export class HttpProblem extends AnswerError {
  readonly status: number
  readonly code: AnswerCode
  readonly detail: string
  readonly extra: Record<string, unknown>

  constructor(status: number, code: AnswerCode, detail: string, extra: Record<string, unknown> = {}) {
    super(detail)
    this.name = 'HttpProblem'
    this.status = status
    this.code = code
    this.detail = detail
    this.extra = extra
  }

  /** A domain error as an answer: the status its code has. */
  static of(err: DomainError): HttpProblem {
    return new HttpProblem(err.status, err.code, err.detail, err.extra)
  }

  body(): ProblemBody {
    return {
      type: problemType(this.code),
      title: titleOf(this.code),
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...this.extra,
    }
  }
}
