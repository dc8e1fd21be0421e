#!/usr/bin/env node
// Compiles src/ to dist/ (JavaScript with source maps) and copies the files the code reads at run time
// (dashboard static files, the seed CSV) beside it. dist/ mirrors src/ at the same depth, so paths
// resolved from import.meta.dirname (../../drizzle, ../../openapi) point into the package root either way.
// Then bundles the server, with its worker threads and the packages it uses, into dist/bundle/ (what `npm start`
// runs: one file to load instead of hundreds, 0.26 s against 0.74 s on Node.js 20 and 1.3 s on 24, which reads
// drizzle-orm's 179 kB package.json again for each of its modules). The bundle sits at the depth of src/'s
// folders, so paths resolved from import.meta.dirname (../../drizzle) hold there too; what the code reads beside
// itself (the seed CSV, the dashboard) is copied into it. Packages that read files beside their own code
// (PGlite, @fastify/swagger and its UI) stay in node_modules. The bundle's source maps map the project's own code
// only (scripts/source-map-own.js): stack traces name the .ts lines, and a start does not decode the packages' maps.
// Then writes the embedded database image of the default seed (src/cli/seed-image.ts), from which a first
// start in a new DATA_DIR begins instead of migrating and seeding.
// `--if-stale` builds only when a source or migration is newer than the last build (npm start uses it). One build
// runs at a time (.build.lock): the others wait for it.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { keepOwnSources } from './source-map-own.js'
import { LEFT_OUT, REQUIRE_BANNER } from './bundle-packages.js'
import { withLockFile } from './lock-file.js'

const ROOT = path.resolve(import.meta.dirname, '..')
const SRC = path.join(ROOT, 'src')
const DIST = path.join(ROOT, 'dist')
const STAMP = path.join(DIST, '.built')
const MIGRATIONS = path.join(ROOT, 'drizzle')
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) => path.join(ROOT, f))

function newestSource() {
  let newest = Math.max(...CONFIGS.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)))
  for (const entry of [SRC, MIGRATIONS].flatMap((dir) => fs.readdirSync(dir, { recursive: true, withFileTypes: true }))) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

function isStale() {
  return !fs.existsSync(STAMP) || fs.statSync(STAMP).mtimeMs < newestSource()
}

const BUNDLE = path.join(DIST, 'bundle')
/** Each entry's name is what the code looks for beside itself (siblingModule in src/lib/worker-module.ts). */
const BUNDLE_ENTRIES = {
  server: 'src/server.ts',
  'upload-worker': 'src/certificates/upload-worker.ts',
  'verify-worker': 'src/documents/verify-worker.ts',
  'pglite-worker': 'src/db/pglite-worker.ts',
}
const BESIDE_THE_CODE = { 'src/units/seed': 'seed', 'src/dashboard/static': 'static' }

async function bundle() {
  const esbuild = await import('esbuild')
  fs.rmSync(BUNDLE, { recursive: true, force: true })
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: BUNDLE_ENTRIES,
    outdir: BUNDLE,
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: LEFT_OUT,
    banner: { js: REQUIRE_BANNER },
  })
  for (const file of fs.readdirSync(BUNDLE).filter((f) => f.endsWith('.js.map'))) {
    const map = path.join(BUNDLE, file)
    fs.writeFileSync(map, JSON.stringify(keepOwnSources(JSON.parse(fs.readFileSync(map, 'utf8')), (source) => !source.includes('node_modules/'))))
  }
  for (const [from, to] of Object.entries(BESIDE_THE_CODE)) fs.cpSync(path.join(ROOT, from), path.join(BUNDLE, to), { recursive: true })
}

async function build() {
  const started = Date.now()
  let tsc
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  } catch {
    console.error('kyso build: TypeScript is not installed (it is a devDependency: run `npm ci` without --omit=dev to build).')
    return 1
  }
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' })
  if (result.status !== 0) return result.status ?? 1
  for (const entry of fs.readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.ts')) continue
    const from = path.join(entry.parentPath, entry.name)
    const to = path.join(DIST, path.relative(SRC, from))
    fs.mkdirSync(path.dirname(to), { recursive: true })
    fs.copyFileSync(from, to)
  }
  await bundle()
  console.log(`kyso build: compiled src/ to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  // Without the image a first start is slower, not wrong: the build still succeeds.
  spawnSync(process.execPath, ['--enable-source-maps', path.join(DIST, 'cli/seed-image.js')], { stdio: 'inherit' })
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`)
  return 0
}

/**
 * One build at a time: test files that start the compiled server, `npm start` and the benchmark may all ask for
 * a build at once, and two builds into one dist/ would remove each other's bundle. The others wait for the lock.
 */
const LOCK = path.join(ROOT, '.build.lock')

const ifStale = process.argv.includes('--if-stale')
if (ifStale && !isStale()) process.exit(0)
// Waiting for the lock may have been waiting for another build of the same sources.
process.exit(await withLockFile(LOCK, () => (ifStale && !isStale() ? 0 : build())))
