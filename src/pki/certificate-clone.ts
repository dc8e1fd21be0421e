/**
 * A Certificate that crossed a thread (structured clone) holds Uint8Arrays where it held Buffers; this makes
 * them Buffers again, over the same memory. Everything else in a Certificate clones as it is.
 */
import type { Certificate } from './certificate.ts'

const asBuffer = (u: Uint8Array): Buffer => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength))

export function reviveCertificate(c: Certificate): Certificate {
  return {
    ...c,
    der: asBuffer(c.der),
    subjectDer: asBuffer(c.subjectDer),
    issuerDer: asBuffer(c.issuerDer),
    publicKeyDer: asBuffer(c.publicKeyDer),
    tbsDer: asBuffer(c.tbsDer),
    signature: asBuffer(c.signature),
    extensions: c.extensions.map((e) => ({ ...e, value: asBuffer(e.value) })),
  }
}
