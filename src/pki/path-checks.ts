import { detailsOf, type Certificate } from './certificate.ts'
import type { Crl } from './crl.ts'
import { nameConstraintViolation } from './name-constraints.ts'
import { isDnsName, isMailbox } from './name-syntax.ts'
import { ANY_EKU, EXT, KNOWN_CRITICAL_EXTENSIONS } from './oids.ts'
import { cap, label, problem, positionOf, who, type PkiProblem, type ChainPosition } from './problems.ts'
import { checkPolicies } from './policy-check.ts'
import type { PolicyInput } from './policy-tree.ts'
import { checkRevocation } from './revocation.ts'
import { signatureSpecOf } from './signature.ts'
import { signatureAlgorithm } from './signature-algorithms.ts'

export type PathCheckInput = { at: number; crls: Crl[]; purposes: string[]; policy?: PolicyInput }
export type Findings = { problems: PkiProblem[]; warnings: PkiProblem[] }

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z')

/** Non-self-issued intermediates strictly between `index` and the leaf (RFC 5280 pathLen counting). */
function intermediatesBelow(path: Certificate[], index: number): number {
  let n = 0
  for (let j = 1; j < index; j++) if (!path[j].isSelfIssued) n++
  return n
}

function isSelfSigned(cert: Certificate, issuer: Certificate | undefined): boolean {
  return !!issuer && cert.isSelfIssued && cert.publicKeyDer.equals(issuer.publicKeyDer)
}

/** Checks of one certificate on its own, whatever its place. */
function checkOne(cert: Certificate, position: ChainPosition, out: Findings, at: number): void {
  const w = who(cert, position)
  if (at < cert.notBefore.getTime()) out.problems.push(problem('not_yet_valid', `${cap(w)} was not yet valid at the time checked (valid from ${iso(cert.notBefore)}).`))
  if (at > cert.notAfter.getTime()) out.problems.push(problem('expired', `${cap(w)} had expired at the time checked (valid until ${iso(cert.notAfter)}).`))
  for (const e of cert.extensions) {
    if (e.oid === EXT.authorityKeyIdentifier || e.oid === EXT.subjectKeyIdentifier) {
      if (e.critical) out.problems.push(problem('nonconforming_certificate', `${cap(w)} marks its key identifier extension critical, which RFC 5280 forbids.`))
    } else if (e.critical && !KNOWN_CRITICAL_EXTENSIONS.has(e.oid)) {
      out.problems.push(problem('unknown_critical_extension', `${cap(w)} has an extension (${e.oid}) marked critical that this verifier does not understand.`))
    }
  }
  const isCa = cert.basicConstraints?.cA === true
  if (cert.keyUsage?.includes('keyCertSign') && !isCa) {
    out.problems.push(problem('nonconforming_certificate', `${cap(w)} may sign certificates according to its key usage, but is not a CA.`))
  }
  const d = detailsOf(cert)
  if (d.nameConstraints && !isCa) {
    out.problems.push(problem('nonconforming_certificate', `${cap(w)} carries name constraints, which only CA certificates may.`))
  }
  if (position !== 'anchor') {
    // RFC 5280 4.2.1.10: name constraints MUST be critical; 4.2.1.9: no pathLenConstraint without cA.
    if (d.nameConstraints && cert.extensions.some((e) => e.oid === EXT.nameConstraints && !e.critical)) {
      out.problems.push(problem('nonconforming_certificate', `${cap(w)} does not mark its name constraints critical, as RFC 5280 requires.`))
    }
    // 4.2.1.11 and 4.2.1.14: policyConstraints and inhibitAnyPolicy MUST be critical.
    for (const e of cert.extensions) {
      if ((e.oid === EXT.policyConstraints || e.oid === EXT.inhibitAnyPolicy) && !e.critical) {
        out.problems.push(problem('nonconforming_certificate', `${cap(w)} does not mark its ${e.oid === EXT.policyConstraints ? 'policy constraints' : 'inhibitAnyPolicy extension'} critical, as RFC 5280 requires.`))
      }
    }
    if (cert.basicConstraints?.pathLen !== undefined && !isCa) {
      out.problems.push(problem('nonconforming_certificate', `${cap(w)} sets a path length constraint but is not a CA, which RFC 5280 forbids.`))
    }
  }
  if (d.issuerName.attributes.length === 0) {
    out.problems.push(problem('nonconforming_certificate', `${cap(w)} has an empty issuer name.`))
  }
  if (d.subjectName.attributes.length === 0 && !cert.extensions.some((e) => e.oid === EXT.subjectAltName && e.critical)) {
    out.problems.push(problem('nonconforming_certificate', `${cap(w)} has an empty subject but no critical alternative name.`))
  }
  for (const g of d.subjectAltName ?? []) {
    const bad = (g.kind === 'dns' && !isDnsName(g.value)) || (g.kind === 'email' && !isMailbox(g.value))
      || (g.kind === 'ip' && g.value.length !== 4 && g.value.length !== 16)
    if (bad) out.problems.push(problem('invalid_name', `${cap(w)} has an alternative name that is not well formed${g.kind !== 'ip' ? ` ("${g.value}")` : ''}.`))
  }
  if (position !== 'anchor') {
    const alg = signatureAlgorithm(signatureSpecOf(cert))
    if (alg?.weak === 'refused') out.problems.push(problem('weak_signature_algorithm', `${cap(w)} is signed with ${cert.signatureAlgorithm}, which can be forged; it is refused.`))
    if (alg?.weak === 'warning') out.warnings.push(problem('weak_signature_algorithm', `${cap(w)} is signed with ${cert.signatureAlgorithm} (SHA-1). Accepted, because the first-generation Government CA used it, but SHA-1 is no longer considered safe.`))
  }
}

