import { LineProblems, readCsvTable, type LineProblem } from '../lib/csv-table.ts'
import { isDay } from '../lib/dates.ts'

export const SHARES = ['whole', 'part', 'unchanged'] as const
export type Share = (typeof SHARES)[number]

export type LineageRow = { line: number; oldCode: string; oldValidTo: string; newCode: string; newValidFrom: string; share: Share }

const COLUMNS = ['old_code', 'old_valid_to', 'new_code', 'new_valid_from', 'share'] as const

/** Reads and checks a lineage CSV on its own (no database). */
export function readLineageCsv(text: string): { rows: LineageRow[]; problems: LineProblem[] } {
  const problems = new LineProblems()
  const table = readCsvTable(text, COLUMNS, [], problems)
  if (!table) return { rows: [], problems: problems.items }
  const rows: LineageRow[] = []
  const seen = new Map<string, number>()
  for (const { line, get } of table) {
    const row = { line, oldCode: get('old_code'), oldValidTo: get('old_valid_to'), newCode: get('new_code'), newValidFrom: get('new_valid_from'), share: get('share') as Share }
    const before = problems.items.length
    for (const [column, code] of [['old_code', row.oldCode], ['new_code', row.newCode]]) {
      if (!/^\d{1,10}$/.test(code)) problems.add(line, 'bad_code', `${column} ${JSON.stringify(code)} is not a GSO code (digits only)`)
    }
    for (const [column, day] of [['old_valid_to', row.oldValidTo], ['new_valid_from', row.newValidFrom]]) {
      if (!isDay(day)) problems.add(line, 'bad_date', `${column} ${JSON.stringify(day)} is not a date (YYYY-MM-DD)`)
    }
    if (!(SHARES as readonly string[]).includes(row.share)) problems.add(line, 'bad_share', `share ${JSON.stringify(row.share)} is not one of ${SHARES.join(', ')}`)
    if (problems.items.length === before && row.newValidFrom <= row.oldValidTo) {
      problems.add(line, 'bad_date', 'the new version must begin after the old one ended')
    }
    const key = `${row.oldCode}|${row.oldValidTo}|${row.newCode}|${row.newValidFrom}`
    if (seen.has(key)) problems.add(line, 'duplicate_pair', `the same pair is on line ${seen.get(key)}`)
    else seen.set(key, line)
    if (problems.items.length === before) rows.push(row)
  }
  return { rows, problems: problems.items }
}
