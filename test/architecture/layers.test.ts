/**
 * Imports in src/ run one way. Every relative import (static, re-export, type-only and `import()`) is read
 * with TypeScript's own scanner and checked against the layers:
 *
 *   0  src/lib, src/config.ts          helpers, errors and problem codes, configuration
 *   1  src/pki, src/db                 certificates and signatures; the database
 *   2  src/http                        the HTTP layer: hooks, schemas, problem+json
 *   3  the domain folders              units, certificates, trust, crls, upload, audit, auth, coverage, …
 *   4  src/app.ts, src/server.ts, src/bootstrap.ts, src/cli/   what starts and assembles the rest
 *
 * A file may import from its own folder and from lower layers only; the folders of layers 0–2 do not import
 * each other sideways; domain folders may import each other as long as no two of them depend on each other,
 * directly or around a cycle. Only the HTTP layer builds problem+json: src/http/problem.ts is imported from
 * src/http alone, everything else throws the domain errors of src/lib/errors.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import t from 'tap'
import ts from 'typescript'

const SRC = path.resolve(import.meta.dirname, '../../src')

const LAYERS: Record<string, number> = {
  'lib': 0, 'config.ts': 0,
  'pki': 1, 'db': 1,
  'http': 2,
  'app.ts': 4, 'server.ts': 4, 'bootstrap.ts': 4, 'cli': 4,
}
const DOMAIN = 3
const LAYER_NAMES = ['base (lib, config)', 'pki/db', 'http', 'domain', 'entry point']

/** The unit a file belongs to: its top folder under src/, or the file itself at the top. */
function unitOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0]
}

function layerOf(unit: string): number {
  return LAYERS[unit] ?? DOMAIN
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
}

type Import = { from: string; to: string; specifier: string }

function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true)
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({ from: file, to: path.resolve(path.dirname(file), specifier), specifier }))
}

const rel = (file: string) => path.relative(path.resolve(SRC, '..'), file)
const describe = (i: Import) => `${rel(i.from)} imports '${i.specifier}'`

const imports = sourceFiles(SRC).flatMap(importsOf)

t.test('the scanner sees the imports of src/', async (t) => {
  t.ok(imports.length > 500, `${imports.length} relative imports read`)
  t.ok(imports.some((i) => rel(i.from) === 'src/cli/main.ts' && i.specifier === './verify.ts'), 'dynamic import() included')
  for (const i of imports) t.ok(fs.existsSync(i.to), `${describe(i)}, which exists`)
})

t.test('no import from a lower layer to a higher one, nor sideways below the domains', async (t) => {
  const wrong = imports.filter((i) => {
    const [a, b] = [unitOf(i.from), unitOf(i.to)]
    if (a === b) return false
    const [la, lb] = [layerOf(a), layerOf(b)]
    return la < lb || (la === lb && la < DOMAIN)
  })
  t.same(wrong.map((i) => `${describe(i)}: ${LAYER_NAMES[layerOf(unitOf(i.from))]} may not import ${LAYER_NAMES[layerOf(unitOf(i.to))]} (${unitOf(i.to)})`), [])
})

t.test('no cycle between domain folders', async (t) => {
  const edges = new Map<string, Map<string, Import>>()
  for (const i of imports) {
    const [a, b] = [unitOf(i.from), unitOf(i.to)]
    if (a === b || layerOf(a) !== DOMAIN || layerOf(b) !== DOMAIN) continue
    if (!edges.has(a)) edges.set(a, new Map())
    if (!edges.get(a)!.has(b)) edges.get(a)!.set(b, i)
  }
  // A path back to the start from each folder, by depth-first search; each cycle reported once, by its edges.
  const cycles = new Set<string>()
  const walk = (start: string, at: string, trail: Import[], seen: Set<string>) => {
    for (const [next, via] of edges.get(at) ?? []) {
      if (next === start) {
        const loop = [...trail, via]
        const first = loop.reduce((m, i, k) => (unitOf(i.from) < unitOf(loop[m].from) ? k : m), 0)
        cycles.add([...loop.slice(first), ...loop.slice(0, first)].map(describe).join(' → '))
      } else if (!seen.has(next)) {
        seen.add(next)
        walk(start, next, [...trail, via], seen)
        seen.delete(next)
      }
    }
  }
  for (const folder of edges.keys()) walk(folder, folder, [], new Set([folder]))
  t.same([...cycles], [], 'domain folders that depend on each other')
})

t.test('problem+json is built by the HTTP layer only', async (t) => {
  const problem = path.join(SRC, 'http', 'problem.ts')
  t.same(imports.filter((i) => i.to === problem && unitOf(i.from) !== 'http').map(describe), [])
})
