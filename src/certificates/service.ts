/**
 * Certificates of People's Committees: registration (one or a batch), listing, reading, revocation.
 *
 * Registration reads the upload, builds and checks the chain at the leaf's notBefore (trust anchors,
 * registered intermediates and the CA certificates sent along), refuses what is already on an imported
 * CRL, finds the unit (explicit or from the subject), checks the registrar's scope and records the
 * certificate with its audit entry in one transaction. The same pipeline serves a batch: the trust
 * store, CRL entries and unit candidates are loaded once for all items and the rows are written with
 * one set-based insert.
 */
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm'
import { adminUnits, certificates } from '../db/schema.ts'
import type { Db, Tx } from '../db/open.ts'
import { isDatabaseUnavailable, isUniqueViolation } from '../db/errors.ts'
import { queryRows } from '../db/rows.ts'
import type { Actor } from '../auth/actor.ts'
import { inScope } from '../auth/scope.ts'
import { HttpProblem, badRequest, duplicate, forbidden, notFound, type ProblemEntry } from '../http/problem.ts'
import type { Certificate } from '../pki/index.ts'
import { nameKeyOf } from '../pki/name-key.ts'
import { trustMaterial } from '../pki/trust-material.ts'
import type { PathLink } from './chain-check.ts'
import { checkChainsOffThread } from './chain-pool.ts'
import { trustPolicyOf } from './trust-policy.ts'
import { foldName } from '../units/names.ts'
import { chooseUnit, explicitUnitConflicts, type Kind, type Mention, type UnitRow } from './match.ts'
import { lookupKeys, subjectMentions } from './subject-mentions.ts'
import { atOrUnderSql, inForceOn } from '../units/rules.ts'
import { parseMomentStrict } from '../lib/strict-dates.ts'
import { textFault } from '../http/strict-input.ts'
import { LIMITS, requestBudget } from './limits.ts'
import { certificateStatus, vietnamDay, type CertificateStatus } from './status.ts'
import { contractProblems, readUpload, readingProblem } from './trust-service.ts'
import { trustStore, type TrustStore } from './trust-cache.ts'

export const KINDS = ['organization', 'individual'] as const
export const DEVICES = ['token', 'sim', 'remote', 'other'] as const
export type Device = (typeof DEVICES)[number]

export type Warning = { code: string; message: string }

export type CertificateRecord = {
  id: string
  fingerprintSha256: string
  serialNumber: string
  subject: Record<string, string | string[]>
  subjectDn: string
  issuerDn: string
  device: Device | null
  notBefore: string
  notAfter: string
  unitCode: string
  kind: Kind
  status: CertificateStatus
  keyAlgorithm: string
  keySize: number
  signatureAlgorithm: string
  matchedBy: 'explicit' | 'subject'
  warnings: Warning[]
  revokedAt: string | null
  revocationReason: string | null
  createdAt: string
}

type Row = typeof certificates.$inferSelect

export function toRecord(row: Row, now = new Date()): CertificateRecord {
  return {
    id: row.id,
    fingerprintSha256: row.fingerprintSha256,
    serialNumber: row.serialNumber,
    subject: row.subject,
    subjectDn: row.subjectDn,
    issuerDn: row.issuerDn,
    device: (row.device as Device | null) ?? null,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    unitCode: row.unitCode,
    kind: row.kind as Kind,
    status: certificateStatus(row, now),
    keyAlgorithm: row.keyAlgorithm,
    keySize: row.keySize,
    signatureAlgorithm: row.signatureAlgorithm,
    matchedBy: row.matchedBy as 'explicit' | 'subject',
    warnings: row.warnings ?? [],
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revocationReason: row.revocationReason ?? null,
    createdAt: row.createdAt.toISOString(),
  }
}

// ---------------------------------------------------------------------------------------------
// Registration

/** One certificate to register: the certificates read from its upload (leaf first) and its options. */
export type ItemInput = {
  certs: Certificate[] | HttpProblem
  unitCode?: string
  kind?: Kind
  device?: Device | null
}

/** The outcome of one item: a row ready to insert, or the refusal. */
type Prepared =
  | { ok: true; values: typeof certificates.$inferInsert; leaf: Certificate; unitName: string }
  | { ok: false; problem: HttpProblem }

