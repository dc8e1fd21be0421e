/** Reading recorded certificates: one by id (JSON or its DER), or a filtered list, newest first. */
import { and, eq, sql, type SQL } from 'drizzle-orm'
import { certificates } from '../db/schema.ts'
import type { Db, DbOrTx } from '../db/open.ts'
import { afterCursor, createdAtText, isUuid, newestFirst, pageOf } from '../db/keyset.ts'
import { NotFound } from '../lib/errors.ts'
import { parseMoment } from '../lib/strict-dates.ts'
import { foldName } from '../units/names.ts'
import { unitIdAtOrUnderSql } from '../units/rules.ts'
import { certificateRecord, type CertificateRecord, type CertificateRow } from './record.ts'
import type { CertificateStatus } from './status.ts'
import type { Kind } from './subject-mentions.ts'

/** The row of a certificate id; null for an unknown id or one that is not a UUID. */
export async function findRow(db: DbOrTx, id: string): Promise<CertificateRow | null> {
  if (!isUuid(id)) return null
  const [row] = await db.select().from(certificates).where(eq(certificates.id, id)).limit(1)
  return row ?? null
}

export function unknownCertificate(id: string): NotFound {
  return new NotFound(`No certificate has the id ${id}.`)
}

export async function getCertificate(db: Db, id: string): Promise<CertificateRecord> {
  const row = await findRow(db, id)
  if (!row) throw unknownCertificate(id)
  return certificateRecord(row)
}

/** The certificate's DER, as recorded. */
export async function getCertificateDer(db: Db, id: string): Promise<Buffer> {
  const row = await findRow(db, id)
  if (!row) throw unknownCertificate(id)
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

/** `certificateStatus` in SQL. */
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

/** Newest first, keyset-paged on (created_at, id). Status is computed for the moment of the request. */
export async function listCertificates(db: Db, query: ListQuery): Promise<{ items: CertificateRecord[]; nextCursor: string | null }> {
  const now = new Date()
  const filters: SQL[] = []
  if (query.unitCode) filters.push(unitIdAtOrUnderSql(certificates.unitId, query.unitCode))
  if (query.kind) filters.push(eq(certificates.kind, query.kind))
  if (query.status) filters.push(statusFilter(query.status, now))
  if (query.expiringBefore) filters.push(sql`${certificates.notAfter} < ${parseMoment(query.expiringBefore, 'expiringBefore').toISOString()}::timestamptz`)
  if (query.q) {
    const key = foldName(query.q)
    if (key) filters.push(sql`${foldedSubject} like ${`%${key}%`}`)
  }
  if (query.cursor) filters.push(afterCursor(certificates, query.cursor))
  const rows = await db.select({ row: certificates, createdAtText: createdAtText(certificates) }).from(certificates)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(newestFirst(certificates))
    .limit(query.limit + 1)
  const { page, nextCursor } = pageOf(rows, query.limit, (r) => ({ createdAt: r.createdAtText, id: r.row.id }))
  return { items: page.map((r) => certificateRecord(r.row, now)), nextCursor }
}
