/**
 * The registry of problem codes and the domain errors built on it: every code is named once and well, an
 * answer code has its HTTP status and title, and a domain error becomes the problem+json answer of its code
 * (the body clients have always received: type, title, status, detail, code and the extra fields).
 */
import t from 'tap'
import { PROBLEM_CODES, answerCodes, codesIn, placesOf, statusOf, titleOf, type Place, type ProblemCode } from '../../src/lib/problem-codes.ts'
import { BadRequest, Conflict, DomainError, Forbidden, Malformed, NotFound, RateLimited, TooLarge, Unauthorized, Unavailable, Unprocessable } from '../../src/lib/errors.ts'
import { HttpProblem } from '../../src/http/problem.ts'

const PLACES: Place[] = ['certificate', 'reason', 'ca', 'document', 'rows', 'request', 'certificate warning', 'document warning']

t.test('every code is snake_case, has a summary, and answers or appears somewhere', async (t) => {
  for (const code of Object.keys(PROBLEM_CODES) as ProblemCode[]) {
    const info = PROBLEM_CODES[code] as { summary: string; status?: number; title?: string }
    t.match(code, /^[a-z]+(_[a-z]+)*$/, `${code}: snake_case`)
    t.ok(info.summary.length > 10, `${code}: a summary`)
    t.ok(info.status !== undefined || placesOf(code).length > 0, `${code}: answers a request or appears in one`)
    t.equal(info.status === undefined, info.title === undefined, `${code}: a status goes with a title`)
  }
  for (const place of PLACES) t.ok(codesIn(place).length > 0, `codes at ${place}`)
})

t.test('the answer codes and their statuses', async (t) => {
  t.same(Object.fromEntries(answerCodes().map((c) => [c, statusOf(c)])), {
    bad_request: 400, malformed: 400, unauthorized: 401, forbidden: 403, not_found: 404, duplicate: 409,
    payload_too_large: 413, unsupported_media_type: 415, unprocessable: 422, private_key_material: 422,
    too_many_signatures: 422, idempotency_in_progress: 409, idempotency_key_reused: 422, rate_limited: 429,
    unavailable: 503, internal: 500, untrusted_issuer: 422, bad_signature: 422, not_a_ca: 422,
  })
  t.equal(titleOf('duplicate'), 'Already recorded')
  t.equal(titleOf('untrusted_issuer'), 'Unprocessable content', 'a check that answers on its own reads as unprocessable content')
})

t.test('a domain error answers with the status and body of its code', async (t) => {
  const cases: [DomainError, number, string][] = [
    [new BadRequest('b'), 400, 'bad_request'],
    [new Malformed('m'), 400, 'malformed'],
    [new Unauthorized(), 401, 'unauthorized'],
    [new Forbidden('f'), 403, 'forbidden'],
    [new NotFound('n'), 404, 'not_found'],
    [new Conflict('c', 'id-1'), 409, 'duplicate'],
    [new TooLarge('t'), 413, 'payload_too_large'],
    [new Unprocessable('u', [{ code: 'unit_not_found', message: 'none' }]), 422, 'unprocessable'],
    [new Unprocessable('k', undefined, 'private_key_material'), 422, 'private_key_material'],
    [new RateLimited('r', 7), 429, 'rate_limited'],
    [new Unavailable(), 503, 'unavailable'],
  ]
  for (const [err, status, code] of cases) {
    t.ok(err instanceof Error, `${err.name} is an Error`)
    t.equal(err.status, status, `${code}: status`)
    const body = HttpProblem.of(err).body()
    t.same(Object.keys(body).slice(0, 5), ['type', 'title', 'status', 'detail', 'code'], `${code}: the fields in their order`)
    t.match(body, { type: `urn:kyso:problem:${code}`, status, code, detail: err.detail }, `${code}: body`)
  }
  t.same(HttpProblem.of(new Conflict('c', 'id-1')).body().existingId, 'id-1')
  t.same(HttpProblem.of(new RateLimited('r', 7)).body().retryAfterSeconds, 7)
  t.same(new Unprocessable('u', [{ code: 'unit_not_found', message: 'none' }]).problems, [{ code: 'unit_not_found', message: 'none' }])
  t.equal(new Unprocessable('k', undefined, 'private_key_material').problems, undefined, 'no problems field unless there are problems')
})
