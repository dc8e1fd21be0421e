/**
 * Registration of certificates of People's Committees, one or a batch.
 *
 * Registration reads the upload, builds and checks the chain at the leaf's notBefore (trust anchors,
 * registered intermediates and the CA certificates sent along), refuses what is already on an imported
 * CRL, finds the unit (explicit or from the subject), checks the registrar's scope and records the
 * certificate with its audit entry in one transaction. The same pipeline serves a batch: the trust
 * store, CRL entries and unit candidates are loaded once for all items and the rows are written with
 * one set-based insert.
 */
import { and, eq, inArray, or, type SQL } from 'drizzle-orm'
import { adminUnits, certificates } from '../db/schema.ts'
import type { Db, DbOrTx } from '../db/open.ts'
import { isDatabaseUnavailable, isUniqueViolation } from '../db/errors.ts'
import type { Actor } from '../auth/actor.ts'
import { inScope } from '../auth/scope.ts'
import { chunks } from '../lib/chunks.ts'
import { Conflict, DomainError, Forbidden, TooLarge, Unprocessable } from '../lib/errors.ts'
import type { ProblemEntry } from '../lib/problem-codes.ts'
import { textFault } from '../lib/text-fault.ts'
import { verifyCertificate, type Certificate } from '../pki/index.ts'
import { trustPolicyOf } from '../trust/policy.ts'
import { trustStore, type TrustStore } from '../trust/store.ts'
import { contractProblems } from '../trust/chain-problems.ts'
import { issuerSerialKey, revokedSerials } from '../crls/entries.ts'
import { nameKeyOf } from '../crls/name-key.ts'
import { readCertificateUpload, type Upload } from '../upload/read.ts'
import { chooseUnit, explicitUnitConflicts, type Kind, type Mention, type UnitRow } from './match.ts'
import { lookupKeys, subjectMentions } from './subject-mentions.ts'
import { inForceOn } from '../units/rules.ts'
import { LIMITS, requestBudget } from './limits.ts'
import { vietnamDay } from './status.ts'
import { insertCertificates, type Inserted } from './insert.ts'
import { certificateRecord, type CertificateRecord, type Device, type MatchedBy, type Warning } from './record.ts'

/** One certificate to register: the certificates read from its upload (leaf first) and its options. */
export type ItemInput = {
  certs: Certificate[] | DomainError
  unitCode?: string
  kind?: Kind
  device?: Device | null
}

/** The outcome of one item: a row ready to insert, or the refusal. */
type Prepared =
  | { ok: true; values: typeof certificates.$inferInsert; leaf: Certificate; unitName: string }
  | { ok: false; problem: DomainError }

/** Rows or keys per statement where a list is sent as parameters. */
const CHUNK = 1000

const UNIT_COLUMNS = {
  id: adminUnits.id, committeeId: adminUnits.committeeId, placeCodes: adminUnits.placeCodes,
  code: adminUnits.code, name: adminUnits.name, type: adminUnits.type, level: adminUnits.level,
  parentCode: adminUnits.parentCode, districtCode: adminUnits.districtCode, provinceCode: adminUnits.provinceCode,
  bareKey: adminUnits.bareKey, validFrom: adminUnits.validFrom, validTo: adminUnits.validTo,
}

/**
 * Every version of the units named explicitly, and of the units and places whose bare keys the subjects
 * mention: two queries at most. Callers pick the versions in force on each certificate's day.
 */
async function loadUnits(db: Db, codes: string[], communeKeys: string[], placeKeys: string[]): Promise<{ byCode: Map<string, UnitRow[]>; byKey: UnitRow[] }> {
  const byCode = new Map<string, UnitRow[]>()
  for (const part of chunks([...new Set(codes)], CHUNK)) {
    for (const r of await db.select(UNIT_COLUMNS).from(adminUnits).where(inArray(adminUnits.code, part))) {
      byCode.set(r.code, [...(byCode.get(r.code) ?? []), r])
    }
  }
  const byKey: UnitRow[] = []
  const ck = [...new Set(communeKeys)]
  const pk = [...new Set(placeKeys)]
  if (ck.length || pk.length) {
    const filters: SQL[] = []
    if (ck.length) filters.push(and(eq(adminUnits.level, 'commune'), inArray(adminUnits.bareKey, ck))!)
    if (pk.length) filters.push(and(inArray(adminUnits.level, ['district', 'province']), inArray(adminUnits.bareKey, pk))!)
    byKey.push(...await db.select(UNIT_COLUMNS).from(adminUnits).where(or(...filters)))
  }
  return { byCode, byKey }
}

