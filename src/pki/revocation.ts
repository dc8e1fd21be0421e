import { detailsOf, type Certificate } from './certificate.ts'
import { crlDetailsOf, crlSignatureSpec, type Crl } from './crl.ts'
import { cap, label, problem, positionOf, who, type PkiProblem } from './problems.ts'
import { checkSignature } from './signature.ts'

type Out = { problems: PkiProblem[]; warnings: PkiProblem[] }

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z')

// CRLs are long and re-checked on every verification that passes them; remember the answers.
const crlSignatures = new Map<string, boolean>()

function crlSignedBy(crl: Crl, fingerprint: string, issuer: Certificate): boolean {
  const k = fingerprint + issuer.fingerprintSha256
  let ok = crlSignatures.get(k)
  if (ok === undefined) {
    ok = checkSignature(crl.tbsDer, crl.signature, crlSignatureSpec(crl), issuer) === 'ok'
    if (crlSignatures.size >= 10_000) crlSignatures.clear()
    crlSignatures.set(k, ok)
  }
  return ok
}

/** Why a CRL of `issuer` cannot be used to decide a status at `at` (RFC 5280 6.3.3), or null. */
function whyUnusable(crl: Crl, issuer: Certificate, at: number): string | null {
  const cd = crlDetailsOf(crl)
  if (!crlSignedBy(crl, cd.fingerprintSha256, issuer)) return 'its signature does not verify under that CA'
  if (issuer.keyUsage && !issuer.keyUsage.includes('cRLSign')) return 'that CA may not sign revocation lists: its key usage lacks cRLSign'
  if (crl.nextUpdate && at > crl.nextUpdate.getTime()) return `it was out of date at the time checked (next update ${iso(crl.nextUpdate)})`
  return cd.unusable
}

/**
 * RFC 5280 6.3: with CRLs given, the leaf's revocation status must be decided by a
 * usable CRL of its issuer, and so must that of every CA certificate of the path whose
 * issuer has a CRL among those given. A CRL that fails its signature, is past its
 * nextUpdate or comes from a CA without cRLSign decides nothing; when no usable CRL is
 * left the status is undetermined, and the path fails. A usable CRL decides even when a
 * newer, unusable one of the same issuer is given.
 */
export function checkRevocation(path: Certificate[], crls: Crl[], at: number, out: Out): void {
  if (crls.length === 0) return
  for (let i = 0; i < path.length - 1; i++) {
    const cert = path[i]
    const issuer = path[i + 1]
    const issuerKey = detailsOf(cert).issuerName.key
    const mine = crls.filter((c) => crlDetailsOf(c).issuerName.key === issuerKey)
    const w = who(cert, positionOf(i, path.length))
    if (mine.length === 0) {
      if (i === 0) out.problems.push(problem('crl_unusable', `No revocation list of "${label(issuer)}" was given, so the revocation status of ${w} is unknown.`))
      continue
    }
    const reasons: string[] = []
    const usable = mine.filter((c) => {
      const why = whyUnusable(c, issuer, at)
      if (why) reasons.push(why)
      return why === null
    })
    if (usable.length === 0) {
      out.problems.push(problem('crl_unusable', `The revocation list of "${label(issuer)}" cannot be relied on (${[...new Set(reasons)].join('; ')}), so the revocation status of ${w} is unknown.`))
      continue
    }
    if (reasons.length > 0) out.warnings.push(problem('crl_ignored', `A revocation list of "${label(issuer)}" was not used (${[...new Set(reasons)].join('; ')}); another one of that CA was.`))
    for (const crl of usable) {
      const entry = crl.entries.find((e) => e.serialNumber === cert.serialNumber)
      if (entry) {
        out.problems.push(problem('revoked', `${cap(w)} was revoked by "${label(issuer)}" on ${iso(entry.revokedAt)}${entry.reason ? ` (${entry.reason})` : ''}.`))
        break
      }
    }
  }
}
