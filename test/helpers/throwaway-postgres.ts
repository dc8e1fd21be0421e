/**
 * A throwaway PostgreSQL cluster for tests that must stop and start the database server itself
 * (outages), and for continuous integration's PostgreSQL run (throwaway-postgres-cli.ts): initdb in a
 * temporary folder, pg_ctl on a free port, trust authentication, fsync off.
 * Everything is removed in teardown. When running as root (CI does), the cluster runs as the
 * `postgres` system user, since PostgreSQL refuses to run as root.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

export type ThrowawayPostgres = {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string
  port: number
  /** Its folder: the data, the socket and the log. */
  dir: string
  /** Stops the server; `immediate` is a crash-like stop (no checkpoint, connections cut). */
  stop(mode?: 'immediate' | 'fast'): void
  /** Starts it again on the same port and data, waiting until it accepts connections. */
  start(): void
  /** Freezes every process of the cluster (SIGSTOP): it accepts TCP connections but never answers. */
  freeze(): void
  /** Lets a frozen cluster run again (SIGCONT). */
  thaw(): void
  /** Stops it (if running) and removes its folder. */
  remove(): void
  /** The server log, for failure messages. */
  log(): string
}

const CANDIDATE_BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/14/bin', '/usr/local/pgsql/bin']

/** The folder holding initdb and pg_ctl, or null when PostgreSQL's server tools are not installed. */
export function postgresBinDir(): string | null {
  const fromEnv = process.env.PG_BIN
  const dirs = [...(fromEnv ? [fromEnv] : []), ...CANDIDATE_BIN_DIRS, ...(process.env.PATH ?? '').split(path.delimiter)]
  for (const dir of dirs) {
    if (dir && fs.existsSync(path.join(dir, 'pg_ctl')) && fs.existsSync(path.join(dir, 'initdb'))) return dir
  }
  return null
}

/** Why the throwaway cluster cannot run here, or null when it can. */
export function throwawayPostgresUnavailable(): string | null {
  if (!postgresBinDir()) return 'pg_ctl and initdb are not installed (set PG_BIN to their folder)'
  if (process.getuid?.() === 0) {
    const user = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
    if (user.status !== 0) return 'running as root and there is no postgres system user to run the cluster as'
  }
  return null
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** Runs one of PostgreSQL's tools, as the `postgres` system user when running as root. */
function run(tool: string, args: string[]): { ok: boolean; output: string } {
  const bin = postgresBinDir()!
  const [cmd, argv] = process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]]
    : [path.join(bin, tool), args]
  const result = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` }
}

/** Stops the cluster in `dir` if it runs (a crash-like stop) and removes the folder. */
export function removeThrowawayPostgres(dir: string): void {
  run('pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop'])
  fs.rmSync(dir, { recursive: true, force: true })
}

/** A new cluster in a folder made under `parent` (the temporary folder unless told). */
export async function startThrowawayPostgres(parent = os.tmpdir()): Promise<ThrowawayPostgres> {
  const why = throwawayPostgresUnavailable()
  if (why) throw new Error(`cannot start a throwaway PostgreSQL: ${why}`)
  const dir = fs.mkdtempSync(path.join(parent, 'kyso-pg-'))
  const data = path.join(dir, 'data')
  const logFile = path.join(dir, 'server.log')
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    fs.chownSync(dir, uid, gid)
  }
  const readLog = () => { try { return fs.readFileSync(logFile, 'utf8') } catch { return '' } }

  const init = run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'])
  if (!init.ok) {
    fs.rmSync(dir, { recursive: true, force: true })
    throw new Error(`initdb failed:\n${init.output}`)
  }
  const port = await freePort()
  const serverOptions = [
    `-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off',
    '-c full_page_writes=off', '-c max_connections=200', '-c shared_buffers=32MB',
  ].join(' ')
  let running = false
  const start = () => {
    const result = run('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start'])
    if (!result.ok) throw new Error(`pg_ctl start failed:\n${result.output}\n${readLog()}`)
    running = true
  }
  const stop = (mode: 'immediate' | 'fast' = 'immediate') => {
    const result = run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'])
    if (!result.ok && running) throw new Error(`pg_ctl stop failed:\n${result.output}`)
    running = false
  }
  try {
    start()
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true })
    throw err
  }
  const signalAll = (signal: 'STOP' | 'CONT') => {
    const pid = fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0].trim()
    if (!/^\d+$/.test(pid)) throw new Error('no postmaster pid')
    const children = spawnSync('pgrep', ['-P', pid], { encoding: 'utf8' }).stdout.split('\n').filter((p) => /^\d+$/.test(p))
    // The postmaster first on STOP (no new backends), last on CONT.
    const order = signal === 'STOP' ? [pid, ...children] : [...children, pid]
    for (const p of order) process.kill(Number(p), `SIG${signal}`)
  }
  let removed = false
  return {
    freeze: () => signalAll('STOP'),
    thaw: () => signalAll('CONT'),
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    start,
    stop,
    log: readLog,
    remove: () => {
      if (removed) return
      removed = true
      try { if (running) signalAll('CONT') } catch { /* not running */ }
      running = false
      removeThrowawayPostgres(dir)
    },
  }
}
