/**
 * One concern per file: no source file in src/ (TypeScript, the dashboard's modules, styles and page) runs
 * over 300 lines. Data (the seed CSV files) is not source.
 */
import fs from 'node:fs'
import path from 'node:path'
import t from 'tap'

const SRC = path.resolve(import.meta.dirname, '../../src')
const MAX_LINES = 300

t.test(`no source file in src/ over ${MAX_LINES} lines`, async (t) => {
  const files = fs.readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|js|css|html)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
  t.ok(files.length > 150, `${files.length} files`)
  const long = files
    .map((f) => ({ file: path.relative(SRC, f), lines: fs.readFileSync(f, 'utf8').split('\n').length }))
    .filter((f) => f.lines > MAX_LINES)
  t.same(long, [], 'files over the bound')
})
