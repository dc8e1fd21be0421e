import { malformed } from './errors.ts'

/** Longest OID content accepted: far beyond any real one, short enough to keep decoding cheap. */
const MAX_OID_BYTES = 256

/**
 * Decodes the contents of a DER OBJECT IDENTIFIER to dotted form, with arbitrarily
 * large arcs (X.667 UUID arcs under 2.25 exceed 2^53, where node-forge's decoder throws).
 * Refuses non-minimal arc encodings (a leading 0x80 octet) and truncated arcs, as DER does.
 */
export function decodeOid(raw: Buffer, what: string): string {
  if (raw.length === 0 || raw.length > MAX_OID_BYTES) throw malformed(`Invalid object identifier in ${what}.`)
  if ((raw[raw.length - 1] & 0x80) !== 0) throw malformed(`Invalid object identifier in ${what}.`)
  const arcs: bigint[] = []
  let v = 0n
  let start = true
  for (const b of raw) {
    if (start && b === 0x80) throw malformed(`Invalid object identifier in ${what}: an arc is not minimally encoded.`)
    v = (v << 7n) | BigInt(b & 0x7f)
    start = (b & 0x80) === 0
    if (start) { arcs.push(v); v = 0n }
  }
  const first = arcs[0]
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n]
  return [...head, ...arcs.slice(1)].join('.')
}
