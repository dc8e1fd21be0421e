import forge from 'node-forge'
import { checkDerFraming } from './der.ts'
import { PkiInputError, malformed } from './errors.ts'
import { decodeOid } from './oid.ts'

export type Node = forge.asn1.Asn1
export const T = forge.asn1.Type
export const C = forge.asn1.Class

/** Parses one complete DER structure with node-forge (strict, all bytes), after our own framing check. */
export function parseDer(buf: Buffer): Node {
  checkDerFraming(buf)
  try {
    // The typings know only the boolean form; forge 1.x takes an options object.
    const fromDer = forge.asn1.fromDer as unknown as (bytes: string, o: object) => Node
    return fromDer(buf.toString('binary'), { strict: true, parseAllBytes: true, decodeBitStrings: false })
  } catch {
    throw malformed('The data is not valid ASN.1 DER.')
  }
}

/**
 * Runs a reader over node-forge structures so that nothing but a PkiInputError leaves it:
 * node-forge throws plain errors (and TypeErrors on shapes it did not expect) deep inside,
 * and each of those is a `malformed` answer for that input alone.
 */
export function guarded<R>(what: string, read: () => R): R {
  try {
    return read()
  } catch (e) {
    if (e instanceof PkiInputError) throw e
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw malformed(`The ${what} is nested too deeply to read.`)
    throw malformed(`The ${what} cannot be read as DER.`)
  }
}

export function kids(node: Node | undefined, what: string): Node[] {
  if (!node || !Array.isArray(node.value)) throw malformed(`Expected a structure for ${what}.`)
  return node.value
}

export function bytesOf(node: Node | undefined, what: string): string {
  if (!node || typeof node.value !== 'string') throw malformed(`Expected a value for ${what}.`)
  return node.value
}

export function isUniversal(node: Node | undefined, type: number): boolean {
  return !!node && node.tagClass === C.UNIVERSAL && node.type === type
}

export function isContext(node: Node | undefined, n: number): boolean {
  return !!node && node.tagClass === C.CONTEXT_SPECIFIC && node.type === n
}

export function expect(node: Node | undefined, type: number, what: string): Node {
  if (!isUniversal(node, type)) throw malformed(`Expected ${what}.`)
  return node as Node
}

export function oidOf(node: Node | undefined, what: string): string {
  const n = expect(node, T.OID, `an object identifier for ${what}`)
  if (typeof n.value !== 'string') throw malformed(`Invalid object identifier in ${what}.`)
  return decodeOid(Buffer.from(n.value, 'binary'), what)
}

/**
 * INTEGER contents as lowercase hex without leading zero bytes ("0" for zero); a negative
 * value (which RFC 5280 tells relying parties to tolerate in serial numbers) is "-" and its
 * magnitude, so that 255 ("ff") and -1 ("-1") never compare equal.
 */
export function integerHex(node: Node | undefined, what: string): string {
  const n = expect(node, T.INTEGER, `an integer for ${what}`)
  const raw = n.value as string
  if (raw.length === 0) throw malformed(`Empty integer in ${what}.`)
  const hexAll = Buffer.from(raw, 'binary').toString('hex')
  if (raw.charCodeAt(0) & 0x80) {
    const value = BigInt('0x' + hexAll) - (1n << BigInt(raw.length * 8))
    return '-' + (-value).toString(16)
  }
  const hex = hexAll.replace(/^(00)+/, '')
  return hex === '' ? '0' : hex
}

export function smallInteger(node: Node | undefined, what: string): number {
  const n = expect(node, T.INTEGER, `an integer for ${what}`)
  const raw = n.value as string
  if (raw.length === 0 || raw.length > 4 || (raw.charCodeAt(0) & 0x80)) throw malformed(`Integer out of range in ${what}.`)
  let v = 0
  for (let i = 0; i < raw.length; i++) v = v * 256 + raw.charCodeAt(i)
  return v
}

export function booleanOf(node: Node | undefined, what: string): boolean {
  const n = expect(node, T.BOOLEAN, `a boolean for ${what}`)
  const raw = n.value as string
  if (raw.length !== 1) throw malformed(`Invalid boolean in ${what}.`)
  return raw.charCodeAt(0) !== 0
}

/** BIT STRING contents without the unused-bits octet, plus that count. */
export function bitString(node: Node | undefined, what: string): { bytes: Buffer; unused: number } {
  const n = expect(node, T.BITSTRING, `a bit string for ${what}`)
  const raw = Buffer.from(n.value as string, 'binary')
  if (raw.length === 0 || raw[0] > 7 || (raw.length === 1 && raw[0] !== 0)) throw malformed(`Invalid bit string in ${what}.`)
  return { bytes: raw.subarray(1), unused: raw[0] }
}

export function toBuffer(binary: string): Buffer {
  return Buffer.from(binary, 'binary')
}

/** Re-encodes a parsed node; used only for display of unknown attribute values, never for signed bytes. */
export function reencode(node: Node): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary')
}
