import { parseCsv, CsvSyntaxError } from '../lib/csv.ts'
import { isMonth } from '../lib/dates.ts'

export type ActivityLineProblem = { code: string; message: string; line: number }
export type ActivityRow = { line: number; unitCode: string; month: string; documentsSigned: number }

export const ACTIVITY_COLUMNS = ['unit_code', 'month', 'documents_signed'] as const
export const MAX_PROBLEMS = 100
const MAX_DOCUMENTS = 2_147_483_647

/** Reads and checks an activity CSV on its own (no database): header, columns, codes, months, counts, duplicates. */
export function readActivityCsv(text: string): { rows: ActivityRow[]; problems: ActivityLineProblem[] } {
  const problems: ActivityLineProblem[] = []
  const add = (line: number, code: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ line, code, message: `line ${line}: ${message}` })
  }
  let parsed
  try {
    parsed = parseCsv(text)
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      add(err.line, 'csv_syntax', err.message.replace(/^line \d+: /, ''))
      return { rows: [], problems }
    }
    throw err
  }
  if (parsed.length === 0) {
    add(1, 'missing_header', `the file is empty; expected the header ${ACTIVITY_COLUMNS.join(',')}`)
    return { rows: [], problems }
  }
  const header = parsed[0].fields.map((h) => h.trim().toLowerCase())
  const index = new Map(header.map((h, i) => [h, i]))
  for (const col of ACTIVITY_COLUMNS) if (!index.has(col)) add(1, 'missing_column', `the header lacks the column ${col}`)
  for (const col of header) if (!(ACTIVITY_COLUMNS as readonly string[]).includes(col)) add(1, 'unknown_column', `unknown column ${JSON.stringify(col)}`)
  if (new Set(header).size !== header.length) add(1, 'duplicate_column', 'a column is named twice in the header')
  if (problems.length) return { rows: [], problems }

  const rows: ActivityRow[] = []
  const seen = new Map<string, number>()
  for (const { line, fields } of parsed.slice(1)) {
    if (fields.length !== header.length) {
      add(line, 'column_count', `expected ${header.length} columns, found ${fields.length}`)
      continue
    }
    const unitCode = fields[index.get('unit_code')!].trim()
    const month = fields[index.get('month')!].trim()
    const count = fields[index.get('documents_signed')!].trim()
    let ok = true
    const bad = (c: string, m: string) => { ok = false; add(line, c, m) }
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
  return { rows, problems }
}
