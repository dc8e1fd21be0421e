import { OTHER_SIGNATURE_NAMES, SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from './oids.ts'

export function signatureAlgorithmName (oid: string): string {
  return SIGNATURE_ALGORITHMS[oid]?.name ?? OTHER_SIGNATURE_NAMES[oid] ?? oid
}

export function signatureAlgorithm (oid: string): SignatureAlgorithm | undefined {
  return SIGNATURE_ALGORITHMS[oid]
}
