import { parseCsv, CsvSyntaxError } from './csv.ts'
import type { ProblemCode } from './problem-codes.ts'

/** A problem with one line of an uploaded CSV file. */
export type LineProblem = { code: ProblemCode; message: string; line: number }

/** At most this many problems are reported for one file. */
export const MAX_PROBLEMS = 100

/** Collects line problems, up to MAX_PROBLEMS. */
export class LineProblems {
  readonly items: LineProblem[] = []

  add(line: number, code: ProblemCode, message: string): void {
    if (this.items.length < MAX_PROBLEMS) this.items.push({ line, code, message: `line ${line}: ${message}` })
  }

  get any(): boolean {
    return this.items.length > 0
  }
}

export type TableRow = { line: number; get(column: string): string }

/**
 * Reads a CSV file with a header and checks the header against the known columns. Returns the data
 * rows (trimmed fields by column name) as an iterable that reports, in reading order, each row whose
 * column count is wrong and skips it; null when the file or its header cannot be used at all.
 */
export function readCsvTable(text: string, required: readonly string[], optional: readonly string[], problems: LineProblems): Iterable<TableRow> | null {
  let parsed
  try {
    parsed = parseCsv(text)
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err
    problems.add(err.line, 'csv_syntax', err.message.replace(/^line \d+: /, ''))
    return null
  }
  if (parsed.length === 0) {
    problems.add(1, 'missing_header', `the file is empty; expected the header ${required.join(',')}`)
    return null
  }
  const header = parsed[0].fields.map((h) => h.trim().toLowerCase())
  const index = new Map(header.map((h, i) => [h, i]))
  for (const col of required) if (!index.has(col)) problems.add(1, 'missing_column', `the header lacks the column ${col}`)
  for (const col of header) {
    if (!required.includes(col) && !optional.includes(col)) problems.add(1, 'unknown_column', `unknown column ${JSON.stringify(col)}`)
  }
  if (index.size !== header.length) problems.add(1, 'duplicate_column', 'a column is named twice in the header')
  if (problems.any) return null

  return (function* rows() {
    for (const { line, fields } of parsed.slice(1)) {
      if (fields.length !== header.length) {
        problems.add(line, 'column_count', `expected ${header.length} columns, found ${fields.length}`)
        continue
      }
      yield { line, get: (column: string) => (index.has(column) ? fields[index.get(column)!].trim() : '') }
    }
  })()
}
