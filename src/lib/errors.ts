/**
 * Refusals decided by the domain, thrown by services and read by whoever called them: the HTTP error
 * handler answers each with problem+json (src/http/problem.ts), the command line prints it. Each carries
 * a problem code of src/lib/problem-codes.ts, which fixes its HTTP status, a detail for people and, where
 * the answer has more to say, extra fields (`problems`, `existingId`, …).
 */
import { statusOf, type AnswerCode, type ProblemEntry } from './problem-codes.ts'

export type { ProblemEntry }

/**
 * An error that is an answer, not a fault: it captures no stack (a large batch may refuse a thousand items,
 * a flood of requests for missing pages makes as many 404s). Domain refusals and HTTP problems extend it.
 */
export class AnswerError extends Error {
  constructor(message: string) {
    const stackTraceLimit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message)
    Error.stackTraceLimit = stackTraceLimit
  }
}

export class DomainError extends AnswerError {
  readonly code: AnswerCode
  readonly detail: string
  readonly extra: Record<string, unknown>

  constructor(code: AnswerCode, detail: string, extra: Record<string, unknown> = {}) {
    super(detail)
    this.name = new.target.name
    this.code = code
    this.detail = detail
    this.extra = extra
  }

  /** The HTTP status of the code (also the status of a batch item refused with it). */
  get status(): number {
    return statusOf(this.code)
  }

  /** The entries of `problems`, if the refusal lists any. */
  get problems(): ProblemEntry[] | undefined {
    return this.extra.problems as ProblemEntry[] | undefined
  }
}

/** `bad_request`: a parameter, field or cursor is not valid. */
export class BadRequest extends DomainError {
  constructor(detail: string) {
    super('bad_request', detail)
  }
}

/** `malformed`: the body (a file, a certificate, a CRL) cannot be read. */
export class Malformed extends DomainError {
  constructor(detail: string) {
    super('malformed', detail)
  }
}

/** `unauthorized`: no valid token. */
export class Unauthorized extends DomainError {
  constructor(detail = 'A valid token is required: send "Authorization: Bearer <token>".') {
    super('unauthorized', detail)
  }
}

/** `forbidden`: the role does not allow it, or the unit is outside the token's scope. */
export class Forbidden extends DomainError {
  constructor(detail: string, problems?: ProblemEntry[]) {
    super('forbidden', detail, problems ? { problems } : {})
  }
}

/** `not_found`, with extra fields where the answer helps find what was meant (a unit's successors). */
export class NotFound extends DomainError {
  constructor(detail: string, extra?: Record<string, unknown>) {
    super('not_found', detail, extra)
  }
}

/** `duplicate`: already recorded; `existingId` names the record. */
export class Conflict extends DomainError {
  constructor(detail: string, existingId: string) {
    super('duplicate', detail, { existingId })
  }
}

/** `payload_too_large`: more items in the upload than one request reads. */
export class TooLarge extends DomainError {
  constructor(detail: string) {
    super('payload_too_large', detail)
  }
}

type UnprocessableCode = Extract<AnswerCode, 'unprocessable' | 'untrusted_issuer' | 'bad_signature' | 'not_a_ca' | 'private_key_material' | 'too_many_signatures'>

/** 422: read but refused; `problems` says what failed. The code is `unprocessable` unless one check decides it all. */
export class Unprocessable extends DomainError {
  constructor(detail: string, problems?: ProblemEntry[], code: UnprocessableCode = 'unprocessable') {
    super(code, detail, problems ? { problems } : {})
  }
}

/** `rate_limited`: too many of something; `retryAfterSeconds` when the wait is known. */
export class RateLimited extends DomainError {
  constructor(detail: string, retryAfterSeconds?: number) {
    super('rate_limited', detail, retryAfterSeconds === undefined ? {} : { retryAfterSeconds })
  }
}

/** `unavailable`: the database does not answer, or too much work waits. */
export class Unavailable extends DomainError {
  constructor(detail = 'The database is not answering. Try again in a moment.') {
    super('unavailable', detail)
  }
}
