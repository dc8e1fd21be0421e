import { detailsOf, type Certificate } from './certificate.ts'
import type { Crl } from './crl.ts'
import { checkPath, type Findings } from './path-checks.ts'
import { cap, dedupe, label, positionOf, problem, who, type PkiProblem } from './problems.ts'
import { checkSigningProfile } from './profile.ts'
import { checkLink } from './signature.ts'
import { floorToSecond } from './time.ts'

export type VerifyOptions = {
  anchors: Certificate[]
  intermediates: Certificate[]
  at: Date
  crls?: Crl[]
  purposes?: string[]
  /** Most intermediate CAs allowed (self-issued ones not counted). */
  maxDepth?: number
  profile: 'signing' | 'rfc5280'
  /** user-initial-policy-set of RFC 5280 6.1.1 (c); absent or empty: anyPolicy. */
  policies?: string[]
  /** initial-explicit-policy (6.1.1 (f)): the path must be valid for at least one of `policies`. */
  explicitPolicy?: boolean
  /** initial-policy-mapping-inhibit and initial-any-policy-inhibit (6.1.1 (e), (g)). */
  inhibitPolicyMapping?: boolean
  inhibitAnyPolicy?: boolean
  /** Shared by every verification of one request, so that many leaves cannot multiply the per-leaf bounds. */
  budget?: VerifyBudget
}

/** What is left to spend: decremented by each verification that is given it. */
export type VerifyBudget = { signatures: number; expansions: number }

export type VerifyResult = { ok: boolean; path: Certificate[]; problems: PkiProblem[]; warnings: PkiProblem[] }

const DEFAULT_MAX_DEPTH = 8
/** Hard cap on certificates in a path, self-issued ones included. */
const MAX_PATH_LENGTH = 12
const MAX_SIGNATURE_CHECKS = 1000
const MAX_EXPANSIONS = 10_000

type Candidate = { cert: Certificate; anchor: boolean }

/** A failed attempt; rank orders them so the report describes the most promising one. */
type Attempt = { path: Certificate[]; findings: Findings; rank: number }

type Search = {
  byName: Map<string, Candidate[]>
  anchors: Set<string>
  maxDepth: number
  check: (path: Certificate[]) => Findings
  signatures: number
  expansions: number
  exhausted: boolean
  best: Attempt | null
  budget?: VerifyBudget
}

function index(opts: VerifyOptions): { byName: Map<string, Candidate[]>; anchors: Set<string> } {
  const byName = new Map<string, Candidate[]>()
  const anchors = new Set<string>()
  const seen = new Set<string>()
  const add = (cert: Certificate, anchor: boolean) => {
    if (seen.has(cert.fingerprintSha256)) return
    seen.add(cert.fingerprintSha256)
    if (anchor) anchors.add(cert.fingerprintSha256)
    const key = detailsOf(cert).subjectName.key
    const list = byName.get(key)
    if (list) list.push({ cert, anchor })
    else byName.set(key, [{ cert, anchor }])
  }
  for (const a of opts.anchors) add(a, true)
  for (const i of opts.intermediates) add(i, false)
  return { byName, anchors }
}

function record(s: Search, path: Certificate[], findings: Findings, rank: number): void {
  const b = s.best
  const better = !b || rank > b.rank
    || (rank === b.rank && (findings.problems.length < b.findings.problems.length
      || (findings.problems.length === b.findings.problems.length && path.length > b.path.length)))
  if (better) s.best = { path, findings, rank }
}

/** Issuer candidates, those whose key identifier matches first, then trust anchors first. */
function candidatesFor(s: Search, cert: Certificate): Candidate[] {
  const list = s.byName.get(detailsOf(cert).issuerName.key) ?? []
  const aki = cert.authorityKeyId
  const score = (c: Candidate) => (aki && c.cert.subjectKeyId === aki ? 0 : aki && c.cert.subjectKeyId ? 2 : 1) * 2 + (c.anchor ? 0 : 1)
  return [...list].sort((a, b) => score(a) - score(b))
}

function countIntermediates(path: Certificate[]): number {
  let n = 0
  for (let i = 1; i < path.length; i++) if (!path[i].isSelfIssued) n++
  return n
}

type Found = { path: Certificate[]; findings: Findings }