/**
 * Checks every item and finds its unit. Loads the trust store, CRL entries and unit candidates once.
 * `sharedChain` holds CA certificates sent with a batch, used for path building by every item.
 */
export async function prepareItems(db: Db, actor: Actor, items: ItemInput[], sharedChain: Certificate[] = [], store?: TrustStore): Promise<Prepared[]> {
  const trust = store ?? await trustStore(db)
  // One budget for the whole request: many leaves must not multiply the verifier's per-leaf bounds.
  const budget = requestBudget()
  type Checked = { leaf: Certificate; kind: Kind; problems: ProblemEntry[]; warnings: Warning[]; path: Certificate[]; mentions: Mention[]; item: ItemInput }
  const checked: (Checked | DomainError)[] = items.map((item) => {
    if (item.certs instanceof DomainError) return item.certs
    // The leaf comes first; a bundle in another order (a .p7b holding one end-entity certificate) is taken as meant.
    const ends = item.certs.filter((c) => !c.basicConstraints?.cA)
    const leaf = ends.length === 1 ? ends[0] : item.certs[0]
    const chain = item.certs.filter((c) => c !== leaf)
    const kind = item.kind ?? 'organization'
    const result = verifyCertificate(leaf, {
      anchors: trust.anchors,
      intermediates: [...trust.intermediates, ...chain, ...sharedChain],
      at: leaf.notBefore,
      profile: 'signing',
      ...trustPolicyOf(db),
      budget,
    })
    return {
      leaf, kind, item,
      problems: contractProblems(result.problems),
      warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
      path: result.ok ? result.path : [leaf],
      mentions: subjectMentions(leaf.subjectAttributes, kind),
    }
  })

  const ok = checked.filter((c): c is Checked => !(c instanceof DomainError))
  // The leaf and the CAs of its path (the anchor aside) must not be on an imported CRL.
  const pairs = ok.flatMap((c) => c.path.slice(0, Math.max(1, c.path.length - 1)).map((cert) => ({ issuerKey: nameKeyOf(cert.issuerDer), serial: cert.serialNumber })))
  const revoked = pairs.length && trust.hasCrlEntries ? await revokedSerials(db, pairs) : new Map<string, Date>()
  const keys = ok.map((c) => lookupKeys(c.mentions))
  const units = await loadUnits(db,
    ok.flatMap((c) => (c.item.unitCode === undefined ? [] : [c.item.unitCode])),
    keys.flatMap((k) => k.communeKeys), keys.flatMap((k) => k.placeKeys))

  return checked.map((c): Prepared => {
    if (c instanceof DomainError) return { ok: false, problem: c }
    const problems = [...c.problems]
    c.path.slice(0, Math.max(1, c.path.length - 1)).forEach((cert, i) => {
      const at = revoked.get(issuerSerialKey({ issuerKey: nameKeyOf(cert.issuerDer), serial: cert.serialNumber }))
      if (!at) return
      problems.push({
        code: 'revoked',
        message: i === 0
          ? `The certificate is on an imported revocation list of its issuer, revoked from ${at.toISOString()}.`
          : `The CA certificate "${cert.subjectDn}" in its chain is on an imported revocation list, revoked from ${at.toISOString()}.`,
      })
    })

    let unit: UnitRow | null = null
    let matchedBy: MatchedBy = 'subject'
    const day = vietnamDay(c.leaf.notBefore)
    if (c.item.unitCode !== undefined) {
      matchedBy = 'explicit'
      const versions = units.byCode.get(c.item.unitCode) ?? []
      const found = versions.find((v) => inForceOn(v, day))
      if (!found) {
        problems.push({
          code: 'unit_not_found',
          message: versions.length
            ? `${versions[0].name} (${c.item.unitCode}) was not in force on ${day}, the day the certificate became valid.`
            : `No administrative unit has the code ${c.item.unitCode}.`,
        })
      } else if (found.level !== 'commune') problems.push({ code: 'unit_not_found', message: `${found.name} (${found.code}) is a ${found.level}, not a commune, ward or town; certificates are recorded for commune-level units.` })
      else {
        const { conflicts, warnings } = explicitUnitConflicts(found, c.mentions, units.byKey, day)
        for (const message of conflicts) problems.push({ code: 'unit_mismatch', message })
        for (const message of warnings) c.warnings.push({ code: 'former_unit_named', message })
        unit = found
      }
    } else {
      const match = chooseUnit(c.mentions, units.byKey, day)
      if (match.outcome === 'matched') {
        unit = match.unit
        for (const message of match.warnings) {
          c.warnings.push({ code: message.startsWith('The subject calls') ? 'unit_type_differs' : 'former_unit_named', message })
        }
      } else if (match.outcome === 'not_found') problems.push({ code: 'unit_not_found', message: match.message })
      else problems.push({ code: 'unit_ambiguous', message: match.message, candidates: match.candidates })
    }

    const fault = [c.leaf.subjectDn, c.leaf.issuerDn, ...Object.values(c.leaf.subject).flat()].map(textFault).find((f) => f !== null)
    if (fault) problems.push({ code: 'malformed_name', message: `The certificate's subject or issuer name ${fault}; it cannot be recorded.` })
    if (problems.length) {
      const codes = [...new Set(problems.map((p) => p.code))].join(', ')
      return { ok: false, problem: new Unprocessable(`The certificate was refused (${codes}); nothing was stored. Each entry of problems says what failed.`, problems) }
    }
    if (!inScope(actor, unit!)) {
      return { ok: false, problem: new Forbidden(`The certificate belongs to ${unit!.name} (${unit!.code}), which is outside this token's scope; nothing was stored.`) }
    }
    const leaf = c.leaf
    return {
      ok: true,
      leaf,
      unitName: unit!.name,
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
        unitCode: unit!.code,
        unitId: unit!.id,
        committeeId: unit!.committeeId,
        kind: c.kind,
        device: c.item.device ?? null,
        keyAlgorithm: leaf.keyAlgorithm,
        keySize: leaf.keySize,
        signatureAlgorithm: leaf.signatureAlgorithm,
        matchedBy,
        warnings: c.warnings,
      },
    }
  })
}

