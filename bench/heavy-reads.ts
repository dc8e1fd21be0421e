/**
 * /health under a flood of the heaviest anonymous reads: the real server (src/server.ts) in its own
 * process on a fresh database seeded with Bình Thuận, 16 clients asking without pause for the coverage
 * timeline 2000-01…2019-12 of every kind, and beside them one client asking /health every 100 ms.
 * Prints the latency percentiles of /health (and of the dashboard page, a static file) and what the
 * heavy reads were answered.
 *
 *   npm run bench:heavy-reads                                  # embedded database (PGlite) in a temporary folder
 *   BENCH_DATABASE_URL=postgres://…/postgres npm run bench:heavy-reads   # a throwaway database on that server
 *
 * HEAVY_SECONDS (default 20, at most 60) and HEAVY_CLIENTS (default 16) bound the run; BENCH_ROOT runs
 * another checkout's server (to compare before and after a change). Not a test: it asserts nothing.
 */
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { freePort } from './lib/free-port.ts'
import { quantile } from './lib/stats.ts'

const ROOT = path.resolve(process.env.BENCH_ROOT ?? path.join(import.meta.dirname, '..'))
const SECONDS = Math.min(60, Number(process.env.HEAVY_SECONDS ?? 20))
const CLIENTS = Number(process.env.HEAVY_CLIENTS ?? 16)
const HEAVY = '/v1/coverage/timeline?from=2000-01&to=2019-12&kind=any'
const BASE = process.env.BENCH_DATABASE_URL

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b)
  const f = (x: number) => x.toFixed(1)
  return `n=${s.length} p50=${f(quantile(s, 0.5))} p90=${f(quantile(s, 0.9))} p99=${f(quantile(s, 0.99))} max=${f(s[s.length - 1])} ms`
}

async function timed(url: string): Promise<{ ms: number; status: number }> {
  const started = performance.now()
  const res = await fetch(url).catch(() => null)
  if (res) await res.arrayBuffer()
  return { ms: performance.now() - started, status: res?.status ?? 0 }
}

async function main(): Promise<void> {
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-heavy-'))
  let dropDatabase = async () => {}
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: dataDir }
  if (BASE) {
    const name = `kyso_bench_${crypto.randomBytes(5).toString('hex')}`
    const admin = postgres(BASE, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    await admin.end()
    const u = new URL(BASE)
    u.pathname = `/${name}`
    env.DATABASE_URL = u.toString()
    dropDatabase = async () => {
      const a = postgres(BASE, { max: 1, onnotice: () => {} })
      await a.unsafe(`drop database if exists ${name} with (force)`)
      await a.end()
    }
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  const url = `http://127.0.0.1:${port}`
  try {
    const started = Date.now()
    while ((await timed(`${url}/health`)).status !== 200) {
      if (child.exitCode !== null || Date.now() - started > 120_000) throw new Error(`the server did not start:\n${out}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    const quiet: number[] = []
    for (let i = 0; i < 20; i++) quiet.push((await timed(`${url}/health`)).ms)
    const one = await timed(url + HEAVY)
    console.log(`Kyso at ${ROOT} on ${BASE ? 'PostgreSQL' : 'PGlite'}; ${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
    console.log(`one heavy read alone: ${one.ms.toFixed(0)} ms (${one.status}); /health on a quiet server: ${summary(quiet)}`)

    const until = Date.now() + SECONDS * 1000
    const statuses = new Map<number, number>()
    const heavyMs: number[] = []
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const r = await timed(url + HEAVY)
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
        if (r.status === 200) heavyMs.push(r.ms)
        // A refused client waits as Retry-After (1 s) would tell it; one answered asks again at once.
        if (r.status === 429) await new Promise((res) => setTimeout(res, 1000))
      }
    })
    const health: number[] = []
    const healthStatuses = new Map<number, number>()
    const page: number[] = []
    const probe = (async () => {
      while (Date.now() < until) {
        const h = await timed(`${url}/health`)
        health.push(h.ms)
        healthStatuses.set(h.status, (healthStatuses.get(h.status) ?? 0) + 1)
        page.push((await timed(`${url}/`)).ms)
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    await Promise.all([...clients, probe])
    console.log(`${CLIENTS} clients asking ${HEAVY} for ${SECONDS} s: ${[...statuses].map(([s, n]) => `${n}×${s}`).join(', ')}; answered ones ${heavyMs.length ? summary(heavyMs) : '-'}`)
    console.log(`/health during the flood: ${summary(health)} (${[...healthStatuses].map(([s, n]) => `${n}×${s}`).join(', ')})`)
    console.log(`dashboard page (static) during the flood: ${summary(page)}`)
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    fs.rmSync(dataDir, { recursive: true, force: true })
    await dropDatabase()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
