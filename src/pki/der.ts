import { malformed } from './errors.ts'

/** Position of one DER element inside a buffer. */
export type Tlv = { tag: number; constructed: boolean; start: number; contentStart: number; end: number }

/**
 * Reads the element at `offset`, refusing everything DER forbids in its header:
 * high tag numbers, indefinite lengths, non-minimal lengths, lengths past `limit`.
 * node-forge accepts BER here, so this is what keeps "exact DER bytes" meaningful.
 */
export function readTlv(buf: Buffer, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw malformed('The data ends in the middle of an ASN.1 element.')
  const first = buf[offset]
  if ((first & 0x1f) === 0x1f) throw malformed('The data uses an ASN.1 tag form that certificates do not use.')
  let pos = offset + 1
  const lenByte = buf[pos++]
  let length: number
  if (lenByte < 0x80) {
    length = lenByte
  } else {
    const n = lenByte & 0x7f
    if (n === 0) throw malformed('The data uses an indefinite length, which DER forbids.')
    if (n > 4 || pos + n > limit) throw malformed('The data has an impossible ASN.1 length.')
    if (buf[pos] === 0) throw malformed('The data has a non-minimal ASN.1 length.')
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++]
    if (length < 0x80) throw malformed('The data has a non-minimal ASN.1 length.')
  }
  const end = pos + length
  if (end > limit) throw malformed('The data is truncated: an ASN.1 element runs past its end.')
  return { tag: first, constructed: (first & 0x20) !== 0, start: offset, contentStart: pos, end }
}

export function childrenOf(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = []
  let pos = parent.contentStart
  while (pos < parent.end) {
    const child = readTlv(buf, pos, parent.end)
    out.push(child)
    pos = child.end
  }
  return out
}

/** Checks that `buf` is exactly one element and that every constructed element in it is valid DER framing. */
export function checkDerFraming(buf: Buffer, maxDepth = 32): Tlv {
  if (buf.length === 0) throw malformed('The data is empty.')
  const top = readTlv(buf, 0)
  if (top.end !== buf.length) throw malformed('There are extra bytes after the end of the ASN.1 structure.')
  const walk = (tlv: Tlv, depth: number): void => {
    if (!tlv.constructed) return
    if (depth > maxDepth) throw malformed('The ASN.1 structure is nested too deeply.')
    for (const c of childrenOf(buf, tlv)) walk(c, depth + 1)
  }
  walk(top, 0)
  return top
}

export function slice(buf: Buffer, tlv: Tlv): Buffer {
  return buf.subarray(tlv.start, tlv.end)
}
