// The packages the app loads (typebox: 373 files, drizzle-orm: about 100, fastify with its own dependencies:
// about 350, node-forge: 42), bundled once into a few files for the test processes: loading typebox and
// drizzle-orm cost 0.25 s of CPU in every test process that loads the app, and about 0.02 s bundled; the rest
// another 0.03–0.04 s (test/health: 0.61 → 0.575 CPU-s, median of 6). The bundles are built with esbuild (code
// splitting, so that every entry point shares one copy of each module), as the app's own bundle is (the same
// packages left out, the same require() for the CommonJS code inside: scripts/bundle-packages.js), and kept in
// node_modules/.cache under a hash of package-lock.json; test/helpers/typescript.mjs points the project's
// imports at them.
// The app itself is not affected: it runs from the sources or from its own bundle (scripts/build.js).
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { LEFT_OUT, REQUIRE_BANNER } from '../../scripts/bundle-packages.js'
import { withLockFile } from '../../scripts/lock-file.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** The entry points the project imports; another subpath of these packages loads unbundled. */
const ENTRIES = ['typebox', 'drizzle-orm', 'drizzle-orm/pg-core', 'drizzle-orm/postgres-js', 'drizzle-orm/postgres-js/migrator',
  'fastify', 'node-forge', 'postgres', 'helmet', '@fastify/type-provider-typebox', '@fastify/static', '@fastify/rate-limit',
  '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler']

/** Whether Node.js loads `file` as CommonJS: by its extension, else the `type` of the nearest package.json. */
function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true
  if (file.endsWith('.mjs')) return false
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json')
    if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, 'utf8')).type !== 'module'
  }
  return true
}

/**
 * The module esbuild starts from for `specifier`. An ES module is its own file; a CommonJS one gets a small
 * ES module that exports it as Node.js would (the whole module.exports as default, and its properties by
 * name), since esbuild's ES output of a CommonJS entry has a default export only.
 */
function entrySource(specifier, folder) {
  const file = fileURLToPath(import.meta.resolve(specifier))
  if (!isCommonJs(file)) return file
  const names = Object.keys(createRequire(import.meta.url)(file)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n))
  const wrapper = path.join(folder, `${entryName(specifier)}.mjs`)
  fs.writeFileSync(wrapper, `import m from ${JSON.stringify(file)}\nexport default m\n${names.length ? `export const { ${names.join(', ')} } = m\n` : ''}`)
  return wrapper
}

/** Entry point name in the bundle folder: `drizzle-orm/pg-core` → `drizzle-orm__pg-core`. */
function entryName(specifier) {
  return specifier.replaceAll('/', '__')
}

function build(folder) {
  const partial = `${folder}.${process.pid}.partial`
  fs.rmSync(partial, { recursive: true, force: true })
  const wrappers = `${partial}.entries`
  fs.mkdirSync(wrappers, { recursive: true })
  const esbuild = createRequire(import.meta.url)('esbuild')
  esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [entryName(e), entrySource(e, wrappers)])),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: LEFT_OUT,
    banner: { js: REQUIRE_BANNER },
    outdir: partial,
    logLevel: 'silent',
  })
  fs.rmSync(wrappers, { recursive: true, force: true })
  const manifest = Object.fromEntries(ENTRIES.map((e) => [e, pathToFileURL(path.join(folder, `${entryName(e)}.js`)).href]))
  fs.writeFileSync(path.join(partial, 'manifest.json'), JSON.stringify(manifest))
  try {
    // Renamed whole: a process that reads the folder finds all of it or nothing.
    fs.renameSync(partial, folder)
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true })
    // Another test process built it first.
    if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err
  }
}

/**
 * The bundles' URLs by the specifier they replace, built first when missing, by one process while the others
 * wait (the six test files that start a run on a new checkout each built them, 1.1 CPU-s apiece). Null (the
 * packages load as they are) when they cannot be built, e.g. without esbuild's binary.
 */
export async function dependencyBundles() {
  try {
    const key = crypto.createHash('sha256').update(JSON.stringify([ENTRIES, LEFT_OUT, REQUIRE_BANNER])).update(fs.readFileSync(path.join(ROOT, 'package-lock.json'))).digest('hex').slice(0, 16)
    const folder = path.join(ROOT, 'node_modules', '.cache', `kyso-test-deps-${key}`)
    const manifest = path.join(folder, 'manifest.json')
    if (!fs.existsSync(manifest)) {
      fs.mkdirSync(path.dirname(folder), { recursive: true })
      await withLockFile(`${folder}.building`, () => { if (!fs.existsSync(manifest)) build(folder) })
    }
    return new Map(Object.entries(JSON.parse(fs.readFileSync(manifest, 'utf8'))))
  } catch (err) {
    process.emitWarning(`The test dependencies were not bundled, so they load file by file: ${err.message}`)
    return null
  }
}