async function existingIds(db: DbOrTx, fingerprints: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const part of chunks([...new Set(fingerprints)], CHUNK)) {
    const rows = await db.select({ id: certificates.id, fp: certificates.fingerprintSha256 }).from(certificates)
      .where(inArray(certificates.fingerprintSha256, part))
    for (const r of rows) out.set(r.fp, r.id)
  }
  return out
}

const ALREADY_RECORDED = 'This certificate (the same DER) is already recorded.'

/** Registers one certificate; throws the refusal. */
export async function registerCertificate(db: Db, actor: Actor, body: Upload, options: Omit<ItemInput, 'certs'>): Promise<CertificateRecord> {
  const certs = readCertificateUpload(body)
  if (certs.length > 1 + LIMITS.uploadCaCertificates) {
    throw new TooLarge(`The upload holds ${certs.length} certificates; at most ${1 + LIMITS.uploadCaCertificates} (the certificate and ${LIMITS.uploadCaCertificates} CA certificates of its chain) are read. Nothing was stored.`)
  }
  const [prepared] = await prepareItems(db, actor, [{ certs, ...options }])
  if (!prepared.ok) throw prepared.problem
  let inserted: Inserted | undefined
  try {
    [inserted] = await db.transaction((tx) => insertCertificates(tx, actor, [prepared.values], false))
  } catch (err) {
    if (!isUniqueViolation(err)) throw err
  }
  if (!inserted) {
    const id = (await existingIds(db, [prepared.values.fingerprintSha256])).get(prepared.values.fingerprintSha256)
    throw new Conflict(ALREADY_RECORDED, id ?? '')
  }
  const v = prepared.values
  return certificateRecord({
    ...v, id: inserted.id, createdAt: new Date(inserted.createdAt), device: v.device ?? null, warnings: v.warnings ?? [],
    revokedAt: null, revocationReason: null,
  })
}

