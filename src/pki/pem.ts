import { malformed } from './errors.ts'

export type PemBlock = { label: string; der: Buffer }

const BEGIN = /-----BEGIN ([A-Z0-9 #]+)-----/g

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n')
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`
}

/** Strict base64: only the alphabet, whitespace between, correct padding. */
export function decodeBase64(text: string, what: string): Buffer {
  const compact = text.replace(/[\s]+/g, '')
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw malformed(`The ${what} is not valid base64.`)
  }
  const out = Buffer.from(compact, 'base64')
  if (out.toString('base64') !== compact) throw malformed(`The ${what} is not valid base64.`)
  return out
}

export function looksLikePem(text: string): boolean {
  return text.includes('-----BEGIN ')
}

/** Every armoured block in order. Labels are returned as found; the caller decides what each may be. */
export function pemBlocks(text: string): { label: string; body: string }[] {
  const blocks: { label: string; body: string }[] = []
  BEGIN.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = BEGIN.exec(text)) !== null) {
    const label = m[1]
    const endMarker = `-----END ${label}-----`
    const end = text.indexOf(endMarker, BEGIN.lastIndex)
    if (end < 0) throw malformed(`A PEM block (${label}) has no matching END line.`)
    blocks.push({ label, body: text.slice(BEGIN.lastIndex, end) })
    BEGIN.lastIndex = end + endMarker.length
  }
  return blocks
}

/** PEM headers (Proc-Type etc.) sit before a blank line inside the block. */
export function pemBody(body: string): string {
  return body.includes(':') ? body.slice(body.search(/\r?\n\r?\n/) + 1) : body
}
