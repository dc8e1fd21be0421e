import type { Certificate } from './certificate.ts'
import type { ProblemCode } from '../lib/problem-codes.ts'

/** The verifier's problems and warnings carry the codes of src/lib/problem-codes.ts, which says what each means. */
export type PkiProblem = { code: ProblemCode; message: string }

export function problem(code: ProblemCode, message: string): PkiProblem {
  return { code, message }
}

export function label(cert: Certificate): string {
  const cn = cert.subject.CN
  const name = Array.isArray(cn) ? cn[0] : cn
  return name ? `CN=${name}` : (cert.subjectDn || '(empty name)')
}

export type ChainPosition = 'leaf' | 'intermediate' | 'anchor' | 'issuer'

export function positionOf(index: number, length: number): ChainPosition {
  return index === 0 ? 'leaf' : index === length - 1 ? 'anchor' : 'intermediate'
}

export function who(cert: Certificate, position: ChainPosition): string {
  switch (position) {
    case 'leaf': return `the certificate "${label(cert)}"`
    case 'intermediate': return `the intermediate CA "${label(cert)}"`
    case 'anchor': return `the trust anchor "${label(cert)}"`
    case 'issuer': return `the issuing CA "${label(cert)}"`
  }
}

export function dedupe(list: PkiProblem[]): PkiProblem[] {
  const seen = new Set<string>()
  return list.filter((p) => {
    const k = p.code + '\u0000' + p.message
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
