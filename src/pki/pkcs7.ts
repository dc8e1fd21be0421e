import { checkDerFraming, childrenOf, slice } from './der.ts'
import { malformed } from './errors.ts'

/**
 * The certificate set of a PKCS#7 / CMS SignedData (a .p7b/.p7c bundle), as raw DER.
 * Walked by hand: node-forge's PKCS#7 reader refuses EC certificates.
 */
export function pkcs7Certificates(der: Buffer): Buffer[] {
  const top = checkDerFraming(der)
  const [, explicit] = childrenOf(der, top)
  if (!explicit || explicit.tag !== 0xa0) throw malformed('The PKCS#7 bundle has no content.')
  const [signedData] = childrenOf(der, explicit)
  if (!signedData || signedData.tag !== 0x30) throw malformed('The PKCS#7 bundle is not SignedData.')
  const certSet = childrenOf(der, signedData).find((p) => p.tag === 0xa0)
  if (!certSet) throw malformed('The PKCS#7 bundle holds no certificates.')
  return childrenOf(der, certSet).map((c) => {
    if (c.tag !== 0x30) throw malformed('The PKCS#7 bundle holds something other than X.509 certificates.')
    return slice(der, c)
  })
}
