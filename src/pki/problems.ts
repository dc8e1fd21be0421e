import type { Certificate } from './certificate.ts'

export type PkiProblem = { code: string; message: string }

/*
 * Problem codes, with the plain-language message each one carries
 * ("<who>" names the certificate concerned, e.g. 'the issuing CA "CN=…"').
 *
 * Refusals (problems):
 *   malformed                  The certificate (or a CA certificate given with it) cannot be read as X.509.
 *   untrusted_issuer           No trust anchor could be reached: <who> was issued by "<issuer>", which is neither a trust anchor nor a known intermediate CA.
 *   bad_signature              The signature on <who> does not verify with the key of "<issuer>": it was not issued by that CA, or it was altered.
 *   unsupported_algorithm      <who> uses an algorithm this service cannot check (RSA PKCS#1 v1.5 and RSASSA-PSS, ECDSA on P-256/P-384/P-521 are supported).
 *   weak_signature_algorithm   <who> is signed with MD5 or MD2, which can be forged; it is refused. (SHA-1: a warning only.)
 *   weak_key                   <who> has a key that is too short (RSA under 2048 bits, EC under 256 bits).
 *   ca_certificate             The uploaded certificate is itself a CA certificate, not a signing certificate.
 *   key_usage                  The certificate is not allowed to make signatures (it has no key usage, or one with neither digitalSignature nor nonRepudiation).
 *   revoked                    <who> appears on the revocation list of its issuer.
 *   expired                    <who> had already expired at the time checked.
 *   not_yet_valid              <who> was not yet valid at the time checked.
 *   not_a_ca                   <who> is not a CA certificate (basicConstraints cA is missing or false), so it cannot issue certificates.
 *   ca_key_usage               <who> is a CA, but has no key usage (RFC 5280 4.2.1.3) or one without keyCertSign.
 *   path_length_exceeded       <who> allows only N CA certificates below it, and the chain has more.
 *   depth_exceeded             The chain needs more intermediate CAs than allowed.
 *   unknown_critical_extension <who> has an extension marked critical that this verifier does not understand, so it must be refused.
 *   name_constraints           <who> carries a name that the constraints of CA "<issuer>" do not allow (or constraints that cannot be evaluated).
 *   invalid_name               <who> carries an alternative name that is not well formed.
 *   purpose                    The certificate's extended key usage does not include the purpose asked for.
 *   policy                     No policy of the user-initial-policy-set is valid for the whole chain while one is required (RFC 5280 6.1), or a CA maps anyPolicy.
 *   nonconforming_certificate  <who> breaks a rule of RFC 5280 that matters for trust (e.g. a CA without critical basicConstraints or subject key identifier).
 *   crl_unusable               CRLs were given but none of "<issuer>" can be relied on (none for the leaf's issuer, a bad signature, past
 *                              nextUpdate, an issuer without cRLSign, a critical extension not handled): the status of <who> is undetermined (6.3.3).
 *   budget_exceeded            Too many candidate chains were tried (or the policy tree grew too large); the certificates look built to slow the verifier down.
 *
 * Warnings (accepted, but said):
 *   weak_signature_algorithm   <who> is signed with SHA-1 (accepted: the first-generation Government CA used it until about 2016).
 *   crl_ignored                A revocation list could not be relied on, but another one of the same CA decided the status.
 */

export function problem(code: string, message: string): PkiProblem {
  return { code, message }
}

export function label(cert: Certificate): string {
  const cn = cert.subject.CN
  const name = Array.isArray(cn) ? cn[0] : cn
  return name ? `CN=${name}` : (cert.subjectDn || '(empty name)')
}

export type ChainPosition = 'leaf' | 'intermediate' | 'anchor' | 'issuer'

export function roleOf(index: number, length: number): ChainPosition {
  return index === 0 ? 'leaf' : index === length - 1 ? 'anchor' : 'intermediate'
}

export function who(cert: Certificate, role: ChainPosition): string {
  switch (role) {
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
