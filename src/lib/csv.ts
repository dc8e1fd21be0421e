/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF. Rows carry their 1-based line number. */

export type CsvRow = { line: number; fields: string[] }

export class CsvSyntaxError extends Error {
  readonly line: number

  constructor(line: number, message: string) {
    super(message)
    this.line = line
    this.name = 'CsvSyntaxError'
  }
}

export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let rowLine = 1
  let quoted = false
  let fieldStarted = false
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++ } else quoted = false
      } else {
        if (c === '\n') line++
        field += c
      }
      continue
    }
    if (c === '"') {
      if (fieldStarted && field.length > 0) throw new CsvSyntaxError(line, `line ${line}: a quote inside an unquoted field`)
      quoted = true
      fieldStarted = true
    } else if (c === ',') {
      fields.push(field); field = ''; fieldStarted = false
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      fields.push(field)
      if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields })
      fields = []; field = ''; fieldStarted = false
      line++
      rowLine = line
    } else {
      if (fieldStarted && field.length > 0 && text[i - 1] === '"') throw new CsvSyntaxError(line, `line ${line}: text after a closing quote`)
      field += c
      fieldStarted = true
    }
  }
  if (quoted) throw new CsvSyntaxError(rowLine, `line ${rowLine}: a quoted field is never closed`)
  if (fieldStarted || fields.length > 0) {
    fields.push(field)
    rows.push({ line: rowLine, fields })
  }
  return rows
}
