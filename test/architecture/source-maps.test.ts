/**
 * The server's bundle maps its stack traces to the .ts lines of the project and to nothing else
 * (scripts/source-map-own.js): every position in the project's code maps as esbuild mapped it, every position
 * in a package maps nowhere. Read with Node.js's own SourceMap, which --enable-source-maps uses.
 */
import fs from 'node:fs'
import path from 'node:path'
import { SourceMap, type SourceMapPayload } from 'node:module'
import t from 'tap'
import * as esbuild from 'esbuild'
// @ts-expect-error: a JavaScript module of the build, without types
import { keepOwnSources } from '../../scripts/source-map-own.js'

type SourceMapJson = { version: number; sources: string[]; mappings: string; names: string[]; sourcesContent?: (string | null)[] }
const ROOT = path.resolve(import.meta.dirname, '../..')
const isOwn = (source: string) => !source.includes('node_modules/')

t.test('a bundle of the project and a package: the project\'s positions map as before, the packages\' map nowhere', async (t) => {
  const built = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['src/http/schemas.ts'],
    bundle: true, format: 'esm', platform: 'node', sourcemap: 'external', write: false, outdir: 'out', logLevel: 'silent',
  })
  let checked = 0
  for (const file of built.outputFiles.filter((f) => f.path.endsWith('.map'))) {
    const map = JSON.parse(file.text) as SourceMapJson
    t.ok(map.sources.some((s) => !isOwn(s)), `${path.basename(file.path)} bundles a package`)
    const narrowed = keepOwnSources(map, isOwn) as SourceMapJson
    t.ok(narrowed.mappings.length < map.mappings.length, 'fewer mappings')
    t.ok(narrowed.sourcesContent!.every((c, i) => (c === null) === !isOwn(map.sources[i])), 'only the project\'s sources keep their text')
    const before = new SourceMap(map as unknown as SourceMapPayload)
    const after = new SourceMap(narrowed as unknown as SourceMapPayload)
    const lines = map.mappings.split(';').length
    const wrong: string[] = []
    for (let line = 0; line < lines; line++) {
      for (let column = 0; column < 200; column += 3) {
        const a = before.findEntry(line, column) as { originalSource?: string; originalLine?: number; originalColumn?: number }
        const b = after.findEntry(line, column) as typeof a
        const expected = a.originalSource && isOwn(a.originalSource) ? [a.originalSource, a.originalLine, a.originalColumn] : []
        const got = b.originalSource ? [b.originalSource, b.originalLine, b.originalColumn] : []
        if (JSON.stringify(expected) !== JSON.stringify(got)) wrong.push(`${line}:${column} ${JSON.stringify(expected)} → ${JSON.stringify(got)}`)
        checked++
      }
    }
    t.same(wrong.slice(0, 5), [], `${path.basename(file.path)}: every position checked maps as it should`)
  }
  t.ok(checked > 10_000, `${checked} positions checked`)
})

t.test('the built server bundle names the .ts line of its code', async (t) => {
  const bundle = path.join(ROOT, 'dist/bundle')
  const text = 'SMTP_URL is not set: e-mail cannot be sent.'
  const file = fs.readdirSync(bundle).filter((f) => f.endsWith('.js')).find((f) => fs.readFileSync(path.join(bundle, f), 'utf8').includes(text))
  if (!file) return t.fail(`no bundle in ${bundle} holds the message (npm run build writes it)`)
  const code = fs.readFileSync(path.join(bundle, file), 'utf8').split('\n')
  const line = code.findIndex((l) => l.includes(text))
  const map = JSON.parse(fs.readFileSync(path.join(bundle, `${file}.map`), 'utf8')) as SourceMapJson
  t.notOk(map.sources.some((s, i) => !isOwn(s) && map.sourcesContent?.[i]), 'no package source text in the map')
  const entry = new SourceMap(map as unknown as SourceMapPayload).findEntry(line, code[line].indexOf(text)) as { originalSource?: string; originalLine?: number }
  const source = fs.readFileSync(path.join(ROOT, 'src/notify/email-send.ts'), 'utf8').split('\n')
  t.match(entry.originalSource, /src\/notify\/email-send\.ts$/)
  t.equal(entry.originalLine, source.findIndex((l) => l.includes(text)), 'the line of the message in the .ts file')
})
