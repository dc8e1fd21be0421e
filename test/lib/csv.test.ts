import t from 'tap'
import { parseCsv, type CsvSyntaxError } from '../../src/lib/csv.ts'

t.test('fields, quotes and line numbers', async (t) => {
  const rows = parseCsv('a,b,c\r\n1,"x, y",3\n\n2,"say ""hi""","multi\nline"\n4,,\n')
  t.same(rows, [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['1', 'x, y', '3'] },
    { line: 4, fields: ['2', 'say "hi"', 'multi\nline'] },
    { line: 6, fields: ['4', '', ''] },
  ])
})

t.test('no trailing newline', async (t) => {
  t.same(parseCsv('a,b\n1,2'), [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', '2'] }])
})

t.test('broken quoting is an error with its line', async (t) => {
  t.throws(() => parseCsv('a\n"open\n'), { name: 'CsvSyntaxError', line: 2 })
  const err = (() => { try { parseCsv('a,b\n1,2\nx"y,3\n') } catch (e) { return e as CsvSyntaxError } })()
  t.equal(err?.line, 3)
  t.throws(() => parseCsv('"a"b,c\n'), { name: 'CsvSyntaxError', line: 1 })
})
