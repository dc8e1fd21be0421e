import { lazyCache } from '../lib/lazy-cache.ts'

/**
 * A decoder whose objects keep part of what was decoded (`details`) off themselves, so that they serialise and
 * cross threads as plain data. The details of a parse are kept from it; an object that arrives without them
 * (a structured clone) has them decoded again from its DER.
 */
export function decodedWithDetails<T extends { der: Buffer }, D extends object>(decode: (der: Buffer) => { value: T; details: D }) {
  const details = lazyCache((value: T) => decode(value.der).details)
  return {
    parse(der: Buffer): T {
      const decoded = decode(der)
      details.set(decoded.value, decoded.details)
      return decoded.value
    },
    detailsOf: (value: T): D => details.get(value),
  }
}
