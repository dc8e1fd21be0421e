import { BadRequest } from './errors.ts'
import { isDay } from './dates.ts'

/**
 * Strict reading of instants given by clients (days: `isDay` in dates.ts). An instant is a full ISO 8601
 * timestamp with its offset (`Z` or `±HH:MM`): a timestamp without offset would be read in the server's
 * zone, and `Date.parse` accepts far too much ("1" is 2001).
 */

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/

/** A full ISO 8601 timestamp with offset, or null. */
export function parseInstant(text: string): Date | null {
  const m = INSTANT.exec(text)
  if (!m) return null
  const [h, mi, s] = [m[4], m[5], m[6] ?? '0'].map(Number)
  if (!isDay(`${m[1]}-${m[2]}-${m[3]}`) || h > 23 || mi > 59 || s > 59) return null
  if (m[8] !== 'Z' && (Number(m[9]) > 14 || Number(m[10]) > 59)) return null
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? null : date
}

/** The start of a day in Vietnam time (UTC+07:00). */
function startOfVietnamDay(day: string): Date {
  return new Date(`${day}T00:00:00.000+07:00`)
}

/** A day (its start in Vietnam time) or a full timestamp with offset; null for anything else. */
export function parseMomentStrict(text: string): Date | null {
  if (isDay(text)) return startOfVietnamDay(text)
  return parseInstant(text)
}

/** `parseMomentStrict`, or a 400 naming the parameter (`what`) and both accepted forms. */
export function parseMoment(text: string, what: string): Date {
  const d = parseMomentStrict(text)
  if (!d) throw new BadRequest(`${what} ${JSON.stringify(text.slice(0, 40))} is neither a calendar day (YYYY-MM-DD, 1900–2100) nor an ISO 8601 timestamp with its offset (2017-06-01T08:00:00+07:00).`)
  return d
}
