import { parseCertificate, type Certificate } from './certificate.ts'
import { guarded } from './asn1.ts'
import { classifyDer } from './classify.ts'
import { PRIVATE_KEY_REFUSAL, PkiInputError, malformed } from './errors.ts'
import { decodeBase64, looksLikePem, pemBlocks, pemBody } from './pem.ts'
import { pkcs7Certificates } from './pkcs7.ts'

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE'])
const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS'])

function refusePrivateKey(): never {
  throw new PkiInputError('private_key_material', PRIVATE_KEY_REFUSAL)
}

function describe(kind: string): string {
  switch (kind) {
    case 'csr': return 'This is a certificate signing request (CSR), not a certificate.'
    case 'crl': return 'This is a certificate revocation list (CRL), not a certificate.'
    default: return 'This is not an X.509 certificate.'
  }
}

function fromDer(der: Buffer): Certificate[] {
  const kind = classifyDer(der)
  if (kind === 'private_key') refusePrivateKey()
  if (kind === 'pkcs7') return pkcs7Certificates(der).map(parseCertificate)
  if (kind !== 'certificate') throw malformed(describe(kind))
  return [parseCertificate(der)]
}

function asText(body: Buffer | string): string | null {
  if (typeof body === 'string') return body
  if (body.length > 0 && body[0] === 0x30) return null
  // Anything else is text: PEM (possibly with openssl's UTF-8 "subject=" lines around it) or bare base64.
  return body.toString('utf8').replace(/^\uFEFF/, '')
}

/**
 * Certificates from an upload: PEM (any number of CERTIFICATE or PKCS7 blocks),
 * DER, a DER PKCS#7 bundle, or bare base64 DER. Refuses the whole upload if any
 * part is a private key, and never skips a block it does not understand.
 */
export function readCertificates(body: Buffer | string): Certificate[] {
  return guarded('upload', () => readCertificatesUnguarded(body))
}

function readCertificatesUnguarded(body: Buffer | string): Certificate[] {
  const text = asText(body)
  if (text === null) return fromDer(body as Buffer)
  if (text.trim() === '') throw malformed('The upload is empty.')
  if (!looksLikePem(text)) return fromDer(decodeBase64(text, 'upload'))
  const blocks = pemBlocks(text)
  if (blocks.some((b) => b.label.includes('PRIVATE KEY'))) refusePrivateKey()
  const certs: Certificate[] = []
  for (const block of blocks) {
    if (CERT_LABELS.has(block.label) || PKCS7_LABELS.has(block.label)) {
      certs.push(...fromDer(decodeBase64(pemBody(block.body), `PEM block ${block.label}`)))
    } else if (block.label.includes('CERTIFICATE REQUEST')) {
      throw malformed(describe('csr'))
    } else if (block.label.includes('CRL')) {
      throw malformed(describe('crl'))
    } else {
      throw malformed('The upload holds a PEM block of a kind that is not a certificate.')
    }
  }
  if (certs.length === 0) throw malformed('The upload holds no certificate.')
  return certs
}
