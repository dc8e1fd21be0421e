import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { parseTextArray } from '../units/record.ts'
import type { SignatureReport } from '../pki/signed-document.ts'

/** A signature as the API answers it. */
export type SignatureAnswer = {
  ok: boolean
  signer: Record<string, string | string[]> | null
  certificateId: string | null
  unitCode: string | null
  signingTime: string | null
  timeSource: SignatureReport['timeSource']
  coversWholeDocument: boolean
  problems: { code: string; message: string }[]
  warnings: { code: string; message: string }[]
}

export type RecordedSigner = { id: string; unitCode: string; unitId: number; kind: string; revokedAt: Date | null; placeCodes: string[] }

export type Checked = { report: SignatureReport; answer: SignatureAnswer; recorded: RecordedSigner | null }

/**
 * Joins the verdicts with what the database knows: which recorded certificate signed (by
 * fingerprint), and whether it or a CA of its path was revoked before the time of signing
 * (recorded revocations and imported CRL entries). Two statements, whatever the number of signatures.
 */
export async function withRecords(db: DbOrTx, reports: SignatureReport[], now: Date): Promise<Checked[]> {
  const fingerprints = [...new Set(reports.flatMap((r) => (r.signerFingerprint ? [r.signerFingerprint] : [])))]
  const pairs = [...new Map(reports.flatMap((r) => r.path.map((p) => [`${p.issuerKey}|${p.serialNumber}`, { k: p.issuerKey, s: p.serialNumber }]))).values()]
  const [certs, revoked] = await Promise.all([
    fingerprints.length
      ? queryRows<{ id: string; fp: string; unit_code: string; unit_id: number; kind: string; revoked_at: string | Date | null; place_codes: unknown }>(db, sql`
          select c.id, c.fingerprint_sha256 as fp, c.unit_code, c.unit_id, c.kind, c.revoked_at, u.place_codes
          from certificates c join admin_units u on u.id = c.unit_id
          where c.fingerprint_sha256 in (select jsonb_array_elements_text(${JSON.stringify(fingerprints)}::jsonb))`)
      : Promise.resolve([]),
    pairs.length
      ? queryRows<{ k: string; revoked_at: string | Date }>(db, sql`
          select e.issuer_key || '|' || e.serial_number as k, e.revoked_at
          from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as r(k text, s text)
          join crl_entries e on e.issuer_key = r.k and e.serial_number = r.s`)
      : Promise.resolve([]),
  ])
  const byFp = new Map(certs.map((c) => [c.fp, c]))
  const revokedAt = new Map(revoked.map((r) => [r.k, new Date(r.revoked_at)]))
  return reports.map((r) => {
    const at = r.signingTime ? new Date(r.signingTime) : now
    const problems = [...r.problems]
    const row = r.signerFingerprint ? byFp.get(r.signerFingerprint) : undefined
    const recorded: RecordedSigner | null = row
      ? { id: row.id, unitCode: row.unit_code, unitId: Number(row.unit_id), kind: row.kind, revokedAt: row.revoked_at ? new Date(row.revoked_at) : null, placeCodes: parseTextArray(row.place_codes) }
      : null
    if (recorded?.revokedAt && recorded.revokedAt <= at) {
      problems.push({ code: 'revoked', message: `The signer's certificate was revoked from ${recorded.revokedAt.toISOString()}, before the time of signing.` })
    }
    r.path.forEach((p, i) => {
      const when = revokedAt.get(`${p.issuerKey}|${p.serialNumber}`)
      if (!when || when > at) return
      problems.push({
        code: 'revoked',
        message: i === 0
          ? `The signer's certificate is on an imported revocation list, revoked from ${when.toISOString()}, before the time of signing.`
          : `The CA certificate "${p.subjectDn}" of the signer's chain is on an imported revocation list, revoked from ${when.toISOString()}, before the time of signing.`,
      })
    })
    const answer: SignatureAnswer = {
      ok: problems.length === 0,
      signer: r.signer,
      certificateId: recorded?.id ?? null,
      unitCode: recorded?.unitCode ?? null,
      signingTime: r.signingTime,
      timeSource: r.timeSource,
      coversWholeDocument: r.coversWholeDocument,
      problems,
      warnings: r.warnings,
    }
    return { report: r, answer, recorded }
  })
}
