import { sql, type SQL } from 'drizzle-orm'
import { BadRequest } from '../lib/errors.ts'
import { monthCount } from '../lib/dates.ts'

export const COVERAGE_KINDS = ['organization', 'individual', 'any'] as const
export type CoverageKind = (typeof COVERAGE_KINDS)[number]

export const MAX_TIMELINE_MONTHS = 240
export const EXPIRY_WINDOW_DAYS = 90

/** Certificates (alias c) of the kind. */
export function kindFilter(kind: CoverageKind, alias = 'c'): SQL {
  return kind === 'any' ? sql`true` : sql`${sql.raw(alias)}.kind = ${kind}`
}

/**
 * Percent with two decimals, rounded down: 100 is reported only when every unit is covered
 * (11,161 of 11,162 is 99.99, never 100.00). No units: 0.
 */
export function percentOf(covered: number, total: number): number {
  if (total <= 0) return 0
  return Math.floor((covered * 10000) / total) / 100
}

/** Checks a month range: from ≤ to, at most `max` months. */
export function checkMonthRange(from: string, to: string, max = MAX_TIMELINE_MONTHS): void {
  const n = monthCount(from, to)
  if (n < 1) throw new BadRequest(`from (${from}) is after to (${to}).`)
  if (n > max) throw new BadRequest(`The range ${from}…${to} has ${n} months; at most ${max} are allowed.`)
}
