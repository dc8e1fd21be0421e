import type { Certificate } from './certificate.ts'
import { label, problem, type PkiProblem } from './problems.ts'

/** What a certificate must be to serve as a trust anchor or registered intermediate: a CA that may sign certificates. */
export function checkCaCertificate(cert: Certificate): { problems: PkiProblem[]; warnings: PkiProblem[] } {
  const problems: PkiProblem[] = []
  if (!cert.basicConstraints?.cA) {
    problems.push(problem('not_a_ca', `"${label(cert)}" is not a CA certificate (its basicConstraints do not say cA), so it cannot be a trust anchor or intermediate CA.`))
  } else if (cert.keyUsage && !cert.keyUsage.includes('keyCertSign')) {
    problems.push(problem('ca_key_usage', `"${label(cert)}" is a CA, but its key usage does not allow it to sign certificates (keyCertSign is missing).`))
  }
  return { problems, warnings: [] }
}