const UNIT_COLUMNS = {
  id: adminUnits.id, committeeId: adminUnits.committeeId, placeCodes: adminUnits.placeCodes,
  code: adminUnits.code, name: adminUnits.name, type: adminUnits.type, level: adminUnits.level,
  parentCode: adminUnits.parentCode, districtCode: adminUnits.districtCode, provinceCode: adminUnits.provinceCode,
  bareKey: adminUnits.bareKey, validFrom: adminUnits.validFrom, validTo: adminUnits.validTo,
}

const CHUNK = 1000

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** Serial numbers already on an imported CRL, as `issuerKey|serial` → revocation date. One query, pairs as one JSON parameter. */
async function revokedSerials(db: Db, pairs: { issuerKey: string; serial: string }[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>()
  const unique = [...new Map(pairs.map((p) => [`${p.issuerKey}|${p.serial}`, { k: p.issuerKey, s: p.serial }])).values()]
  if (!unique.length) return out
  const rows = await queryRows<{ k: string; s: string; revoked_at: string | Date }>(db, sql`
    select e.issuer_key as k, e.serial_number as s, e.revoked_at
      from jsonb_to_recordset(${JSON.stringify(unique)}::jsonb) as r(k text, s text)
      join crl_entries e on e.issuer_key = r.k and e.serial_number = r.s`)
  for (const r of rows) out.set(`${r.k}|${r.s}`, new Date(r.revoked_at))
  return out
}

/**
 * Every version of the units named explicitly, and of the units and places whose bare keys the subjects
 * mention: two queries at most. Callers pick the versions in force on each certificate's day.
 */
async function loadUnits(db: Db, codes: string[], communeKeys: string[], placeKeys: string[]): Promise<{ byCode: Map<string, UnitRow[]>; byKey: UnitRow[] }> {
  const byCode = new Map<string, UnitRow[]>()
  for (const part of chunks([...new Set(codes)])) {
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

function refusal(detail: string, problems: ProblemEntry[]): HttpProblem {
  return new HttpProblem(422, 'unprocessable', detail, { problems })
}

/**
 * Checks every item and finds its unit. Loads the trust store, CRL entries and unit candidates once.
 * `sharedChain` holds CA certificates sent with a batch, used for path building by every item.
 */
export async function prepareItems(db: Db, actor: Actor, items: ItemInput[], sharedChain: Certificate[] = [], store?: TrustStore): Promise<Prepared[]> {
  const trust = store ?? await trustStore(db)
  type Checked = { leaf: Certificate; kind: Kind; problems: ProblemEntry[]; warnings: Warning[]; revocable: PathLink[]; mentions: Mention[]; item: ItemInput }
  const readable = items.flatMap((item) => {
    if (item.certs instanceof HttpProblem) return []
    // The leaf comes first; a bundle in another order (a .p7b holding one end-entity certificate) is taken as meant.
    const ends = item.certs.filter((c) => !c.basicConstraints?.cA)
    const leaf = ends.length === 1 ? ends[0] : item.certs[0]
    return [{ item, leaf, chain: item.certs.filter((c) => c !== leaf) }]
  })
  const verdicts = readable.length
    ? await checkChainsOffThread({
        items: readable.map((r) => ({ leaf: r.leaf.der, chain: r.chain.map((c) => c.der) })),
        shared: sharedChain.map((c) => c.der),
        trust: trustMaterial(trust),
        policy: trustPolicyOf(db),
        // One budget for the whole request: many leaves must not multiply the verifier's per-leaf bounds.
        budget: requestBudget(),
      })
    : []
  const byItem = new Map(readable.map((r, i) => [r.item, { ...r, verdict: verdicts[i] }]))
  const checked: (Checked | HttpProblem)[] = items.map((item) => {
    if (item.certs instanceof HttpProblem) return item.certs
    const { leaf, verdict } = byItem.get(item)!
    const kind = item.kind ?? 'organization'
    return {
      leaf, kind, item,
      problems: contractProblems(verdict.problems),
      warnings: verdict.warnings.map((w) => ({ code: w.code, message: w.message })),
      revocable: verdict.revocable,
      mentions: subjectMentions(leaf.subjectAttributes, kind),
    }
  })

  const ok = checked.filter((c): c is Checked => !(c instanceof HttpProblem))
  // The leaf and the CAs of its path (the anchor aside) must not be on an imported CRL.
  const pairs = ok.flatMap((c) => c.revocable.map((cert) => ({ issuerKey: cert.issuerKey, serial: cert.serialNumber })))
  const revoked = pairs.length && trust.hasCrlEntries ? await revokedSerials(db, pairs) : new Map<string, Date>()
  const keys = ok.map((c) => lookupKeys(c.mentions))
  const units = await loadUnits(db,
    ok.flatMap((c) => (c.item.unitCode === undefined ? [] : [c.item.unitCode])),
    keys.flatMap((k) => k.communeKeys), keys.flatMap((k) => k.placeKeys))

  return checked.map((c): Prepared => {
    if (c instanceof HttpProblem) return { ok: false, problem: c }
    const problems = [...c.problems]
    c.revocable.forEach((cert, i) => {
      const at = revoked.get(`${cert.issuerKey}|${cert.serialNumber}`)
      if (!at) return
      problems.push({
        code: 'revoked',
        message: i === 0
          ? `The certificate is on an imported revocation list of its issuer, revoked from ${at.toISOString()}.`
          : `The CA certificate "${cert.subjectDn}" in its chain is on an imported revocation list, revoked from ${at.toISOString()}.`,
      })
    })

    let unit: UnitRow | null = null
    let matchedBy: 'explicit' | 'subject' = 'subject'
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
      return { ok: false, problem: refusal(`The certificate was refused (${codes}); nothing was stored. Each entry of problems says what failed.`, problems) }
    }
    if (!inScope(actor, unit!)) {
      return { ok: false, problem: forbidden(`The certificate belongs to ${unit!.name} (${unit!.code}), which is outside this token's scope; nothing was stored.`) }
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

async function existingIds(db: Tx, fingerprints: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const part of chunks([...new Set(fingerprints)])) {
    const rows = await db.select({ id: certificates.id, fp: certificates.fingerprintSha256 }).from(certificates)
      .where(inArray(certificates.fingerprintSha256, part))
    for (const r of rows) out.set(r.fp, r.id)
  }
  return out
}

function alreadyRecorded(id: string): HttpProblem {
  return duplicate('This certificate (the same DER) is already recorded.', id)
}

/**
 * Inserts many certificates and their audit entries in one statement: the rows travel as one JSON
 * parameter (jsonb_to_recordset), so a batch costs one round trip and no per-row parameter building.
 * Rows whose fingerprint is already recorded are skipped (ON CONFLICT DO NOTHING) and not returned.
 * One statement: its two inserts land together or not at all, without a transaction's extra round trips.
 */
async function insertMany(tx: Tx, actor: Actor, rows: (typeof certificates.$inferInsert)[], batch = true): Promise<{ id: string; fp: string; created_at: string }[]> {
  const payload = JSON.stringify(rows.map((v) => ({
    fp: v.fingerprintSha256, der: v.der.toString('base64'), serial: v.serialNumber, subject: v.subject, subject_dn: v.subjectDn,
    issuer_dn: v.issuerDn, issuer_key: v.issuerKey, not_before: (v.notBefore).toISOString(), not_after: (v.notAfter).toISOString(),
    unit_code: v.unitCode, unit_id: v.unitId, committee_id: v.committeeId, kind: v.kind, device: v.device ?? null, key_algorithm: v.keyAlgorithm, key_size: v.keySize,
    signature_algorithm: v.signatureAlgorithm, matched_by: v.matchedBy, warnings: v.warnings ?? [],
  })))
  return queryRows<{ id: string; fp: string; created_at: string }>(tx, sql`
    with input as (
      select * from jsonb_to_recordset(${payload}::jsonb) as r(
        fp text, der text, serial text, subject jsonb, subject_dn text, issuer_dn text, issuer_key text,
        not_before timestamptz, not_after timestamptz, unit_code text, unit_id integer, committee_id integer, kind text, device text, key_algorithm text,
        key_size integer, signature_algorithm text, matched_by text, warnings jsonb)
    ), inserted as (
      insert into certificates (fingerprint_sha256, der, serial_number, subject, subject_dn, issuer_dn, issuer_key, not_before,
        not_after, unit_code, unit_id, committee_id, kind, device, key_algorithm, key_size, signature_algorithm, matched_by, warnings)
      select fp, decode(der, 'base64'), serial, subject, subject_dn, issuer_dn, issuer_key, not_before, not_after, unit_code, unit_id, committee_id, kind,
        device, key_algorithm, key_size, signature_algorithm, matched_by, warnings
      from input
      on conflict (fingerprint_sha256) do nothing
      returning id, fingerprint_sha256, created_at
    ), audited as (
      insert into audit_log (actor_id, actor_name, action, entity_type, entity_id, details)
      select ${actor.id}::uuid, ${actor.name}, 'certificate.create', 'certificate', i.id::text,
        jsonb_build_object('fingerprintSha256', r.fp, 'serialNumber', r.serial, 'subjectDn', r.subject_dn, 'issuerDn', r.issuer_dn,
          'unitCode', r.unit_code, 'kind', r.kind, 'matchedBy', r.matched_by) || ${batch ? sql`jsonb_build_object('batch', true)` : sql`'{}'::jsonb`}
      from inserted i join input r on r.fp = i.fingerprint_sha256
    )
    select id::text as id, fingerprint_sha256 as fp, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at from inserted`)
}

/** Registers one certificate; throws the refusal as an HttpProblem. */
export async function registerCertificate(db: Db, actor: Actor, body: Buffer | string | undefined, options: Omit<ItemInput, 'certs'>): Promise<CertificateRecord> {
  const certs = readUpload(body)
  if (certs.length > 1 + LIMITS.uploadCaCertificates) {
    throw new HttpProblem(413, 'payload_too_large', `The upload holds ${certs.length} certificates; at most ${1 + LIMITS.uploadCaCertificates} (the certificate and ${LIMITS.uploadCaCertificates} CA certificates of its chain) are read. Nothing was stored.`)
  }
  const [prepared] = await prepareItems(db, actor, [{ certs, ...options }])
  if (!prepared.ok) throw prepared.problem
  // The row and its audit entry in one statement (one round trip instead of BEGIN, two inserts, COMMIT).
  let inserted: { id: string; created_at: string } | undefined
  try {
    [inserted] = await insertMany(db, actor, [prepared.values], false)
  } catch (err) {
    if (!isUniqueViolation(err)) throw err
  }
  if (!inserted) {
    const id = (await existingIds(db, [prepared.values.fingerprintSha256])).get(prepared.values.fingerprintSha256)
    throw alreadyRecorded(id ?? '')
  }
  const v = prepared.values
  return toRecord({
    ...v, id: inserted.id, createdAt: new Date(inserted.created_at), device: v.device ?? null, warnings: v.warnings ?? [],
    revokedAt: null, revocationReason: null,
  })
}

export type BatchResult = {
  index: number
  status: 201 | 400 | 403 | 409 | 422
  id?: string
  unitCode?: string
  unitName?: string
  matchedBy?: 'explicit' | 'subject'
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
      const body = p.problem.body()
      results[i] = {
        index, status: p.problem.status as BatchResult['status'], code: p.problem.code, detail: p.problem.detail,
        ...(body.problems ? { problems: body.problems } : {}),
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
          for (const r of await tx.transaction((sp) => insertMany(sp, actor, part.map((p) => p.values)))) created.set(r.fp, r.id)
        } catch (err) {
          if (isDatabaseUnavailable(err)) throw err
          for (const p of part) {
            try {
              for (const r of await tx.transaction((sp) => insertMany(sp, actor, [p.values]))) created.set(r.fp, r.id)
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
      results[i] = { index, status: 409, code: 'duplicate', detail: 'This certificate (the same DER) is already recorded.', existingId: id }
    }
  })
  return results
}

/** Reads a batch item's certificate text the way a single upload is read. */
export function readItem(body: string | Buffer | undefined): Certificate[] | HttpProblem {
  try {
    return readUpload(body)
  } catch (err) {
    if (err instanceof HttpProblem) return err
    return readingProblem(err)
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function findRow(db: Tx, id: string): Promise<Row | null> {
  if (!UUID.test(id)) return null
  const [row] = await db.select().from(certificates).where(eq(certificates.id, id)).limit(1)
  return row ?? null
}

export async function getCertificate(db: Db, id: string): Promise<CertificateRecord> {
  const row = await findRow(db, id)
  if (!row) throw notFound(`No certificate has the id ${id}.`)
  return toRecord(row)
}

/** The certificate's DER, as recorded. */
export async function getCertificateDer(db: Db, id: string): Promise<Buffer> {
  const row = await findRow(db, id)
  if (!row) throw notFound(`No certificate has the id ${id}.`)
  return row.der
}

export type ListQuery = {
  unitCode?: string
  kind?: Kind
  status?: CertificateStatus
  expiringBefore?: string
  q?: string
  limit: number
  cursor?: string
}

/** Vietnamese letters with their marks, upper and lower case, and what foldName makes of each. */
const FOLD_FROM = (() => {
  const lower = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ'
  return lower + lower.toUpperCase()
})()
const FOLD_TO = [...FOLD_FROM].map((ch) => foldName(ch)).join('')

/** subject_dn folded in SQL as foldName folds (for NFC text): marks dropped, đ → d, lower case, punctuation to spaces. */
const foldedSubject = sql`regexp_replace(lower(translate(${certificates.subjectDn}, ${FOLD_FROM}, ${FOLD_TO})), '[^a-z0-9]+', ' ', 'g')`

function statusFilter(status: CertificateStatus, at: Date): SQL {
  // The moment travels as ISO text with a cast: drivers differ in how they send a Date in raw SQL.
  const now = sql`${at.toISOString()}::timestamptz`
  const notRevoked = sql`(${certificates.revokedAt} is null or ${certificates.revokedAt} > ${now})`
  switch (status) {
    case 'revoked': return sql`${certificates.revokedAt} <= ${now}`
    case 'valid': return sql`${certificates.notBefore} <= ${now} and ${certificates.notAfter} > ${now} and ${notRevoked}`
    case 'expired': return sql`${certificates.notAfter} <= ${now} and ${notRevoked}`
    case 'not_yet_valid': return sql`${certificates.notBefore} > ${now} and ${notRevoked}`
  }
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url')
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (typeof createdAt === 'string' && typeof id === 'string' && UUID.test(id) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(createdAt)) {
      return { createdAt, id }
    }
  } catch { /* refused below */ }
  throw badRequest('The cursor is not one this server gave out.')
}

/** A day (the start of it in Vietnam time) or a full ISO 8601 timestamp with offset, years 1900–2100. */
export function parseMoment(text: string, what: string): Date {
  const d = parseMomentStrict(text)
  if (!d) throw badRequest(`${what} ${JSON.stringify(text.slice(0, 40))} is neither a calendar day (YYYY-MM-DD, 1900–2100) nor an ISO 8601 timestamp with its offset (2017-06-01T08:00:00+07:00).`)
  return d
}

/** Newest first, keyset-paged on (created_at, id). Status is computed for the moment of the request. */
export async function listCertificates(db: Db, query: ListQuery): Promise<{ items: CertificateRecord[]; nextCursor: string | null }> {
  const now = new Date()
  const filters: SQL[] = []
  if (query.unitCode) {
    const u = query.unitCode
    filters.push(sql`${certificates.unitId} in (select u.id from admin_units u where ${atOrUnderSql('u', u)})`)
  }
  if (query.kind) filters.push(eq(certificates.kind, query.kind))
  if (query.status) filters.push(statusFilter(query.status, now))
  if (query.expiringBefore) filters.push(sql`${certificates.notAfter} < ${parseMoment(query.expiringBefore, 'expiringBefore').toISOString()}::timestamptz`)
  if (query.q) {
    const key = foldName(query.q)
    if (key) filters.push(sql`${foldedSubject} like ${`%${key}%`}`)
  }
  if (query.cursor) {
    const c = decodeCursor(query.cursor)
    filters.push(sql`(${certificates.createdAt}, ${certificates.id}) < (${c.createdAt}::timestamptz, ${c.id}::uuid)`)
  }
  const rows = await db.select({
    row: certificates,
    createdAtText: sql<string>`to_char(${certificates.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  }).from(certificates)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(sql`${certificates.createdAt} desc, ${certificates.id} desc`)
    .limit(query.limit + 1)
  const page = rows.slice(0, query.limit)
  const last = page[page.length - 1]
  return {
    items: page.map((r) => toRecord(r.row, now)),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAtText, last.row.id) : null,
  }
}
