/**
 * Strict reading of dates given by clients. A day is `YYYY-MM-DD`, a real calendar day with a year from
 * 1900 to 2100; an instant is a full ISO 8601 timestamp with its offset (`Z` or `±HH:MM`): a timestamp
 * without offset would be read in the server's zone, and `Date.parse` accepts far too much ("1" is 2001).
 */

export const MIN_YEAR = 1900
export const MAX_YEAR = 2100

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const MONTH = /^(\d{4})-(\d{2})$/
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function dayOk(y: number, m: number, d: number): boolean {
  return y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

/** True for a real calendar day `YYYY-MM-DD` between 1900 and 2100. */
export function isStrictDay(text: string): boolean {
  const m = DAY.exec(text)
  return m !== null && dayOk(Number(m[1]), Number(m[2]), Number(m[3]))
}

/** True for a month `YYYY-MM` between 1900 and 2100. */
export function isStrictMonth(text: string): boolean {
  const m = MONTH.exec(text)
  return m !== null && dayOk(Number(m[1]), Number(m[2]), 1)
}

/** A full ISO 8601 timestamp with offset, or null. */
export function parseInstant(text: string): Date | null {
  const m = INSTANT.exec(text)
  if (!m) return null
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number)
  if (!dayOk(y, mo, d) || h > 23 || mi > 59 || s > 59) return null
  if (m[8] !== 'Z' && (Number(m[9]) > 14 || Number(m[10]) > 59)) return null
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? null : date
}

/** The start of a day in Vietnam time (UTC+07:00). */
export function startOfVietnamDay(day: string): Date {
  return new Date(`${day}T00:00:00.000+07:00`)
}

/** A day (its start in Vietnam time) or a full timestamp with offset; null for anything else. */
export function parseMomentStrict(text: string): Date | null {
  if (isStrictDay(text)) return startOfVietnamDay(text)
  return parseInstant(text)
}