export type BatchResult = {
  index: number
  status: 201 | 400 | 403 | 409 | 422
  id?: string
  unitCode?: string
  unitName?: string
  matchedBy?: MatchedBy
  warnings?: { code: string; message: string }[]
  code?: string
  detail?: string
  problems?: ProblemEntry[]
  existingId?: string
}

export const MAX_BATCH_ITEMS = LIMITS.batchItems

/**
 * Registers a batch: each item stands alone (a bad item refuses that item only). The accepted ones are
 * written with one set-based insert (ON CONFLICT DO NOTHING) and their audit entries in one transaction;
 * those the database already held, or that repeat an earlier item, answer 409 with the existing id.
 */
export async function registerBatch(db: Db, actor: Actor, items: (ItemInput & { index: number })[], sharedChain: Certificate[] = []): Promise<BatchResult[]> {
  const prepared = await prepareItems(db, actor, items, sharedChain)
  const results = new Array<BatchResult>(items.length)
  const firstOf = new Map<string, number>()
  const toInsert: { i: number; values: typeof certificates.$inferInsert }[] = []
  prepared.forEach((p, i) => {
    const index = items[i].index
    if (!p.ok) {
      const { problems } = p.problem
      results[i] = {
        index, status: p.problem.status as BatchResult['status'], code: p.problem.code, detail: p.problem.detail,
        ...(problems ? { problems } : {}),
      }
      return
    }
    if (firstOf.has(p.values.fingerprintSha256)) return
    firstOf.set(p.values.fingerprintSha256, i)
    toInsert.push({ i, values: p.values })
  })

  const created = new Map<string, string>()
  const refusedByDb = new Set<number>()
  if (toInsert.length) {
    await db.transaction(async (tx) => {
      for (const part of chunks(toInsert, 500)) {
        // One statement for the chunk; should the database refuse a row of it, each item is tried in its own
        // savepoint, so that the good ones are stored and the bad one answers for itself.
        try {
          for (const r of await tx.transaction((sp) => insertCertificates(sp, actor, part.map((p) => p.values), true))) created.set(r.fingerprintSha256, r.id)
        } catch (err) {
          if (isDatabaseUnavailable(err)) throw err
          for (const p of part) {
            try {
              for (const r of await tx.transaction((sp) => insertCertificates(sp, actor, [p.values], true))) created.set(r.fingerprintSha256, r.id)
            } catch (itemErr) {
              if (isDatabaseUnavailable(itemErr)) throw itemErr
              refusedByDb.add(p.i)
            }
          }
        }
      }
    })
  }
  for (const i of refusedByDb) {
    const detail = 'The database refused this certificate (a value it cannot store); nothing was stored for it. The other items stand on their own.'
    results[i] = { index: items[i].index, status: 422, code: 'unprocessable', detail, problems: [{ code: 'unstorable', message: detail }] }
    firstOf.delete((prepared[i] as { values: { fingerprintSha256: string } }).values.fingerprintSha256)
  }
  const missing = [...firstOf.keys()].filter((fp) => !created.has(fp))
  const existing = missing.length ? await existingIds(db, missing) : new Map<string, string>()
  prepared.forEach((p, i) => {
    if (!p.ok || refusedByDb.has(i)) return
    const fp = p.values.fingerprintSha256
    const index = items[i].index
    const newId = created.get(fp)
    if (newId && firstOf.get(fp) === i) {
      results[i] = { index, status: 201, id: newId, unitCode: p.values.unitCode, unitName: p.unitName, matchedBy: p.values.matchedBy as BatchResult['matchedBy'],
        warnings: p.values.warnings ?? [],
      }
    } else {
      const id = newId ?? existing.get(fp) ?? ''
      results[i] = { index, status: 409, code: 'duplicate', detail: ALREADY_RECORDED, existingId: id }
    }
  })
  return results
}
