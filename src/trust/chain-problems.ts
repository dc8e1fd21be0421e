/** The verifier's problems in the contract's words, for a certificate or CA certificate that was refused. */
import { codesIn, type ProblemCode, type ProblemEntry } from '../lib/problem-codes.ts'
import type { PkiProblem } from '../pki/index.ts'

/** What a refused certificate's `problems` may name (src/lib/problem-codes.ts, place `certificate`). */
const CERTIFICATE_CODES: readonly ProblemCode[] = codesIn('certificate')

/**
 * Each problem under its own code where `allowed` has it; any other (a CA expired at the time, path length,
 * name constraints, an issuer that is not a CA…) is `untrusted_issuer` with the verifier's message and its
 * code in `reason`.
 */
export function contractProblems(problems: PkiProblem[], allowed: readonly ProblemCode[] = CERTIFICATE_CODES): ProblemEntry[] {
  return problems.map((p) => (allowed.includes(p.code)
    ? { code: p.code, message: p.message }
    : { code: 'untrusted_issuer', message: p.message, reason: p.code }))
}
