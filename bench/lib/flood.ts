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
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
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
