import type { Certificate } from './certificate.ts'
import { crlDetailsOf, crlSignatureSpec, type Crl } from './crl.ts'
import { detailsOf } from './certificate.ts'
import { checkSignature } from './signature.ts'

/** True if `issuer` has the CRL's issuer name and its key verifies the CRL's signature. */
export function verifyCrlSignature(crl: Crl, issuer: Certificate): boolean {
  if (crlDetailsOf(crl).issuerName.key !== detailsOf(issuer).subjectName.key) return false
  return checkSignature(crl.tbsDer, crl.signature, crlSignatureSpec(crl), issuer) === 'ok'
}
