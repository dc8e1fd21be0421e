import { createHash } from 'node:crypto'
import type { Certificate } from '../certificate.ts'
import { childrenOf } from '../der.ts'
import { problem, type PkiProblem } from '../problems.ts'
import { TAG, contentOf, oidAt } from './der-values.ts'
import { CMS } from './oids.ts'
import { DIGESTS } from '../oids.ts'
import type { Attribute } from './signed-data.ts'

/**
 * ESS signing-certificate(-v2) (RFC 5035), which CAdES requires: when present, its first
 * certificate hash must be that of the signer's certificate, so a certificate swapped in
 * with the same key cannot claim the signature. Null when absent or matching.
 */
export function checkSigningCertificateAttr(der: Buffer, attrs: Attribute[], signer: Certificate | null): PkiProblem | null {
  const attr = attrs.find((a) => a.oid === CMS.signingCertificateV2 || a.oid === CMS.signingCertificate)
  if (!attr || !signer) return null
  const bad = problem('signing_certificate_mismatch', 'The signed reference to the signer\'s certificate (ESS signing-certificate) does not match the certificate in the signature.')
  try {
    const [certs] = childrenOf(der, attr.values[0])
    const [first] = childrenOf(der, certs)
    const f = childrenOf(der, first)
    let hash = attr.oid === CMS.signingCertificate ? 'sha1' : 'sha256'
    let i = 0
    if (attr.oid === CMS.signingCertificateV2 && f[0]?.tag === TAG.SEQUENCE) {
      const h = DIGESTS[oidAt(der, childrenOf(der, f[0])[0], 'the certificate hash algorithm')]
      if (!h) return null
      hash = h
      i = 1
    }
    const value = f[i]
    if (!value || value.tag !== TAG.OCTET_STRING) return bad
    return contentOf(der, value).equals(createHash(hash).update(signer.der).digest()) ? null : bad
  } catch {
    return bad
  }
}
