/**
 * Days and months in Vietnam time (UTC+07:00, no daylight saving). A day `YYYY-MM-DD` used as `asOf`
 * means the end of that day, 23:59:59.999 +07:00; a month `YYYY-MM` is reported at the end of its last day.
 */

const VN_OFFSET_MS = 7 * 3600 * 1000

/** A real calendar day `YYYY-MM-DD` between the years 1900 and 2100. */
export function isDay(value: string): boolean {
  if (!/^(19\d\d|20\d\d|2100)-\d{2}-\d{2}$/.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value)
}

/** A month `YYYY-MM` between the years 1900 and 2100. */
export function isMonth(value: string): boolean {
  return /^(19\d\d|20\d\d|2100)-(0[1-9]|1[0-2])$/.test(value)
}

/** The end of a day in Vietnam time, as an ISO timestamp with its offset. */
export function endOfDayVn(day: string): string {
  return `${day}T23:59:59.999+07:00`
}

/** Today's date in Vietnam time. */
export function todayVn(now: Date = new Date()): string {
  return dayVn(now)
}

/** The day (YYYY-MM-DD) a moment falls on in Vietnam time. */
export function dayVn(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10)
}

/** The first moment (ms since the epoch) of the day after the one `ms` falls on in Vietnam time. */
export function nextMidnightVn(ms: number): number {
  const day = 24 * 3600 * 1000
  return (Math.floor((ms + VN_OFFSET_MS) / day) + 1) * day - VN_OFFSET_MS
}

/** The current month in Vietnam time. */
export function thisMonthVn(now: Date = new Date()): string {
  return todayVn(now).slice(0, 7)
}

/** `2017-12` → `2017-12-01` (how months are stored). */
export function monthStart(month: string): string {
  return `${month}-01`
}

/** `2017-02` → `2017-02-28`. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return `${month}-${String(last).padStart(2, '0')}`
}

/** Months from `from` to `to`, both included (0 or less when `to` is before `from`). */
export function monthCount(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number)
  const [ty, tm] = to.split('-').map(Number)
  return (ty - fy) * 12 + (tm - fm) + 1
}

/** `2017-12` plus n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number)
  const total = y * 12 + (m - 1) + n
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`
}

/** Dates as written in Vietnamese documents: `2017-12-31` → `31/12/2017`. */
export function formatDayVn(day: string): string {
  const [y, m, d] = day.slice(0, 10).split('-')
  return `${d}/${m}/${y}`
}

/** `2017-12` → `12/2017`. */
export function formatMonthVn(month: string): string {
  const [y, m] = month.split('-')
  return `${m}/${y}`
}