/** Checks of a certificate used to issue the one below it. */
function checkIssuer(path: Certificate[], index: number, out: Findings): void {
  const cert = path[index]
  const w = who(cert, index === path.length - 1 ? 'anchor' : 'intermediate')
  const bc = cert.basicConstraints
  if (!bc?.cA) {
    out.problems.push(problem('not_a_ca', `${cap(w)} is not a CA certificate (its basicConstraints do not say cA), so it cannot issue certificates.`))
    return
  }
  if (!bc.critical) out.problems.push(problem('nonconforming_certificate', `${cap(w)} is a CA but does not mark basicConstraints critical, as RFC 5280 requires.`))
  // RFC 5280 4.2.1.3: a CA certificate MUST carry keyUsage (trust anchors are trusted as given).
  if (!cert.keyUsage && index < path.length - 1) {
    out.problems.push(problem('ca_key_usage', `${cap(w)} is a CA without a key usage extension, which RFC 5280 requires of CA certificates.`))
  }
  if (cert.keyUsage && !cert.keyUsage.includes('keyCertSign')) {
    out.problems.push(problem('ca_key_usage', `${cap(w)} is a CA, but its key usage does not allow it to sign certificates (keyCertSign is missing).`))
  }
  if (!cert.subjectKeyId) out.problems.push(problem('nonconforming_certificate', `${cap(w)} is a CA without a subject key identifier, which RFC 5280 requires.`))
  if (detailsOf(cert).subjectName.attributes.length === 0) out.problems.push(problem('nonconforming_certificate', `${cap(w)} is a CA with an empty subject name.`))
  if (bc.pathLen !== undefined) {
    const below = intermediatesBelow(path, index)
    if (below > bc.pathLen) {
      out.problems.push(problem('path_length_exceeded', `${cap(w)} allows at most ${bc.pathLen} intermediate CA${bc.pathLen === 1 ? '' : 's'} below it, but the chain has ${below}.`))
    }
  }
}

/** Every RFC 5280 check of a candidate path (leaf first, trust anchor last) except the signatures, already checked while building it. */
export function checkPath(path: Certificate[], input: PathCheckInput): Findings {
  const out: Findings = { problems: [], warnings: [] }
  const n = path.length
  path.forEach((cert, i) => {
    checkOne(cert, positionOf(i, n), out, input.at)
    if (i > 0) checkIssuer(path, i, out)
    if (i < n - 1 && !cert.authorityKeyId && !isSelfSigned(cert, path[i + 1])) {
      out.problems.push(problem('nonconforming_certificate', `${cap(who(cert, positionOf(i, n)))} has no authority key identifier, which RFC 5280 requires.`))
    }
  })
  for (let i = n - 1; i >= 1; i--) {
    const nc = detailsOf(path[i]).nameConstraints
    if (!nc) continue
    for (let j = i - 1; j >= 0; j--) {
      if (j > 0 && path[j].isSelfIssued) continue
      const why = nameConstraintViolation(nc, path[j])
      if (why) {
        out.problems.push(problem('name_constraints', `${cap(who(path[j], positionOf(j, n)))} is not allowed by the name constraints of "${label(path[i])}": ${why}.`))
      }
    }
  }
  const leaf = path[0]
  if (input.purposes.length > 0 && leaf.extKeyUsage && !leaf.extKeyUsage.includes(ANY_EKU)) {
    const missing = input.purposes.filter((p) => !leaf.extKeyUsage!.includes(p))
    if (missing.length > 0) out.problems.push(problem('purpose', `The certificate may not be used for ${missing.join(', ')} (its extended key usage allows only ${leaf.extKeyUsage.join(', ')}).`))
  }
  checkPolicies(path, input.policy ?? {}, out)
  checkRevocation(path, input.crls, input.at, out)
  return out
}
