import { ANY_POLICY, type PolicyExtensions } from './policy-extensions.ts'

/** The policy inputs of RFC 5280 6.1.1 (c), (e), (f) and (g). */
export type PolicyInput = {
  /** user-initial-policy-set; default {anyPolicy}. */
  initialPolicySet?: string[]
  initialExplicitPolicy?: boolean
  initialPolicyMappingInhibit?: boolean
  initialAnyPolicyInhibit?: boolean
}

/** One certificate of the path, in RFC order (the one the trust anchor issued first, the leaf last). */
export type PolicyCert = { policy: PolicyExtensions; selfIssued: boolean }

export type PolicyOutcome =
  | { ok: true; policies: string[] | 'any' }
  | { ok: false; reason: 'no_policy' | 'mapping_any_policy' | 'too_large'; at: number }

type PolicyNode = { policy: string; expected: Set<string>; parent: PolicyNode | null; children: PolicyNode[]; alive: boolean }

/** Crafted certificates can make the tree grow exponentially (CVE-2023-0464): bound it. */
const MAX_NODES = 4096

class TooLarge extends Error {}

/** The valid_policy_tree of RFC 5280 6.1.2 (a), kept as levels by depth. */
class Tree {
  levels: PolicyNode[][]
  count = 1
  constructor() {
    this.levels = [[{ policy: ANY_POLICY, expected: new Set([ANY_POLICY]), parent: null, children: [], alive: true }]]
  }

  get empty(): boolean { return this.levels[0].length === 0 }

  at(depth: number): PolicyNode[] { return this.levels[depth] ?? [] }

  add(parent: PolicyNode, policy: string, expected: Set<string>, depth: number): PolicyNode {
    if (++this.count > MAX_NODES) throw new TooLarge()
    const node: PolicyNode = { policy, expected, parent, children: [], alive: true }
    parent.children.push(node)
    while (this.levels.length <= depth) this.levels.push([])
    this.levels[depth].push(node)
    return node
  }

  remove(node: PolicyNode): void {
    node.alive = false
    for (const c of node.children) this.remove(c)
    if (node.parent) node.parent.children = node.parent.children.filter((c) => c !== node)
  }

  compact(): void {
    this.levels = this.levels.map((l) => l.filter((n) => n.alive))
  }

  /** Deletes childless nodes of depth below `depth`, deepest first (6.1.3 (d)(3)). */
  prune(depth: number): void {
    for (let d = depth - 1; d >= 0; d--) {
      for (const n of this.at(d)) if (n.alive && n.children.length === 0) this.remove(n)
      this.compact()
    }
  }

  clear(): void { this.levels = [[]] }
}

/** RFC 5280 6.1.3 (d): adds the level of certificate i (1-based) from its certificatePolicies. */
function addLevel(tree: Tree, policies: string[], i: number, n: number, selfIssued: boolean, inhibitAny: number): void {
  const parents = tree.at(i - 1)
  // Parents by expected policy, so that a long policy list costs one lookup per policy.
  const byExpected = new Map<string, PolicyNode[]>()
  for (const node of parents) {
    for (const e of node.expected) {
      const list = byExpected.get(e)
      if (list) list.push(node)
      else byExpected.set(e, [node])
    }
  }
  for (const p of policies) {
    if (p === ANY_POLICY) continue
    const matches = byExpected.get(p) ?? []
    if (matches.length > 0) {
      for (const node of matches) tree.add(node, p, new Set([p]), i)
    } else {
      const any = parents.find((node) => node.policy === ANY_POLICY)
      if (any) tree.add(any, p, new Set([p]), i)
    }
  }
  if (policies.includes(ANY_POLICY) && (inhibitAny > 0 || (i < n && selfIssued))) {
    for (const node of parents) {
      const have = new Set(node.children.map((c) => c.policy))
      for (const e of node.expected) if (!have.has(e)) tree.add(node, e, new Set([e]), i)
    }
  }
  tree.prune(i)
}

