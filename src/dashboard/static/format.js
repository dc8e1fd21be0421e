// Numbers, days and months as the page shows and reads them. Days are Vietnam days (UTC+07:00), as in the API.
import { LOCALES } from './i18n.js'
import { state } from './state.js'
import { t } from './text.js'

export const DAY_MS = 86_400_000
const VN_OFFSET_MS = 7 * 3_600_000

const locale = () => LOCALES[state.lang]
export { locale }
/**
 * A count or an amount. The API writes those beyond 2^53 − 1 as strings of decimal digits: they are formatted
 * as BigInt, which Intl groups digit for digit (a Number would round them).
 */
export const fmtInt = (n) => new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(typeof n === 'string' ? BigInt(n) : n)
export const fmtPct = (p) => `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(p)}%`
export const fmtDay = (day) => { const [y, m, d] = day.split('-'); return `${d}/${m}/${y}` }
export const fmtMonth = (month) => { const [y, m] = month.split('-'); return `${m}/${y}` }
/** The day (Vietnam time) of a timestamp. */
const dayOf = (iso) => new Date(Date.parse(iso) + VN_OFFSET_MS).toISOString().slice(0, 10)
export const fmtTimestampDay = (iso) => fmtDay(dayOf(iso))
/** A timestamp in Vietnam time, to the second: '15/11/2026 09:30:00'. */
export const fmtTimestamp = (iso) => { const s = new Date(Date.parse(iso) + VN_OFFSET_MS).toISOString(); return `${fmtDay(s.slice(0, 10))} ${s.slice(11, 19)}` }
/** Đồng (a whole number, or its digits as a string) in billions, to two decimals rounded half up, worked out in BigInt. */
export function fmtBillion(vnd) {
  const v = BigInt(vnd)
  const hundredths = ((v < 0n ? -v : v) + 5_000_000n) / 10_000_000n
  const decimal = new Intl.NumberFormat(locale()).formatToParts(0.5).find((p) => p.type === 'decimal').value
  return `${v < 0n ? '-' : ''}${fmtInt(hundredths / 100n)}${decimal}${String(hundredths % 100n).padStart(2, '0')}`
}

export function todayVn() {
  return new Date(Date.now() + VN_OFFSET_MS).toISOString().slice(0, 10)
}
export function isDay(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)
}
/** '31/12/2017' (also 31-12-2017, 31.12.2017, 2017-12-31) → '2017-12-31', or null. */
export function parseDay(text) {
  const s = text.trim()
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s)
  const iso = m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : (/^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null)
  return iso && isDay(iso) ? iso : null
}
/** '12/2017' (also 12-2017, 2017-12) → '2017-12', or null. */
export function parseMonth(text) {
  const s = text.trim()
  let m = /^(\d{1,2})[/.-](\d{4})$/.exec(s)
  if (m) { const mm = m[1].padStart(2, '0'); return /^(0[1-9]|1[0-2])$/.test(mm) ? `${m[2]}-${mm}` : null }
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(s)
  return m ? s : null
}
export function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number)
  const i = y * 12 + (m - 1) + n
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`
}
export function monthLabel(month) {
  const m = Number(month.slice(5, 7))
  if (state.lang === 'vi') return t('monthShort', { m })
  const name = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 1)))
  return t('monthShort', { name })
}
