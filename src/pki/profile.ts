import type { Certificate } from './certificate.ts'
import { cap, problem, who, type PkiProblem } from './problems.ts'
import { signatureAlgorithm } from './signature-algorithms.ts'
import { signatureSpecOf } from './signature.ts'

const SIGNING_CURVES = new Set(['P-256', 'P-384', 'P-521'])

/** What the service asks of a certificate used to sign documents, apart from its chain. */
export function checkSigningProfile(cert: Certificate): { problems: PkiProblem[]; warnings: PkiProblem[] } {
  const w = who(cert, 'leaf')
  const problems: PkiProblem[] = []
  const warnings: PkiProblem[] = []
  if (cert.basicConstraints?.cA) {
    problems.push(problem('ca_certificate', 'This is a CA certificate (it issues other certificates), not the signing certificate of an organisation or person.'))
  }
  if (!cert.keyUsage) {
    problems.push(problem('key_usage', 'The certificate does not state its key usage, so it is not shown to be allowed to make signatures (digitalSignature or nonRepudiation is needed).'))
  } else if (!cert.keyUsage.includes('digitalSignature') && !cert.keyUsage.includes('nonRepudiation')) {
    problems.push(problem('key_usage', `The certificate is not allowed to make signatures: its key usage (${cert.keyUsage.join(', ') || 'empty'}) has neither digitalSignature nor nonRepudiation.`))
  }
  if (cert.keyAlgorithm === 'RSA') {
    if (cert.keySize < 2048) problems.push(problem('weak_key', `The certificate's RSA key has ${cert.keySize} bits; at least 2048 are required.`))
  } else if (cert.keyAlgorithm === 'EC') {
    if (cert.keySize > 0 && cert.keySize < 256) problems.push(problem('weak_key', `The certificate's EC key is on ${cert.curve}, which is weaker than the 256 bits required.`))
    else if (!SIGNING_CURVES.has(cert.curve ?? '')) problems.push(problem('unsupported_algorithm', `The certificate's EC key is on a curve (${cert.curve ?? 'unknown'}) that is not supported; P-256, P-384 and P-521 are.`))
  } else {
    problems.push(problem('unsupported_algorithm', `The certificate's key type (${cert.keyAlgorithm}) is not supported; RSA and EC keys are.`))
  }
  const alg = signatureAlgorithm(signatureSpecOf(cert))
  if (!alg) {
    problems.push(problem('unsupported_algorithm', `The certificate is signed with ${cert.signatureAlgorithm}, which is not supported.`))
  } else if (alg.weak === 'refused') {
    problems.push(problem('weak_signature_algorithm', `${cap(w)} is signed with ${cert.signatureAlgorithm}, which can be forged; it is refused.`))
  } else if (alg.weak === 'warning') {
    warnings.push(problem('weak_signature_algorithm', `${cap(w)} is signed with ${cert.signatureAlgorithm} (SHA-1). Accepted, because the first-generation Government CA used it, but SHA-1 is no longer considered safe.`))
  }
  return { problems, warnings }
}
