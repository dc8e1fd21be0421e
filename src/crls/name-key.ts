import crypto from 'node:crypto'

/**
 * SHA-256 (hex) of a Name's DER. With the serial number it identifies a certificate on a CRL: recorded
 * certificates keep their issuer's (certificates.issuer_key), CRL entries their signing CA's subject's.
 */
export function nameKeyOf(nameDer: Buffer): string {
  return crypto.createHash('sha256').update(nameDer).digest('hex')
}
