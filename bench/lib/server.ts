/** Processes the benchmark starts: the app under load (serve.ts) and starts of the server as `npm start` runs it. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { IMAGES_DIR } from '../../src/units/seed-image.ts'

export const ROOT = path.resolve(import.meta.dirname, '../..')
const children = new Set<ChildProcess>()
process.on('exit', () => { for (const c of children) c.kill('SIGKILL') })

/** Resident set size of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
}

export type BenchServer = {
  appUrl: string
  constantUrl: string
  pid: number
  memory: () => Promise<NodeJS.MemoryUsage>
  /** CPU time the server process has used so far (user + system), ms. */
  cpuMs: () => Promise<number>
  /** Runs `fn` under the V8 CPU profiler of the server when BENCH_PROFILE_DIR is set: writes <dir>/<name>.cpuprofile. */
  profiled: <T>(name: string, fn: () => Promise<T>) => Promise<T>
  stop: () => Promise<void>
}

/**
 * Starts bench/lib/serve.ts on `databaseUrl`. Logging at warn (a request log line per request at the
 * default info level would measure the log sink), the write rate limit lifted.
 * BENCH_CPU_PROF=dir writes a V8 CPU profile of the server to dir when it stops.
 */
export async function startBenchServer(databaseUrl: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : []
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', path.join(ROOT, 'bench/lib/serve.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', SEED: 'none',
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000', DB_STATEMENT_TIMEOUT_MS: '600000',
      // The benchmark is one anonymous client asking for the heavy reads on purpose: the limits meant for the public would refuse it.
      HEAVY_READ_CONCURRENCY: '1000', HEAVY_READS_PER_MINUTE: '1000000', ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  children.add(child)
  const exited = exitOf(child)
  const ready = await new Promise<{ appUrl: string; constantUrl: string }>((resolve, reject) => {
    child.on('message', (m: { type: string; appUrl: string; constantUrl: string }) => { if (m.type === 'ready') resolve(m) })
    void exited.then((code) => reject(new Error(`bench server exited with ${code} before it was ready`)))
  })
  type Answer = { type: string; memory: NodeJS.MemoryUsage; cpu: NodeJS.CpuUsage }
  const ask = () => new Promise<Answer>((resolve) => {
    const on = (m: Answer) => {
      if (m.type !== 'memory') return
      child.off('message', on)
      resolve(m)
    }
    child.on('message', on)
    child.send({ type: 'memory' })
  })
  return {
    ...ready,
    pid: child.pid!,
    memory: async () => (await ask()).memory,
    cpuMs: async () => { const { cpu } = await ask(); return (cpu.user + cpu.system) / 1000 },
    profiled: async (name, fn) => {
      const dir = process.env.BENCH_PROFILE_DIR
      if (!dir) return fn()
      fs.mkdirSync(dir, { recursive: true })
      const file = path.resolve(dir, `${name}.cpuprofile`)
      const toggle = () => new Promise<void>((resolve) => {
        const on = (m: { type: string }) => { if (m.type === 'profiled') { child.off('message', on); resolve() } }
        child.on('message', on)
        child.send({ type: 'profile', file })
      })
      await toggle()
      try { return await fn() } finally { await toggle() }
    },
    stop: async () => {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
      children.delete(child)
    },
  }
}

export type ColdStart = { listeningMs: number; healthMs: number; rss: number }

/** Builds dist/ when a source is newer than the last build (scripts/build.js --if-stale), outside any timing. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' })
}

/** Runs `work` with the build's seeded images moved aside (a first start then migrates and seeds), and puts them back. */
export async function withoutSeedImages<T>(work: () => Promise<T>): Promise<T> {
  const hidden = `${IMAGES_DIR}.hidden-by-bench`
  const present = fs.existsSync(IMAGES_DIR)
  if (present) fs.renameSync(IMAGES_DIR, hidden)
  try {
    return await work()
  } finally {
    if (present) fs.renameSync(hidden, IMAGES_DIR)
  }
}

/**
 * Spawns the server as `npm start` does (`node --enable-source-maps dist/bundle/server.js`; with `tsx: true`,
 * `node --import tsx src/server.ts`, compiling at start) with PORT=0 and `env` (a fresh DATA_DIR or a fresh
 * DATABASE_URL, or an existing one for a warm start): time to "Server listening at", then to the first
 * /health 200. Stops it with SIGTERM. Call ensureBuilt() first.
 */
export async function coldStart(env: Record<string, string>, options: { tsx?: boolean } = {}): Promise<ColdStart> {
  const args = options.tsx ? ['--import', 'tsx', 'src/server.ts'] : ['--enable-source-maps', 'dist/bundle/server.js']
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const exited = exitOf(child)
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within 120 s:\n${out}`)), 120_000)
      const look = () => {
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
        if (m) { clearTimeout(timer); resolve(m[1]) }
      }
      child.stdout.on('data', look)
      child.stderr.on('data', look)
      void exited.then((code) => { clearTimeout(timer); reject(new Error(`the server exited with ${code}:\n${out}`)) })
    })
    const listeningMs = performance.now() - started
    for (;;) {
      const res = await fetch(`${url}/health`).catch(() => null)
      if (res?.status === 200) { await res.arrayBuffer(); break }
      if (performance.now() - started > 120_000) throw new Error('/health did not answer 200 within 120 s')
      await new Promise((r) => setTimeout(r, 5))
    }
    return { listeningMs, healthMs: performance.now() - started, rss: rssOf(child.pid!) }
  } finally {
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(timer)
    children.delete(child)
  }
}

/** The start whose time to /health 200 is the median of `starts` (the upper one of an even count). */
export function medianStart(starts: ColdStart[]): ColdStart {
  if (starts.length === 0) throw new Error('no start to take the median of')
  return [...starts].sort((a, b) => a.healthMs - b.healthMs)[Math.floor(starts.length / 2)]
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** CPU time (user + system, ms) used so far by the PostgreSQL backends serving `database` for clients named `application` (Linux /proc; the server must be local). */
export async function postgresCpuMs(url: string, application = 'kyso'): Promise<Map<number, number>> {
  const { default: postgres } = await import('postgres')
  const pg = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const rows = await pg<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and application_name = ${application}`
    const tick = 100 // USER_HZ on Linux
    const out = new Map<number, number>()
    for (const { pid } of rows) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / tick)
      } catch { /* gone, or not on this machine */ }
    }
    return out
  } finally {
    await pg.end({ timeout: 5 })
  }
}

/** CPU ms the backends used between two `postgresCpuMs` readings (a backend new since the first counts whole). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0)
  return sum
}
