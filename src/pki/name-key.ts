import { createHash } from 'node:crypto'

/** SHA-256 (hex) of a Name's DER: with the serial number it identifies a certificate on a CRL. */
export function nameKeyOf(nameDer: Uint8Array): string {
  return createHash('sha256').update(nameDer).digest('hex')
}
