import { sql } from 'drizzle-orm'
import type { Db } from '../db/open.ts'
import type { Actor } from '../auth/actor.ts'
import { audit } from '../audit/write.ts'
import { Unprocessable } from '../lib/errors.ts'
import { readAllOrNothing, REFUSED } from '../lib/csv-upload.ts'
import { queryRows, upsertCounts } from '../db/rows.ts'
import { LineProblems } from '../lib/csv-table.ts'
import { readLineageCsv } from './lineage-csv.ts'
import { recomputeCommittees, recomputePlaceCodes } from './integrity.ts'
import { UNITS_IMPORT_LOCK } from './import.ts'

type Resolved = { line: number; old_id: number | null; new_id: number | null; old_level: string | null; new_level: string | null; share: string }

/**
 * Imports lineage (old version → new version, share whole|part|unchanged): all rows or none. Each side
 * must name a recorded version (the old one by its last day, the new one by its first). An `unchanged`
 * pair joins one committee to its next version: at most one such pair on each side of a version, of one level.
 */
export async function importLineage(db: Db, actor: Actor, bytes: Buffer, source = 'upload'): Promise<{ inserted: number; updated: number }> {
  const rows = readAllOrNothing(bytes, readLineageCsv)

  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${UNITS_IMPORT_LOCK})`)
    const input = rows.map((r) => ({ line: r.line, old_code: r.oldCode, old_valid_to: r.oldValidTo, new_code: r.newCode, new_valid_from: r.newValidFrom, share: r.share }))
    const resolved = await queryRows<Resolved>(tx, sql`
      select x.line, o.id as old_id, n.id as new_id, o.level as old_level, n.level as new_level, x.share
      from json_to_recordset(${JSON.stringify(input)}::json) as x(line int, old_code text, old_valid_to date, new_code text, new_valid_from date, share text)
      left join admin_units o on o.code = x.old_code and o.valid_to = x.old_valid_to
      left join admin_units n on n.code = x.new_code and n.valid_from = x.new_valid_from
      order by x.line`)
    const found = new LineProblems()
    const add = found.add.bind(found)
    const byLine = new Map(rows.map((r) => [r.line, r]))
    for (const r of resolved) {
      const row = byLine.get(r.line)!
      if (r.old_id === null) add(r.line, 'unknown_version', `no version of ${row.oldCode} ends on ${row.oldValidTo}`)
      if (r.new_id === null) add(r.line, 'unknown_version', `no version of ${row.newCode} begins on ${row.newValidFrom}`)
      if (r.old_id !== null && r.new_id !== null && r.share === 'unchanged' && r.old_level !== r.new_level) {
        add(r.line, 'bad_share', `unchanged joins versions of one level; ${row.oldCode} is a ${r.old_level} and ${row.newCode} a ${r.new_level}`)
      }
    }
    if (found.any) throw new Unprocessable(REFUSED, found.items)

    const pairs = resolved.map((r) => ({ old_id: r.old_id, new_id: r.new_id, share: r.share }))
    const result = await queryRows<{ inserted: boolean }>(tx, sql`
      insert into unit_lineage (old_id, new_id, share)
      select old_id, new_id, share from json_to_recordset(${JSON.stringify(pairs)}::json) as x(old_id int, new_id int, share text)
      on conflict (old_id, new_id) do update set share = excluded.share
      returning (xmax = 0) as inserted`)
    const forks = await queryRows<{ code: string; valid: string }>(tx, sql`
      select u.code, coalesce(u.valid_from::text, '') || '…' || coalesce(u.valid_to::text, '') as valid from (
        select old_id as id from unit_lineage where share = 'unchanged' group by old_id having count(*) > 1
        union select new_id from unit_lineage where share = 'unchanged' group by new_id having count(*) > 1
      ) f join admin_units u on u.id = f.id limit 20`)
    if (forks.length) {
      throw new Unprocessable(REFUSED, forks.map((f) => ({
        code: 'bad_share', line: 1,
        message: `the version of ${f.code} (${f.valid}) would have more than one unchanged predecessor or successor; one People's Committee goes on as one unit`,
      })))
    }
    await recomputeCommittees(tx)
    await recomputePlaceCodes(tx)
    const summary = upsertCounts(result)
    await audit(tx, actor, { action: 'units.lineage', entityType: 'unit_lineage', details: { ...summary, rows: rows.length, source } })
    return summary
  })
}
