// The dependencies that the project imports as hundreds of small ES modules (typebox: 373 files, drizzle-orm:
// about 100), bundled once into a few files for the test processes: loading them cost 0.25 s of CPU in every
// test process that loads the app, and about 0.02 s bundled. The bundles are built with esbuild (code splitting,
// so that every entry point shares one copy of each module) and kept in node_modules/.cache under a hash of the
// packages' versions (there, their own imports of other packages resolve as from the project);
// test/helpers/typescript.mjs points the project's imports at them.
// The app itself is not affected: it runs from the sources or from its own bundle (scripts/build.js).
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** The entry points the project imports; another subpath of these packages loads unbundled. */
const ENTRIES = ['typebox', 'drizzle-orm', 'drizzle-orm/pg-core', 'drizzle-orm/postgres-js', 'drizzle-orm/postgres-js/migrator']
const PACKAGES = ['typebox', 'drizzle-orm', 'esbuild']

function version(name) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version
}

/** Entry point name in the bundle folder: `drizzle-orm/pg-core` → `drizzle-orm__pg-core`. */
function entryName(specifier) {
  return specifier.replaceAll('/', '__')
}

function build(folder) {
  const partial = `${folder}.${process.pid}.partial`
  fs.mkdirSync(path.dirname(folder), { recursive: true })
  fs.rmSync(partial, { recursive: true, force: true })
  const esbuild = createRequire(import.meta.url)('esbuild')
  esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [entryName(e), fileURLToPath(import.meta.resolve(e))])),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Other packages (postgres.js under drizzle-orm/postgres-js) stay the project's own copy.
    packages: 'external',
    outdir: partial,
    logLevel: 'silent',
  })
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
 * The bundles' URLs by the specifier they replace, built first when missing. Null (the packages load as
 * they are) when they cannot be built, e.g. without esbuild's binary.
 */
export function dependencyBundles() {
  try {
    const key = crypto.createHash('sha256').update(JSON.stringify([ENTRIES, PACKAGES.map(version)])).digest('hex').slice(0, 16)
    const folder = path.join(ROOT, 'node_modules', '.cache', `kyso-test-deps-${key}`)
    const manifest = path.join(folder, 'manifest.json')
    if (!fs.existsSync(manifest)) build(folder)
    return new Map(Object.entries(JSON.parse(fs.readFileSync(manifest, 'utf8'))))
  } catch (err) {
    process.emitWarning(`The test dependencies were not bundled, so they load file by file: ${err.message}`)
    return null
  }
}
