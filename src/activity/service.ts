import { sql } from 'drizzle-orm'
import { signingActivity } from '../db/schema.ts'
import { queryRows, upsertCounts } from '../db/rows.ts'
import { parseTextArray } from '../units/record.ts'
import type { Db, DbOrTx } from '../db/open.ts'
import type { Actor } from '../auth/actor.ts'
import { audit } from '../audit/write.ts'
import { inScope } from '../auth/scope.ts'
import { csvText, REFUSED } from '../lib/csv-upload.ts'
import { Forbidden, NotFound, Unprocessable } from '../lib/errors.ts'
import { monthEnd, monthStart } from '../lib/dates.ts'
import { readActivityCsv, type ActivityLineProblem, MAX_PROBLEMS } from './csv-import.ts'

/** Rows per multi-row upsert: 3 parameters each, well under the 65,535 bind-parameter limit. */
const CHUNK = 5000

export type ActivityRecord = { unitCode: string; month: string; documentsSigned: number; updatedAt: string }

type UnitRow = { id: number; code: string; name: string; level: string; placeCodes: string[] }

/**
 * The unit version each (code, month) refers to: the one in force at the month's end or, for a unit that
 * ended during the month, its last version in the month. One statement loads every version of the codes.
 */
async function versionsForMonths(tx: DbOrTx, pairs: { code: string; month: string }[]): Promise<Map<string, UnitRow>> {
  const codes = [...new Set(pairs.map((p) => p.code))]
  const rows = await queryRows<{ id: number; code: string; name: string; level: string; place_codes: unknown; valid_from: string | null; valid_to: string | null }>(tx, sql`
    select u.id, u.code, u.name, u.level, u.place_codes, u.valid_from::text, u.valid_to::text
    from admin_units u where u.code in (select value from json_array_elements_text(${JSON.stringify(codes)}::json))
    order by u.valid_from desc nulls last`)
  const byCode = new Map<string, typeof rows>()
  for (const r of rows) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r])
  const out = new Map<string, UnitRow>()
  for (const { code, month } of pairs) {
    const first = monthStart(month)
    const last = monthEnd(month)
    // Latest first: the first version that overlaps the month is the one of its end, or the last of the month.
    const v = byCode.get(code)?.find((r) => (r.valid_from === null || r.valid_from <= last) && (r.valid_to === null || r.valid_to >= first))
    if (v) out.set(`${code}|${month}`, { id: Number(v.id), code, name: v.name, level: v.level, placeCodes: parseTextArray(v.place_codes) })
  }
  return out
}

/**
 * Records the documents a commune-level unit signed in a month (upsert). Only commune-level units
 * carry activity (the units coverage counts); a registrar may write only within its scope.
 */
export async function putActivity(db: Db, actor: Actor, unitCode: string, month: string, documentsSigned: number): Promise<ActivityRecord> {
  return db.transaction(async (tx) => {
    const unit = (await versionsForMonths(tx, [{ code: unitCode, month }])).get(`${unitCode}|${month}`)
    if (!unit) throw new NotFound(`No administrative unit had the code ${unitCode} in ${month}.`)
    if (!inScope(actor, unit)) throw new Forbidden(`This token may not write for unit ${unitCode}: it is outside the token's scope.`)
    if (unit.level !== 'commune') {
      throw new Unprocessable(`Signing activity is recorded for commune-level units; ${unitCode} is a ${unit.level}.`, [
        { code: 'not_a_commune', message: `unit ${unitCode} is a ${unit.level}` },
      ])
    }
    const [row] = await tx.insert(signingActivity)
      .values({ unitCode, unitId: unit.id, month: monthStart(month), documentsSigned })
      .onConflictDoUpdate({
        target: [signingActivity.unitCode, signingActivity.month],
        set: { documentsSigned: sql`excluded.documents_signed`, unitId: sql`excluded.unit_id`, updatedAt: sql`now()` },
      })
      .returning()
    await audit(tx, actor, { action: 'activity.put', entityType: 'signing_activity', entityId: `${unitCode}/${month}`, details: { unitCode, month, documentsSigned } })
    return { unitCode, month, documentsSigned: row.documentsSigned, updatedAt: row.updatedAt.toISOString() }
  })
}

export type ImportResult = { rows: number; inserted: number; updated: number }

/**
 * Imports a CSV `unit_code,month,documents_signed`: every row or none. Problems name their lines.
 * Rows for units outside the registrar's scope make the whole file 403 `forbidden` (with every problem
 * found listed); any other problem makes it 422 `unprocessable`.
 */
export async function importActivity(db: Db, actor: Actor, bytes: Buffer): Promise<ImportResult> {
  const { rows, problems } = readActivityCsv(csvText(bytes))
  if (problems.length && rows.length === 0) throw new Unprocessable(REFUSED, problems)

  return db.transaction(async (tx) => {
    const units = await versionsForMonths(tx, rows.map((r) => ({ code: r.unitCode, month: r.month })))
    const all: ActivityLineProblem[] = [...problems]
    let outOfScope = false
    const add = (p: ActivityLineProblem) => { if (all.length < MAX_PROBLEMS) all.push(p) }
    for (const r of rows) {
      const unit = units.get(`${r.unitCode}|${r.month}`)
      if (!unit) add({ line: r.line, code: 'unknown_unit', message: `line ${r.line}: no administrative unit had the code ${r.unitCode} in ${r.month}` })
      else if (!inScope(actor, unit)) {
        outOfScope = true
        add({ line: r.line, code: 'out_of_scope', message: `line ${r.line}: unit ${r.unitCode} is outside this token's scope` })
      } else if (unit.level !== 'commune') add({ line: r.line, code: 'not_a_commune', message: `line ${r.line}: unit ${r.unitCode} is a ${unit.level}; activity is recorded for commune-level units` })
    }
    all.sort((a, b) => a.line - b.line)
    if (outOfScope) throw new Forbidden(`${REFUSED} Some rows are for units outside this token's scope.`, all)
    if (all.length) throw new Unprocessable(REFUSED, all)
    if (rows.length === 0) throw new Unprocessable('The file has a header but no rows.', [{ code: 'empty', message: 'line 2: no rows after the header', line: 2 }])

    // The rows travel as one JSON parameter per chunk: drizzle's multi-row insert binds four parameters per
    // row, and building that statement took 1.3 s of CPU for 100,000 rows.
    const returned: { inserted: boolean }[] = []
    for (let i = 0; i < rows.length; i += CHUNK) {
      const values = rows.slice(i, i + CHUNK).map((r) => ({
        unit_code: r.unitCode, unit_id: units.get(`${r.unitCode}|${r.month}`)!.id, month: monthStart(r.month), documents_signed: r.documentsSigned,
      }))
      returned.push(...await queryRows<{ inserted: boolean }>(tx, sql`
        insert into signing_activity (unit_code, unit_id, month, documents_signed)
        select r.unit_code, r.unit_id, r.month, r.documents_signed
        from json_to_recordset(${JSON.stringify(values)}::json) as r(unit_code text, unit_id integer, month date, documents_signed integer)
        on conflict (unit_code, month) do update
          set documents_signed = excluded.documents_signed, unit_id = excluded.unit_id, updated_at = now()
        returning (xmax = 0) as inserted`))
    }
    const summary = { rows: rows.length, ...upsertCounts(returned) }
    await audit(tx, actor, { action: 'activity.import', entityType: 'signing_activity', details: summary })
    return summary
  })
}
