/**
 * What the flood benchmarks share: the real server in its own process on a fresh database (PGlite in a
 * temporary folder, or a throwaway database on BENCH_DATABASE_URL's server), timed requests, and a probe
 * that asks /health and the dashboard page every 100 ms while the flood runs.
 */
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { freePort } from './free-port.ts'
import { quantile } from './stats.ts'

export function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b)
  const f = (x: number) => x.toFixed(1)
  return `n=${s.length} p50=${f(quantile(s, 0.5))} p90=${f(quantile(s, 0.9))} p99=${f(quantile(s, 0.99))} max=${f(s[s.length - 1])} ms`
}

export async function timed(url: string, init?: RequestInit): Promise<{ ms: number; status: number; body: string }> {
  const started = performance.now()
  const res = await fetch(url, init).catch(() => null)
  const body = res ? await res.text() : ''
  return { ms: performance.now() - started, status: res?.status ?? 0, body }
}

export const counts = (m: Map<number, number>) => [...m].map(([s, n]) => `${n}×${s}`).join(', ')

/** BENCH_NODE_ARGS, given to the server's node, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' for its CPU profiles. */
const nodeArgs = () => (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)

export type Server = { url: string; label: string; stop: () => Promise<void> }

/** Starts `src/server.ts` of `root` on a fresh database and waits for /health 200. */
export async function startServer(root: string, extraEnv: Record<string, string> = {}): Promise<Server> {
  const base = process.env.BENCH_DATABASE_URL
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-flood-'))
  let dropDatabase = async () => {}
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...extraEnv }
  if (base) {
    const name = `kyso_bench_${crypto.randomBytes(5).toString('hex')}`
    const admin = postgres(base, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    await admin.end()
    const u = new URL(base)
    u.pathname = `/${name}`
    env.DATABASE_URL = u.toString()
    dropDatabase = async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} })
      await a.unsafe(`drop database if exists ${name} with (force)`)
      await a.end()
    }
  }
  const child = spawn(process.execPath, [...nodeArgs(), '--import', 'tsx', 'src/server.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
    fs.rmSync(dataDir, { recursive: true, force: true })
    await dropDatabase()
  }
  const started = Date.now()
  while ((await timed(`${url}/health`)).status !== 200) {
    if (child.exitCode !== null || Date.now() - started > 120_000) {
      await stop()
      throw new Error(`the server did not start:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  const label = `Kyso at ${root} on ${base ? 'PostgreSQL' : 'PGlite'}; ${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`
  return { url, label, stop }
}

/** /health and the dashboard page, every 100 ms until `until`. */
export async function probe(url: string, until: number): Promise<{ health: number[]; healthStatuses: Map<number, number>; page: number[] }> {
  const health: number[] = []
  const healthStatuses = new Map<number, number>()
  const page: number[] = []
  while (Date.now() < until) {
    const h = await timed(`${url}/health`)
    health.push(h.ms)
    healthStatuses.set(h.status, (healthStatuses.get(h.status) ?? 0) + 1)
    page.push((await timed(`${url}/`)).ms)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { health, healthStatuses, page }
}

/** /health on the server before the flood: 20 requests one after another. */
export async function quietHealth(url: string): Promise<string> {
  const ms: number[] = []
  for (let i = 0; i < 20; i++) ms.push((await timed(`${url}/health`)).ms)
  return summary(ms)
}

/**
 * `clients` callers sending `request` without pause for `seconds` (one refused with 429 or 503 waits a
 * second, as Retry-After tells it), beside the /health probe; prints what they were answered and the probe.
 */
export async function flood(url: string, o: { clients: number; seconds: number; what: string; request: () => ReturnType<typeof timed> }): Promise<void> {
  const until = Date.now() + o.seconds * 1000
  const statuses = new Map<number, number>()
  const answered: number[] = []
  const clients = Array.from({ length: o.clients }, async () => {
    while (Date.now() < until) {
      const r = await o.request()
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
      if (r.status === 200) answered.push(r.ms)
      if (r.status === 429 || r.status === 503) await new Promise((res) => setTimeout(res, 1000))
    }
  })
  const [p] = await Promise.all([probe(url, until), ...clients])
  console.log(`${o.clients} ${o.what} for ${o.seconds} s: ${counts(statuses)}; answered ones ${answered.length ? summary(answered) : '-'}`)
  console.log(`/health during the flood: ${summary(p.health)} (${counts(p.healthStatuses)})`)
  console.log(`dashboard page (static) during the flood: ${summary(p.page)}`)
}
