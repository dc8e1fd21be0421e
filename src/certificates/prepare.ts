/**
 * Checking the items of an upload before anything is written: each leaf's chain at its notBefore (off the
 * event loop, one budget for the request), imported CRLs for the leaf and its CAs, the unit it is for,
 * names the database can store, and the registrar's scope. The trust store, CRL entries and unit
 * candidates are loaded once for all items.
 */
import type { Db } from '../db/open.ts'
import type { certificates } from '../db/schema.ts'
import type { Actor } from '../auth/actor.ts'
import { inScope } from '../auth/scope.ts'
import { issuerSerialKey, revokedSerials } from '../crls/entries.ts'
import { DomainError, Forbidden, Unprocessable } from '../lib/errors.ts'
import { dayVn } from '../lib/dates.ts'
import { mapInSlices } from '../lib/in-slices.ts'
import type { ProblemEntry } from '../lib/problem-codes.ts'
import { textFault } from '../lib/text-fault.ts'
import type { Certificate } from '../pki/index.ts'
import { nameKeyOf } from '../pki/name-key.ts'
import { trustMaterial } from '../pki/trust-material.ts'
import { contractProblems } from '../trust/chain-problems.ts'
import { trustPolicyOf } from '../trust/policy.ts'
import { trustStore, type TrustStore } from '../trust/store.ts'
import type { ChainVerdict } from './chain-check.ts'
import { checkChainsOffThread } from './upload-pool.ts'
import { findUnit } from './find-unit.ts'
import { requestBudget } from './limits.ts'
import type { Device } from './record.ts'
import { lookupKeys, subjectMentions, type Kind } from './subject-mentions.ts'
import { loadUnitCandidates } from './unit-candidates.ts'

/** One certificate to register: the certificates read from its upload (leaf first), or why they could not be, and its options. */
export type ItemInput = {
  certs: Certificate[] | DomainError
  unitCode?: string
  kind?: Kind
  device?: Device | null
}

/** The outcome of one item: a row ready to insert, or the refusal. */
export type Prepared =
  | { ok: true; values: typeof certificates.$inferInsert; leaf: Certificate; unitName: string }
  | { ok: false; problem: DomainError }

type Readable = { item: ItemInput; leaf: Certificate; chain: Certificate[] }

/** The leaf comes first; a bundle in another order (a .p7b holding one end-entity certificate) is taken as meant. */
function leafAndChain(item: ItemInput, certs: Certificate[]): Readable {
  const ends = certs.filter((c) => !c.basicConstraints?.cA)
  const leaf = ends.length === 1 ? ends[0] : certs[0]
  return { item, leaf, chain: certs.filter((c) => c !== leaf) }
}

async function checkChains(db: Db, trust: TrustStore, readable: Readable[], sharedChain: Certificate[]): Promise<ChainVerdict[]> {
  if (!readable.length) return []
  return checkChainsOffThread({
    items: readable.map((r) => ({ leaf: r.leaf.der, chain: r.chain.map((c) => c.der) })),
    shared: sharedChain.map((c) => c.der),
    trust: trustMaterial(trust),
    policy: trustPolicyOf(db),
    // One budget for the whole request: many leaves must not multiply the verifier's per-leaf bounds.
    budget: requestBudget(),
  })
}

/**
 * Checks every item and finds its unit. `sharedChain` holds CA certificates sent with a batch, used for
 * path building by every item.
 */
export async function prepareItems(db: Db, actor: Actor, items: ItemInput[], sharedChain: Certificate[] = [], store?: TrustStore): Promise<Prepared[]> {
  const trust = store ?? await trustStore(db)
  const readable = items.flatMap((item) => (item.certs instanceof DomainError ? [] : [leafAndChain(item, item.certs)]))
  const verdicts = await checkChains(db, trust, readable, sharedChain)
  const checked = await mapInSlices(readable, (r, i) => {
    const kind = r.item.kind ?? 'organization'
    return { ...r, kind, verdict: verdicts[i], mentions: subjectMentions(r.leaf.subjectAttributes, kind) }
  })

  // The leaf and the CAs of its path (the anchor aside) must not be on an imported CRL.
  const pairs = checked.flatMap((c) => c.verdict.revocable.map((link) => ({ issuerKey: link.issuerKey, serial: link.serialNumber })))
  const revoked = pairs.length && trust.hasCrlEntries ? await revokedSerials(db, pairs) : new Map<string, Date>()
  const keys = checked.map((c) => lookupKeys(c.mentions))
  const units = await loadUnitCandidates(db,
    checked.flatMap((c) => (c.item.unitCode === undefined ? [] : [c.item.unitCode])),
    keys.flatMap((k) => k.communeKeys), keys.flatMap((k) => k.placeKeys))

  const byItem = new Map(checked.map((c) => [c.item, c]))
  return mapInSlices(items, (item): Prepared => {
    if (item.certs instanceof DomainError) return { ok: false, problem: item.certs }
    const { leaf, kind, verdict, mentions } = byItem.get(item)!
    const problems: ProblemEntry[] = contractProblems(verdict.problems)
    verdict.revocable.forEach((link, i) => {
      const at = revoked.get(issuerSerialKey({ issuerKey: link.issuerKey, serial: link.serialNumber }))
      if (!at) return
      problems.push({
        code: 'revoked',
        message: i === 0
          ? `The certificate is on an imported revocation list of its issuer, revoked from ${at.toISOString()}.`
          : `The CA certificate "${link.subjectDn}" in its chain is on an imported revocation list, revoked from ${at.toISOString()}.`,
      })
    })
    const found = findUnit(item.unitCode, mentions, units, dayVn(leaf.notBefore))
    problems.push(...found.problems)
    const fault = [leaf.subjectDn, leaf.issuerDn, ...Object.values(leaf.subject).flat()].map(textFault).find((f) => f !== null)
    if (fault) problems.push({ code: 'malformed_name', message: `The certificate's subject or issuer name ${fault}; it cannot be recorded.` })
    if (problems.length) {
      const codes = [...new Set(problems.map((p) => p.code))].join(', ')
      return { ok: false, problem: new Unprocessable(`The certificate was refused (${codes}); nothing was stored. Each entry of problems says what failed.`, problems) }
    }
    const unit = found.unit!
    if (!inScope(actor, unit)) {
      return { ok: false, problem: new Forbidden(`The certificate belongs to ${unit.name} (${unit.code}), which is outside this token's scope; nothing was stored.`) }
    }
    return {
      ok: true,
      leaf,
      unitName: unit.name,
      values: {
        fingerprintSha256: leaf.fingerprintSha256,
        der: leaf.der,
        serialNumber: leaf.serialNumber,
        subject: leaf.subject,
        subjectDn: leaf.subjectDn,
        issuerDn: leaf.issuerDn,
        issuerKey: nameKeyOf(leaf.issuerDer),
        notBefore: leaf.notBefore,
        notAfter: leaf.notAfter,
        unitCode: unit.code,
        unitId: unit.id,
        committeeId: unit.committeeId,
        kind,
        device: item.device ?? null,
        keyAlgorithm: leaf.keyAlgorithm,
        keySize: leaf.keySize,
        signatureAlgorithm: leaf.signatureAlgorithm,
        matchedBy: found.matchedBy,
        warnings: [...verdict.warnings.map((w) => ({ code: w.code, message: w.message })), ...found.warnings],
      },
    }
  })
}
