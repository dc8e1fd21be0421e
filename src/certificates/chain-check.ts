/**
 * Chain building and checking for the items of one upload, at each leaf's notBefore, with one signature
 * and path budget for the whole request. Pure: it runs in a worker thread (upload-worker.ts), so it
 * takes and gives plain data that crosses threads (DER in, problems and the path's links out).
 */
import { parseCertificate, verifyCertificate, type PkiProblem } from '../pki/index.ts'
import { nameKeyOf } from '../pki/name-key.ts'
import { parsedList, parsedTrust, type TrustMaterial } from '../pki/trust-material.ts'
import type { TrustPolicy } from '../trust/policy.ts'
import type { VerifyBudget } from '../pki/verify.ts'

export type ChainTask = {
  /** Per item: its leaf and the CA certificates uploaded with it, as DER. */
  items: { leaf: Uint8Array; chain: Uint8Array[] }[]
  /** CA certificates sent along with a batch, chain material for every item. */
  shared: Uint8Array[]
  trust: TrustMaterial
  policy: TrustPolicy
  budget: VerifyBudget
}

/** A certificate of the path that an imported CRL could name: the leaf and its CAs, the anchor aside. */
export type PathLink = { issuerKey: string; serialNumber: string; subjectDn: string }

export type ChainVerdict = { problems: PkiProblem[]; warnings: PkiProblem[]; revocable: PathLink[] }

export function checkChains(task: ChainTask): ChainVerdict[] {
  const trust = parsedTrust(task.trust)
  const shared = parsedList(task.shared)
  const budget = { ...task.budget }
  return task.items.map((item) => {
    const leaf = parseCertificate(Buffer.from(item.leaf))
    const result = verifyCertificate(leaf, {
      anchors: trust.anchors,
      intermediates: [...trust.intermediates, ...parsedList(item.chain), ...shared],
      at: leaf.notBefore,
      profile: 'signing',
      ...task.policy,
      budget,
    })
    const path = result.ok ? result.path : [leaf]
    return {
      problems: result.problems,
      warnings: result.warnings,
      revocable: path.slice(0, Math.max(1, path.length - 1)).map((c) => ({ issuerKey: nameKeyOf(c.issuerDer), serialNumber: c.serialNumber, subjectDn: c.subjectDn })),
    }
  })
}
