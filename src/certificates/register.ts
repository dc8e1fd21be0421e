/**
 * Registration of certificates of People's Committees, one or a batch: the items are checked
 * (prepare.ts), and the accepted ones recorded with their audit entries (insert.ts).
 */
import { inArray } from 'drizzle-orm'
import { certificates } from '../db/schema.ts'
import type { Db, DbOrTx } from '../db/open.ts'
import { isDatabaseUnavailable, isUniqueViolation } from '../db/errors.ts'
import type { Actor } from '../auth/actor.ts'
import { chunks } from '../lib/chunks.ts'
import { Conflict, TooLarge } from '../lib/errors.ts'
import type { ProblemEntry } from '../lib/problem-codes.ts'
import type { Certificate } from '../pki/index.ts'
import { readCertificateUpload, type Upload } from '../upload/read.ts'
import { insertCertificates, type Inserted, type NewCertificate } from './insert.ts'
import { LIMITS } from './limits.ts'
import { prepareItems, type ItemInput } from './prepare.ts'
import { certificateRecord, type CertificateRecord, type MatchedBy } from './record.ts'

export type ItemOptions = Omit<ItemInput, 'certs'>
/** An item of a batch; `index` places its answer (batch-upload.ts). */
export type BatchItem = ItemInput & { index: number }

async function existingIds(db: DbOrTx, fingerprints: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const part of chunks([...new Set(fingerprints)], 1000)) {
    const rows = await db.select({ id: certificates.id, fp: certificates.fingerprintSha256 }).from(certificates)
      .where(inArray(certificates.fingerprintSha256, part))
    for (const r of rows) out.set(r.fp, r.id)
  }
  return out
}

const ALREADY_RECORDED = 'This certificate (the same DER) is already recorded.'

/** Registers one certificate; throws the refusal. */
export async function registerCertificate(db: Db, actor: Actor, body: Upload, options: ItemOptions): Promise<CertificateRecord> {
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

/**
 * Registers a batch: each item stands alone (a bad item refuses that item only). The accepted ones are
 * written with one set-based insert (ON CONFLICT DO NOTHING) and their audit entries in one transaction;
 * those the database already held, or that repeat an earlier item, answer 409 with the existing id.
 */
export async function registerBatch(db: Db, actor: Actor, items: BatchItem[], sharedChain: Certificate[] = []): Promise<BatchResult[]> {
  const prepared = await prepareItems(db, actor, items, sharedChain)
  const results = new Array<BatchResult>(items.length)
  const firstOf = new Map<string, number>()
  const toInsert: { i: number; values: NewCertificate }[] = []
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
