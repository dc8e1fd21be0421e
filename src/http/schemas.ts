import { Type, type TSchema } from 'typebox'
import { answerCodes, placesOf } from '../lib/problem-codes.ts'

/** Shared schemas carry an $id so that the OpenAPI document names them instead of numbering them. */

/** The answer codes that are not also certificate checks (those are named by the routes that check). */
const GENERAL_CODES = answerCodes().filter((code) => !placesOf(code).includes('certificate') && !placesOf(code).includes('ca'))

export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'A URI naming the kind of problem (urn:kyso:problem:<code>).' }),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String({ description: 'What went wrong, in plain words.' }),
  code: Type.String({ description: `Stable machine-readable code: ${GENERAL_CODES.join(', ')}, or a certificate check code.` }),
  problems: Type.Optional(Type.Array(Type.Object({
    code: Type.String(),
    message: Type.String(),
  }, { additionalProperties: true }))),
  existingId: Type.Optional(Type.String({ description: 'With 409 duplicate: the id of the record that already exists.' })),
  correlationId: Type.Optional(Type.String({ description: 'With 500: quote it when reporting the problem; the server log carries the same id.' })),
}, { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details (application/problem+json).' })

export const ProblemRef = Type.Ref('Problem')

export const sharedSchemas: TSchema[] = [ProblemSchema]

/** Standard error answers, to spread into a route's `response`. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {}
  for (const status of statuses) out[status] = ProblemRef
  return out
}

/** The answer of a cached read (http/read-cache-hook.ts) to a current If-None-Match. */
export const notModified = {
  304: Type.Null({ description: 'Not modified: the If-None-Match tag is the current answer\'s ETag. No body.' }),
}

/** Years 1900–2100: wider than any certificate or report Kyso holds, narrow enough for every date library. */
const YEAR = '(19\\d\\d|20\\d\\d|2100)'
export const DateString = (description: string) =>
  Type.String({ format: 'date', pattern: `^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$`, description: `${description} (YYYY-MM-DD, a real calendar day from 1900 to 2100, in Vietnam time)` })
export const MonthString = (description: string) =>
  Type.String({ pattern: `^${YEAR}-(0[1-9]|1[0-2])$`, description: `${description} (YYYY-MM, 1900 to 2100)` })
export const UnitCode = (description = 'GSO administrative unit code') =>
  Type.String({ pattern: '^[0-9]{1,10}$', description })
export const Cursor = Type.Optional(Type.String({ maxLength: 200, description: 'Opaque cursor from the previous page\'s nextCursor.' }))
export const Limit = (max = 500, dflt = 50) =>
  Type.Optional(Type.Integer({ minimum: 1, maximum: max, default: dflt, description: `Page size (1–${max}, default ${dflt})` }))

/** The rule of lib/exact-integer.ts, as the OpenAPI document states it. */
const EXACT_INTEGER_RULE = 'A JSON number up to 9007199254740991 (2^53 − 1, Number.MAX_SAFE_INTEGER: larger integers lose digits in parsers that read numbers as doubles), a string of its decimal digits beyond (e.g. "184467440737095516150")'

/** A count or amount that may outgrow a double: a number while it is a safe integer, a decimal string beyond. */
export const ExactIntegerSchema = (description?: string) => Type.Union([
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  Type.String({ pattern: '^[0-9]+$' }),
], { description: description ? `${description}. ${EXACT_INTEGER_RULE}` : EXACT_INTEGER_RULE })

/** A string enum, typed as its members and written as `enum` in the OpenAPI document. */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}

/** A body read raw (PEM, DER, PKCS#7…), described for the OpenAPI document. */
export const rawBody = (description: string) => ({ schema: Type.Unsafe<unknown>({ description }) })

/** The body of a CSV upload (text/csv, read raw by http/content-types.ts). */
export const CsvBody = Type.Unsafe<Buffer>({ contentMediaType: 'text/csv', description: 'The CSV file' })
