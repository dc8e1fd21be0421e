import { LineProblems, readCsvTable, type LineProblem } from '../lib/csv-table.ts'
import type { ProblemCode } from '../lib/problem-codes.ts'
import { isMonth } from '../lib/dates.ts'

export type ActivityLineProblem = LineProblem
export type ActivityRow = { line: number; unitCode: string; month: string; documentsSigned: number }

export const ACTIVITY_COLUMNS = ['unit_code', 'month', 'documents_signed'] as const
export { MAX_PROBLEMS } from '../lib/csv-table.ts'
const MAX_DOCUMENTS = 2_147_483_647

/** Reads and checks an activity CSV on its own (no database): header, columns, codes, months, counts, duplicates. */
export function readActivityCsv(text: string): { rows: ActivityRow[]; problems: ActivityLineProblem[] } {
  const problems = new LineProblems()
  const add = problems.add.bind(problems)
  const table = readCsvTable(text, ACTIVITY_COLUMNS, [], problems)
  if (!table) return { rows: [], problems: problems.items }

  const rows: ActivityRow[] = []
  const seen = new Map<string, number>()
  for (const { line, get } of table) {
    const unitCode = get('unit_code')
    const month = get('month')
    const count = get('documents_signed')
    let ok = true
    const bad = (c: ProblemCode, m: string) => { ok = false; add(line, c, m) }
    if (!/^\d{1,10}$/.test(unitCode)) bad('bad_code', `unit_code ${JSON.stringify(unitCode)} is not a GSO code (digits only)`)
    if (!isMonth(month)) bad('bad_month', `month ${JSON.stringify(month)} is not a month (YYYY-MM)`)
    if (!/^\d{1,10}$/.test(count) || Number(count) > MAX_DOCUMENTS) bad('bad_count', `documents_signed ${JSON.stringify(count)} is not a whole number from 0 to ${MAX_DOCUMENTS}`)
    if (ok) {
      const key = `${unitCode}/${month}`
      const first = seen.get(key)
      if (first !== undefined) bad('duplicate_row', `unit ${unitCode} and month ${month} already appear on line ${first}`)
      else seen.set(key, line)
    }
    if (ok) rows.push({ line, unitCode, month, documentsSigned: Number(count) })
  }
  return { rows, problems: problems.items }
}
