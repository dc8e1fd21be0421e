import { T, type Node } from './asn1.ts'
import { malformed } from './errors.ts'

const UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/
const GEN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/

/** RFC 5280 4.1.2.5: UTCTime YYMMDDHHMMSSZ (YY < 50 is 20YY) or GeneralizedTime YYYYMMDDHHMMSSZ, no fractions. */
export function parseTime(node: Node | undefined, what: string): Date {
  if (!node || node.tagClass !== 0 || typeof node.value !== 'string') throw malformed(`Missing time in ${what}.`)
  let m: RegExpExecArray | null
  let year: number
  if (node.type === T.UTCTIME) {
    m = UTC.exec(node.value)
    if (!m) throw malformed(`Invalid UTCTime in ${what}.`)
    const yy = Number(m[1])
    year = yy < 50 ? 2000 + yy : 1900 + yy
  } else if (node.type === T.GENERALIZEDTIME) {
    m = GEN.exec(node.value)
    if (!m) throw malformed(`Invalid GeneralizedTime in ${what}.`)
    year = Number(m[1])
  } else {
    throw malformed(`Expected a time in ${what}.`)
  }
  const [mo, d, h, mi, s] = [2, 3, 4, 5, 6].map((i) => Number(m[i]))
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d
    || date.getUTCHours() !== h || date.getUTCMinutes() !== mi || s > 59) {
    throw malformed(`Impossible date in ${what}.`)
  }
  if (year < 100) date.setUTCFullYear(year)
  return date
}

/** Validation instants are compared at whole seconds, as certificate times are encoded. */
export function floorToSecond(d: Date): number {
  return Math.floor(d.getTime() / 1000) * 1000
}
