import { T, bitString, expect, kids, oidOf, parseDer, type Node } from './asn1.ts'
import { CURVES, KEY_ALGORITHMS } from './oids.ts'

export type KeyDescription = { algorithm: string; size: number; curve?: string }

function bitLength(bytes: Buffer): number {
  let i = 0
  while (i < bytes.length && bytes[i] === 0) i++
  if (i === bytes.length) return 0
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]))
}

/** Algorithm, size and curve from a SubjectPublicKeyInfo; an undecodable key gets size 0 (and fails later, at signature checks). */
export function describeKey(spki: Node): KeyDescription {
  const [alg, keyBits] = kids(expect(spki, T.SEQUENCE, 'a public key'), 'public key')
  const [algOid, params] = kids(expect(alg, T.SEQUENCE, 'a key algorithm'), 'public key')
  const oid = oidOf(algOid, 'public key')
  const algorithm = KEY_ALGORITHMS[oid] ?? oid
  const key = bitString(keyBits, 'public key').bytes
  if (algorithm === 'RSA') {
    try {
      const [n] = kids(parseDer(key), 'RSA key')
      return { algorithm, size: bitLength(Buffer.from(expect(n, T.INTEGER, 'RSA modulus').value as string, 'binary')) }
    } catch {
      return { algorithm, size: 0 }
    }
  }
  if (algorithm === 'EC') {
    if (params && params.tagClass === 0 && params.type === T.OID) {
      const curveOid = oidOf(params, 'EC curve')
      const curve = CURVES[curveOid]
      if (curve) return { algorithm, size: curve.bits, curve: curve.name }
      return { algorithm, size: 0, curve: curveOid }
    }
    return { algorithm, size: 0, curve: 'explicit' }
  }
  if (algorithm === 'Ed25519') return { algorithm, size: 256 }
  return { algorithm, size: 0 }
}
