import { constants, verify } from 'node:crypto'
import type { Certificate } from '../certificate.ts'
import { checkDerFraming, childrenOf } from '../der.ts'
import { publicKeyOf } from '../signature.ts'
import { signatureAlgorithm } from '../signature-algorithms.ts'
import { oidAt, smallIntegerAt } from './der-values.ts'
import { DIGESTS, EC_PUBLIC_KEY, MGF1, RSASSA_PSS, RSA_ENCRYPTION } from '../oids.ts'

export type SignerCheck = 'ok' | 'bad' | 'unsupported'

type Pss = { hash: string; saltLength: number }

/** RSASSA-PSS-params (RFC 4055): only MGF1 with the same hash and trailer field 1 are accepted. */
function pssParams(params: Buffer | null): Pss | null {
  if (!params) return null
  try {
    const top = checkDerFraming(params)
    let hash = 'sha1'
    let mgfHash = 'sha1'
    let saltLength = 20
    for (const f of childrenOf(params, top)) {
      const [inner] = childrenOf(params, f)
      if (f.tag === 0xa0) {
        const h = DIGESTS[oidAt(params, childrenOf(params, inner)[0], 'the PSS hash')]
        if (!h) return null
        hash = h
      } else if (f.tag === 0xa1) {
        const [mgf, mgfParams] = childrenOf(params, inner)
        if (oidAt(params, mgf, 'the PSS mask') !== MGF1 || !mgfParams) return null
        const h = DIGESTS[oidAt(params, childrenOf(params, mgfParams)[0], 'the MGF1 hash')]
        if (!h) return null
        mgfHash = h
      } else if (f.tag === 0xa2) {
        saltLength = smallIntegerAt(params, inner, 'the PSS salt length')
      } else if (f.tag === 0xa3) {
        if (smallIntegerAt(params, inner, 'the PSS trailer') !== 1) return null
      } else {
        return null
      }
    }
    if (mgfHash !== hash) return null
    return { hash, saltLength }
  } catch {
    return null
  }
}

/** The signature algorithm's name for messages. */
export function signerAlgorithmName(signatureOid: string, digestOid: string): string {
  if (signatureOid === RSASSA_PSS) return 'RSASSA-PSS'
  if (signatureOid === RSA_ENCRYPTION) return `${DIGESTS[digestOid] ?? digestOid}WithRSAEncryption`
  if (signatureOid === EC_PUBLIC_KEY) return `ecdsa-with-${(DIGESTS[digestOid] ?? digestOid).toUpperCase()}`
  return signatureAlgorithm(signatureOid)?.name ?? signatureOid
}

/**
 * Checks a SignerInfo signature over `data` (the signed attributes, or the content when there
 * are none) with node:crypto: RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA, the hash taken from the
 * signature algorithm, or from the digest algorithm where the signature algorithm names only the key.
 */
export function checkSignerSignature(data: Buffer, signature: Buffer, signatureOid: string, params: Buffer | null, digestOid: string, signer: Certificate): SignerCheck {
  const key = publicKeyOf(signer)
  if (!key) return 'bad'
  const type = key.asymmetricKeyType
  try {
    if (signatureOid === RSASSA_PSS) {
      const pss = pssParams(params)
      if (!pss) return 'unsupported'
      if (type !== 'rsa' && type !== 'rsa-pss') return 'bad'
      return verify(pss.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature) ? 'ok' : 'bad'
    }
    let hash: string | undefined
    let keyType: string
    if (signatureOid === RSA_ENCRYPTION || signatureOid === EC_PUBLIC_KEY) {
      hash = DIGESTS[digestOid]
      keyType = signatureOid === RSA_ENCRYPTION ? 'rsa' : 'ec'
    } else {
      const alg = signatureAlgorithm(signatureOid)
      if (!alg || alg.weak === 'refused' || alg.key === 'Ed25519' || !alg.hash) return 'unsupported'
      hash = alg.hash
      keyType = alg.key === 'RSA' ? 'rsa' : 'ec'
    }
    if (!hash) return 'unsupported'
    if (type !== keyType) return 'bad'
    return verify(hash, data, key, signature) ? 'ok' : 'bad'
  } catch {
    return 'bad'
  }
}
