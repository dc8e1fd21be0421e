import forge from 'node-forge'
import { readTlv, type Tlv } from '../der.ts'
import { malformed } from '../errors.ts'

/*
 * Small readers over exact DER positions (der.ts). CMS verification must hash and check the
 * bytes as they were signed, so it walks positions rather than re-encoded node-forge trees.
 */

export const TAG = { INTEGER: 0x02, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30, SET: 0x31, UTCTIME: 0x17, GENERALIZEDTIME: 0x18 } as const

export function contentOf(buf: Buffer, tlv: Tlv): Buffer {
  return buf.subarray(tlv.contentStart, tlv.end)
}

export function need(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv || tlv.tag !== tag) throw malformed(`Expected ${what}.`)
  return tlv
}

export function oidAt(buf: Buffer, tlv: Tlv | undefined, what: string): string {
  const t = need(tlv, TAG.OID, `an object identifier for ${what}`)
  const raw = contentOf(buf, t)
  if (raw.length === 0 || (raw[raw.length - 1] & 0x80) !== 0) throw malformed(`Invalid object identifier in ${what}.`)
  return forge.asn1.derToOid(raw.toString('binary'))
}

export function integerHexAt(buf: Buffer, tlv: Tlv | undefined, what: string): string {
  const raw = contentOf(buf, need(tlv, TAG.INTEGER, `an integer for ${what}`))
  if (raw.length === 0) throw malformed(`Empty integer in ${what}.`)
  const hex = raw.toString('hex').replace(/^(00)+/, '')
  return hex === '' ? '0' : hex
}

export function smallIntegerAt(buf: Buffer, tlv: Tlv | undefined, what: string): number {
  const raw = contentOf(buf, need(tlv, TAG.INTEGER, `an integer for ${what}`))
  if (raw.length === 0 || raw.length > 4 || (raw[0] & 0x80)) throw malformed(`Integer out of range in ${what}.`)
  return raw.readUIntBE(0, raw.length)
}

const UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/
const GEN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/

/** UTCTime or GeneralizedTime (with optional fraction, as RFC 3161 genTime allows), UTC only. */
export function timeAt(buf: Buffer, tlv: Tlv | undefined, what: string): Date {
  if (!tlv) throw malformed(`Missing time in ${what}.`)
  const text = contentOf(buf, tlv).toString('latin1')
  let m: RegExpExecArray | null
  let year: number
  if (tlv.tag === TAG.UTCTIME && (m = UTC.exec(text))) {
    year = Number(m[1]) < 50 ? 2000 + Number(m[1]) : 1900 + Number(m[1])
  } else if (tlv.tag === TAG.GENERALIZEDTIME && (m = GEN.exec(text))) {
    year = Number(m[1])
  } else {
    throw malformed(`Invalid time in ${what}.`)
  }
  const [mo, d, h, mi, s] = [2, 3, 4, 5, 6].map((i) => Number(m[i]))
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s, ms))
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || date.getUTCHours() !== h || s > 59) throw malformed(`Impossible date in ${what}.`)
  return date
}

/** The first DER element of `buf`; bytes after it are allowed only where a caller says so (PDF /Contents padding). */
export function firstElement(buf: Buffer, allowZeroPadding: boolean): Buffer {
  const top = readTlv(buf, 0)
  if (top.end !== buf.length) {
    const rest = buf.subarray(top.end)
    if (!allowZeroPadding || rest.some((b) => b !== 0)) throw malformed('There are extra bytes after the end of the signature structure.')
  }
  return buf.subarray(0, top.end)
}
