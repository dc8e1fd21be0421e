import type { LineProblem } from './csv-table.ts'
import { Malformed, Unprocessable } from './errors.ts'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Decodes UTF-8 strictly (a byte-order mark is dropped); null when the bytes are not UTF-8. */
function decodeUtf8(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    return null
  }
}

export const REFUSED = 'The file was refused as a whole; nothing was stored. Fix the lines listed in problems.'

/** The text of a CSV upload; 400 `malformed` when it is not UTF-8. */
export function csvText(bytes: Buffer): string {
  const text = decodeUtf8(bytes)
  if (text === null) throw new Malformed('The file is not UTF-8 text. Save the CSV as UTF-8 and send it again.')
  return text
}

/**
 * The rows of an all-or-nothing CSV upload, as `read` finds them: 422 listing every problem when any row is bad,
 * or `empty` when no row follows the header.
 */
export function readAllOrNothing<T>(bytes: Buffer, read: (text: string) => { rows: T[]; problems: LineProblem[] }): T[] {
  const { rows, problems } = read(csvText(bytes))
  if (problems.length) throw new Unprocessable(REFUSED, problems)
  if (rows.length === 0) throw new Unprocessable('The file has a header but no rows.', [{ code: 'empty', message: 'line 2: no rows after the header', line: 2 }])
  return rows
}
