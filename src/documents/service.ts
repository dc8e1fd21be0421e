import { and, eq, or, type SQL } from 'drizzle-orm'
import type { Db } from '../db/open.ts'
import { verifiedDocuments } from '../db/schema.ts'
import { unitIdAtOrUnderSql } from '../units/rules.ts'
import type { Actor } from '../auth/actor.ts'
import { audit } from '../audit/write.ts'
import { inScope } from '../auth/scope.ts'
import { trustStore } from '../trust/store.ts'
import { afterCursor, createdAtText, newestFirst, pageOf } from '../db/keyset.ts'
import { monthStart, thisMonthVn } from '../lib/dates.ts'
import type { DocumentReport } from '../pki/signed-document.ts'
import { trustMaterial } from '../pki/trust-material.ts'
import { verifyOffThread, type VerifyTask } from './verify-pool.ts'
import { withRecords, type Checked, type SignatureAnswer } from './signature-facts.ts'

export type DocumentAnswer = {
  sha256: string
  counted: boolean
  unitCode: string | null
  month: string | null
  signatures: SignatureAnswer[]
}

/** The month of an instant in Vietnam time (UTC+07:00). */
export function monthVn(iso: string): string {
  return thisMonthVn(new Date(iso))
}

/**
 * The signature that makes the document count: verified, by a recorded organisation certificate,
 * at a known time, for a commune the caller may write for. The first such one in document order.
 */
function countingSignature(checked: Checked[], actor: Actor): Checked | null {
  return checked.find((c) => c.answer.ok && c.recorded?.kind === 'organization' && c.answer.signingTime !== null
    && inScope(actor, c.recorded)) ?? null
}

/** The facts kept about each signature: no content of the document, only who, when and what was found. */
function facts(c: Checked) {
  const a = c.answer
  return {
    ok: a.ok, signerDn: c.report.signerDn, certificateId: a.certificateId, unitCode: a.unitCode, signingTime: a.signingTime,
    timeSource: a.timeSource, coversWholeDocument: a.coversWholeDocument, algorithm: c.report.algorithm, subFilter: c.report.subFilter,
    problems: a.problems.map((p) => p.code),
  }
}

/**
 * Verifies a signed document off the event loop and, when a recorded organisation certificate of a
 * commune signed it, counts it once as that commune's verified activity in the month of signing.
 * A document already counted (same document, or the same signed bytes re-wrapped) answers as counted
 * and counts nothing more. The document is not kept.
 */
export async function submitDocument(db: Db, actor: Actor, document: VerifyTask['document']): Promise<DocumentAnswer> {
  const trust = await trustStore(db)
  const now = new Date()
  const report: DocumentReport = await verifyOffThread({
    document,
    trust: trustMaterial(trust),
    now: now.toISOString(),
  })
  const checked = await withRecords(db, report.signatures, now)
  const signatures = checked.map((c) => c.answer)
  const counting = countingSignature(checked, actor)
  if (!counting) return { sha256: report.sha256, counted: false, unitCode: null, month: null, signatures }

  const signingTime = counting.answer.signingTime!
  const month = monthVn(signingTime)
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx.insert(verifiedDocuments).values({
      sha256: report.sha256,
      signedSha256: counting.report.signedSha256,
      kind: report.kind,
      size: report.size,
      pageCount: report.pageCount,
      unitCode: counting.recorded!.unitCode,
      unitId: counting.recorded!.unitId,
      month: monthStart(month),
      certificateId: counting.recorded!.id,
      signingTime: new Date(signingTime),
      timeSource: counting.answer.timeSource,
      signatures: checked.map(facts),
    }).onConflictDoNothing().returning({ id: verifiedDocuments.id, unitCode: verifiedDocuments.unitCode, month: verifiedDocuments.month })
    if (inserted) {
      await audit(tx, actor, {
        action: 'document.count', entityType: 'document', entityId: inserted.id,
        details: { sha256: report.sha256, unitCode: inserted.unitCode, month, certificateId: counting.recorded!.id },
      })
      return inserted
    }
    const [existing] = await tx.select({ id: verifiedDocuments.id, unitCode: verifiedDocuments.unitCode, month: verifiedDocuments.month })
      .from(verifiedDocuments)
      .where(or(eq(verifiedDocuments.sha256, report.sha256), eq(verifiedDocuments.signedSha256, counting.report.signedSha256)))
      .limit(1)
    return existing
  })
  return { sha256: report.sha256, counted: true, unitCode: row.unitCode, month: row.month.slice(0, 7), signatures }
}

export type DocumentRecord = {
  id: string
  sha256: string
  kind: string
  size: number
  pageCount: number | null
  unitCode: string
  month: string
  certificateId: string
  signingTime: string
  timeSource: string
  signatures: Record<string, unknown>[]
  createdAt: string
}

/** Counted documents, newest first, keyset-paged; `unitCode` may be a commune or a district or province above it. */
export async function listDocuments(db: Db, q: { unitCode?: string; month?: string; limit: number; cursor?: string }): Promise<{ items: DocumentRecord[]; nextCursor: string | null }> {
  const t = verifiedDocuments
  const filters: SQL[] = []
  if (q.unitCode) filters.push(unitIdAtOrUnderSql(t.unitId, q.unitCode))
  if (q.month) filters.push(eq(t.month, monthStart(q.month)))
  if (q.cursor) filters.push(afterCursor(t, q.cursor))
  const rows = await db.select({ row: t, createdAtText: createdAtText(t) })
    .from(t).where(filters.length ? and(...filters) : undefined)
    .orderBy(newestFirst(t)).limit(q.limit + 1)
  const { page, nextCursor } = pageOf(rows, q.limit, (r) => ({ createdAt: r.createdAtText, id: r.row.id }))
  return {
    items: page.map(({ row: r }) => ({
      id: r.id, sha256: r.sha256, kind: r.kind, size: r.size, pageCount: r.pageCount, unitCode: r.unitCode, month: r.month.slice(0, 7),
      certificateId: r.certificateId, signingTime: r.signingTime.toISOString(), timeSource: r.timeSource, signatures: r.signatures,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor,
  }
}
