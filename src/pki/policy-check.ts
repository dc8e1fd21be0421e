import { detailsOf, type Certificate } from './certificate.ts'
import { processPolicies, type PolicyInput } from './policy-tree.ts'
import { cap, problem, positionOf, who, type PkiProblem } from './problems.ts'

/** RFC 5280 6.1 policy processing of a path given leaf first, trust anchor last (the anchor takes no part). */
export function checkPolicies(path: Certificate[], input: PolicyInput, out: { problems: PkiProblem[] }): void {
  const chain = path.slice(0, -1).reverse()
  const r = processPolicies(chain.map((c) => ({ policy: detailsOf(c).policy, selfIssued: c.isSelfIssued })), input)
  if (r.ok) return
  const index = path.length - 1 - r.at
  const w = who(path[index], positionOf(index, path.length))
  switch (r.reason) {
    case 'mapping_any_policy':
      out.problems.push(problem('policy', `${cap(w)} maps anyPolicy in its policy mappings, which RFC 5280 forbids.`))
      break
    case 'too_large':
      out.problems.push(problem('budget_exceeded', 'The certificate policies of this chain make too many combinations to evaluate; the certificates look built to slow the verifier down.'))
      break
    default:
      out.problems.push(problem('policy', `No certificate policy acceptable${input.initialPolicySet?.length ? ` (of ${input.initialPolicySet.join(', ')})` : ''} is valid for the whole chain, and an explicit policy is required from ${w} on.`))
  }
}
