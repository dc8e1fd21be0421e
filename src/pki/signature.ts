import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto'
import { lazyCache } from '../lib/lazy-cache.ts'
import type { Certificate } from './certificate.ts'
import { detailsOf } from './certificate.ts'
import { signatureAlgorithm, type SignatureSpec } from './signature-algorithms.ts'

export type SignatureCheck = 'ok' | 'bad' | 'unsupported'

const keys = lazyCache((cert: Certificate): KeyObject | null => {
  try {
    return createPublicKey({ key: cert.publicKeyDer, format: 'der', type: 'spki' })
  } catch {
    return null
  }
})

export function publicKeyOf(cert: Certificate): KeyObject | null {
  return keys.get(cert)
}

/** Checks `signature` over `tbs` with the issuer's key, using node:crypto only. */
export function checkSignature(tbs: Buffer, signature: Buffer, spec: string | SignatureSpec, issuer: Certificate): SignatureCheck {
  const alg = signatureAlgorithm(spec)
  if (!alg) return 'unsupported'
  const key = publicKeyOf(issuer)
  if (!key) return 'bad'
  const type = key.asymmetricKeyType
  // An RSA-PSS key (RFC 4055 1.2) may make PSS signatures only.
  const fits = (alg.key === 'RSA' && (type === 'rsa' || (type === 'rsa-pss' && !!alg.pss)))
    || (alg.key === 'EC' && type === 'ec') || (alg.key === 'Ed25519' && type === 'ed25519')
  if (!fits) return 'bad'
  try {
    const k = alg.pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.pss.saltLength } : key
    return verify(alg.hash, tbs, k, signature) ? 'ok' : 'bad'
  } catch {
    return 'bad'
  }
}

/** The signature algorithm of a certificate, with its RSASSA-PSS parameters. */
export function signatureSpecOf(cert: Certificate): SignatureSpec {
  return { oid: cert.signatureOid, pss: detailsOf(cert).signaturePss }
}

// Results for links whose child is a CA certificate: these repeat on every
// verification through the same intermediates, so they are worth remembering.
const LINK_CACHE_LIMIT = 50_000
const links = new Map<string, SignatureCheck>()

export function checkLink(child: Certificate, issuer: Certificate, spend: () => boolean): SignatureCheck | 'budget' {
  const cacheable = child.basicConstraints?.cA === true
  const k = child.fingerprintSha256 + issuer.fingerprintSha256
  if (cacheable) {
    const hit = links.get(k)
    if (hit) return hit
  }
  if (!spend()) return 'budget'
  const r = checkSignature(child.tbsDer, child.signature, signatureSpecOf(child), issuer)
  if (cacheable) {
    if (links.size >= LINK_CACHE_LIMIT) links.clear()
    links.set(k, r)
  }
  return r
}
