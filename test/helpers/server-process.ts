import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { embeddedFolder } from '../../src/db/open.ts'
import { STRIPS_TYPES } from '../../src/lib/worker-module.ts'
import { pgliteTemplate } from './template-db.ts'
import { PGLITE_TEST_DIR } from './pglite-test-dir.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')

export type ServerProcess = { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> }

/** How the server is run: compiled (`npm start`'s form), or from the sources (through tsx where Node.js does not strip types). */
export const COMPILED = ['--enable-source-maps', 'dist/bundle/server.js']
export const FROM_SOURCES = [...(STRIPS_TYPES ? [] : ['--import', 'tsx']), 'src/server.ts']

let built = false
/** Builds dist/ when a source is newer than it (as `npm start` does), once per test file. */
function ensureBuilt(args: readonly string[]): void {
  if (built || args !== COMPILED) return
  const result = spawnSync(process.execPath, ['scripts/build.js', '--if-stale'], { cwd: ROOT, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`the build failed:\n${result.stdout}${result.stderr}`)
  built = true
}

/**
 * A new DATA_DIR that already holds the embedded database, migrated and seeded with Bình Thuận (a copy of the
 * run's template): for a server whose test is not about its first start, which would spend 2 to 3 s of CPU
 * migrating and seeding. Removed when the test ends.
 */
export async function seededDataDir(t: { teardown(fn: () => void): void }, prefix: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(PGLITE_TEST_DIR, prefix))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  fs.cpSync(await pgliteTemplate('binh-thuan-2017'), embeddedFolder(dir), { recursive: true })
  return dir
}

/**
 * Starts the server as its own process on a free port and waits until it listens. Compiled unless told
 * otherwise: it is what runs in production, and it starts in a fraction of the CPU time the sources take.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 180_000, args: readonly string[] = COMPILED): Promise<ServerProcess> {
  ensureBuilt(args)
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', SEED: 'binh-thuan-2017', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), timeoutMs)
    const look = () => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) { clearTimeout(timer); resolve(m[1]) }
    }
    child.stdout.on('data', look)
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${out}`)) })
  })
  return { child, url, output: () => out, exited }
}

/** Runs the server expecting it to refuse to start; resolves with its exit code and output. */
export async function failedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  ensureBuilt(COMPILED)
  const child = spawn(process.execPath, COMPILED, {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', SEED: 'binh-thuan-2017', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000)
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
  clearTimeout(timer)
  return { code, output: out }
}
