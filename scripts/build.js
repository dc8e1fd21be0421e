#!/usr/bin/env node
// Compiles src/ to dist/ (JavaScript with source maps) and copies the files the code reads at run time
// (dashboard static files, the seed CSV) beside it. dist/ mirrors src/ at the same depth, so paths
// resolved from import.meta.dirname (../../drizzle, ../../openapi) point into the package root either way.
// Then writes the embedded database image of the default seed (src/cli/seed-image.ts), from which a first
// start in a new DATA_DIR begins instead of migrating and seeding.
// `--if-stale` builds only when a source or migration is newer than the last build (npm start uses it).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'

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

function build() {
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
  console.log(`kyso build: compiled src/ to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  // Without the image a first start is slower, not wrong: the build still succeeds.
  spawnSync(process.execPath, ['--enable-source-maps', path.join(DIST, 'cli/seed-image.js')], { stdio: 'inherit' })
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`)
  return 0
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0)
process.exit(build())