/** RFC 5280 6.1.4 (b): policy mapping at depth i. */
function applyMappings(tree: Tree, mappings: [string, string][], i: number, policyMapping: number): void {
  const byIssuer = new Map<string, Set<string>>()
  for (const [from, to] of mappings) {
    const set = byIssuer.get(from) ?? new Set<string>()
    set.add(to)
    byIssuer.set(from, set)
  }
  const byPolicy = new Map<string, PolicyNode[]>()
  for (const n of tree.at(i)) {
    const list = byPolicy.get(n.policy)
    if (list) list.push(n)
    else byPolicy.set(n.policy, [n])
  }
  for (const [from, to] of byIssuer) {
    const nodes = (byPolicy.get(from) ?? []).filter((n) => n.alive)
    if (policyMapping > 0) {
      if (nodes.length > 0) {
        for (const n of nodes) n.expected = new Set(to)
      } else {
        const any = byPolicy.get(ANY_POLICY)?.find((n) => n.alive)
        if (any?.parent) tree.add(any.parent, from, new Set(to), i)
      }
    } else {
      for (const n of nodes) tree.remove(n)
      tree.compact()
      tree.prune(i)
    }
  }
}

/** RFC 5280 6.1.5 (g) (iii): the intersection with a user-initial-policy-set other than {anyPolicy}. */
function intersect(tree: Tree, initial: Set<string>, n: number): void {
  const nodeSet: PolicyNode[] = []
  for (const level of tree.levels) for (const node of level) if (node.alive && node.parent?.policy === ANY_POLICY) nodeSet.push(node)
  for (const node of nodeSet) if (node.policy !== ANY_POLICY && !initial.has(node.policy)) tree.remove(node)
  tree.compact()
  const anyLeaf = tree.at(n).find((x) => x.alive && x.policy === ANY_POLICY)
  if (anyLeaf?.parent) {
    const present = new Set(nodeSet.filter((x) => x.alive).map((x) => x.policy))
    for (const p of initial) if (!present.has(p)) tree.add(anyLeaf.parent, p, new Set([p]), n)
    tree.remove(anyLeaf)
    tree.compact()
  }
  tree.prune(n)
}

/**
 * Certificate policy processing of RFC 5280 6.1 over a path of n certificates
 * (the trust anchor excluded), with its three state variables and the valid_policy_tree.
 */
export function processPolicies(certs: PolicyCert[], input: PolicyInput = {}): PolicyOutcome {
  const n = certs.length
  const tree = new Tree()
  let explicitPolicy = input.initialExplicitPolicy ? 0 : n + 1
  let inhibitAny = input.initialAnyPolicyInhibit ? 0 : n + 1
  let policyMapping = input.initialPolicyMappingInhibit ? 0 : n + 1
  try {
    for (let i = 1; i <= n; i++) {
      const { policy, selfIssued } = certs[i - 1]
      if (policy.policies && !tree.empty) addLevel(tree, policy.policies, i, n, selfIssued, inhibitAny)
      if (!policy.policies) tree.clear()
      if (explicitPolicy <= 0 && tree.empty) return { ok: false, reason: 'no_policy', at: i }
      if (i === n) break
      if (policy.mappings) {
        if (policy.mappings.some(([a, b]) => a === ANY_POLICY || b === ANY_POLICY)) return { ok: false, reason: 'mapping_any_policy', at: i }
        if (!tree.empty) applyMappings(tree, policy.mappings, i, policyMapping)
      }
      if (!selfIssued) {
        if (explicitPolicy > 0) explicitPolicy--
        if (policyMapping > 0) policyMapping--
        if (inhibitAny > 0) inhibitAny--
      }
      if (policy.requireExplicitPolicy !== undefined) explicitPolicy = Math.min(explicitPolicy, policy.requireExplicitPolicy)
      if (policy.inhibitPolicyMapping !== undefined) policyMapping = Math.min(policyMapping, policy.inhibitPolicyMapping)
      if (policy.inhibitAnyPolicy !== undefined) inhibitAny = Math.min(inhibitAny, policy.inhibitAnyPolicy)
    }
    const last = certs[n - 1]?.policy
    if (explicitPolicy > 0) explicitPolicy--
    if (last?.requireExplicitPolicy === 0) explicitPolicy = 0
    const initial = new Set(input.initialPolicySet?.length ? input.initialPolicySet : [ANY_POLICY])
    if (!tree.empty && !initial.has(ANY_POLICY)) intersect(tree, initial, n)
    if (explicitPolicy <= 0 && tree.empty) return { ok: false, reason: 'no_policy', at: n }
    if (tree.empty) return { ok: true, policies: [] }
    const leaves = tree.at(n).filter((x) => x.alive).map((x) => x.policy)
    return { ok: true, policies: leaves.includes(ANY_POLICY) ? 'any' : [...new Set(leaves)] }
  } catch (e) {
    if (e instanceof TooLarge) return { ok: false, reason: 'too_large', at: n }
    throw e
  }
}