function extend(s: Search, path: Certificate[]): Found | null {
  const cur = path[path.length - 1]
  if (++s.expansions > MAX_EXPANSIONS || (s.budget && --s.budget.expansions < 0)) { s.exhausted = true; return null }
  const candidates = candidatesFor(s, cur)
  const position = positionOf(path.length - 1, path.length + 1)
  if (candidates.length === 0) {
    const issuer = cur.issuerDn || '(empty name)'
    record(s, path, {
      problems: [problem('untrusted_issuer', `No trust anchor could be reached: ${who(cur, position)} was issued by "${issuer}", which is neither a trust anchor nor a known intermediate CA.`)],
      warnings: [],
    }, 0)
  }
  for (const cand of candidates) {
    if (s.exhausted) return null
    if (path.some((p) => p.fingerprintSha256 === cand.cert.fingerprintSha256)) continue
    const next = [...path, cand.cert]
    if (!cand.anchor && (countIntermediates(next) > s.maxDepth || next.length >= MAX_PATH_LENGTH)) {
      record(s, next, { problems: [problem('depth_exceeded', `The chain would need more than ${s.maxDepth} intermediate CA certificates.`)], warnings: [] }, 1)
      continue
    }
    const sig = checkLink(cur, cand.cert, () => ++s.signatures <= MAX_SIGNATURE_CHECKS && (!s.budget || --s.budget.signatures >= 0))
    if (sig === 'budget') { s.exhausted = true; return null }
    if (sig !== 'ok') {
      const issuerPosition = cand.anchor ? 'anchor' : 'issuer'
      const findings = sig === 'unsupported'
        ? { problems: [problem('unsupported_algorithm', `${cap(who(cur, position))} is signed with ${cur.signatureAlgorithm}, which this verifier cannot check.`)], warnings: [] }
        : { problems: [problem('bad_signature', `The signature on ${who(cur, position)} does not verify with the key of ${who(cand.cert, issuerPosition)}: it was not issued by that CA, or it was altered.`)], warnings: [] }
      record(s, next, findings, cand.anchor ? 2 : 1)
      continue
    }
    if (cand.anchor) {
      const findings = s.check(next)
      if (findings.problems.length === 0) return { path: next, findings }
      record(s, next, findings, 3)
      continue
    }
    const done = extend(s, next)
    if (done) return done
  }
  return null
}

/**
 * Builds a path from `leaf` to one of the trust anchors, depth-first, trying every
 * issuer whose name matches, and accepts the first path that passes every check.
 * Bounded in depth and in signature checks, so hostile input cannot make it spin.
 */
export function verifyCertificate(leaf: Certificate, opts: VerifyOptions): VerifyResult {
  if (!(opts.at instanceof Date) || Number.isNaN(opts.at.getTime())) {
    return { ok: false, path: [leaf], problems: [problem('malformed', 'The validation time is not a valid date.')], warnings: [] }
  }
  const at = floorToSecond(opts.at)
  const { byName, anchors } = index(opts)
  const policy = {
    initialPolicySet: opts.policies ?? [],
    initialExplicitPolicy: opts.explicitPolicy === true,
    initialPolicyMappingInhibit: opts.inhibitPolicyMapping === true,
    initialAnyPolicyInhibit: opts.inhibitAnyPolicy === true,
  }
  const input = { at, crls: opts.crls ?? [], purposes: opts.purposes ?? [], policy }
  const s: Search = {
    byName,
    anchors,
    maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
    check: (path) => checkPath(path, input),
    signatures: 0,
    expansions: 0,
    exhausted: false,
    best: null,
    budget: opts.budget,
  }
  let found: Found | null = null
  if (anchors.has(leaf.fingerprintSha256)) {
    const findings = s.check([leaf])
    if (findings.problems.length === 0) found = { path: [leaf], findings }
    else record(s, [leaf], findings, 3)
  }
  if (!found) {
    found = extend(s, [leaf])
  }
  let result: VerifyResult
  if (found) {
    result = { ok: true, path: found.path, problems: [], warnings: found.findings.warnings }
  } else {
    const best = s.best ?? { path: [leaf], findings: { problems: [], warnings: [] }, rank: 0 }
    const problems = [...best.findings.problems]
    if (s.exhausted) problems.push(problem('budget_exceeded', `Too many candidate chains were tried for "${label(leaf)}" (${s.signatures} signature checks); the certificates given look built to slow the verifier down.`))
    if (problems.length === 0) problems.push(problem('untrusted_issuer', `No trust anchor could be reached for ${who(leaf, 'leaf')}.`))
    result = { ok: false, path: best.path, problems, warnings: best.findings.warnings }
  }
  if (opts.profile === 'signing') {
    const p = checkSigningProfile(leaf)
    result.problems.push(...p.problems)
    result.warnings.push(...p.warnings)
    if (p.problems.length > 0) result.ok = false
  }
  result.problems = dedupe(result.problems)
  result.warnings = dedupe(result.warnings)
  return result
}
