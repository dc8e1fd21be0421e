/**
 * A bounded load test against a real socket (loopback only): src/server.ts runs as its own process and
 * autocannon drives the coverage read and certificate registration. Prints requests/s, latency
 * percentiles and the server's resident memory before, in the middle of and after each phase, so that
 * growth pointing to a leak shows.
 *
 *   npm run bench:load                                   # embedded database (PGlite) in a temporary folder
 *   BENCH_DATABASE_URL=postgres://…/db npm run bench:load  # an existing, empty PostgreSQL database
 *
 * LOAD_COVERAGE_REQUESTS (default 100000), LOAD_REGISTRATIONS (default 10000) and LOAD_CONNECTIONS
 * (default 10) bound the run. Not a test: it asserts nothing and is not part of npm test.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { hierarchy, leaf, subject } from '../test/helpers/pki.ts'
import { freePort } from './lib/free-port.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const COVERAGE_REQUESTS = Number(process.env.LOAD_COVERAGE_REQUESTS ?? 100_000)
const REGISTRATIONS = Number(process.env.LOAD_REGISTRATIONS ?? 10_000)
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 10)
const ADMIN = `bench-admin-${Date.now()}-token`

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

async function startServer(env: Record<string, string>): Promise<{ url: string; pid: number; stop: () => Promise<number | null> }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  let exitCode: number | null | undefined
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { exitCode = code; resolve(code) }))
  const url = `http://127.0.0.1:${port}`
  const started = Date.now()
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the server exited with ${exitCode}:\n${out}`)
    if (Date.now() - started > 60_000) throw new Error(`the server did not start:\n${out}`)
    const ok = await fetch(`${url}/health`).then((r) => r.status === 200, () => false)
    if (ok) break
    await new Promise((r) => setTimeout(r, 200))
  }
  return { url, pid: child.pid!, stop: async () => { child.kill('SIGTERM'); return exited } }
}

type Row = { phase: string; requests: number; non2xx: number; errors: number; rps: number; p50: number; p90: number; p99: number; max: number; rssBefore: number; rssMiddle: number; rssAfter: number }

async function phase(name: string, pid: number, amount: number, options: autocannon.Options): Promise<Row> {
  const rssBefore = rssMiB(pid)
  const half = Math.floor(amount / 2)
  const first = await autocannon({ ...options, amount: half, connections: CONNECTIONS })
  const rssMiddle = rssMiB(pid)
  const second = await autocannon({ ...options, amount: amount - half, connections: CONNECTIONS })
  const rssAfter = rssMiB(pid)
  const runs = [first, second]
  const requests = runs.reduce((s, r) => s + r.requests.total, 0)
  const seconds = runs.reduce((s, r) => s + r.duration, 0)
  return {
    phase: name,
    requests,
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.errors + r.timeouts, 0),
    rps: Math.round(requests / seconds),
    // The second half: warmed up.
    p50: second.latency.p50, p90: second.latency.p90, p99: second.latency.p99, max: Math.max(first.latency.max, second.latency.max),
    rssBefore, rssMiddle, rssAfter,
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-load-'))
  const databaseUrl = process.env.BENCH_DATABASE_URL
  const server = await startServer({
    DATA_DIR: dir, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn',
    RATE_LIMIT_WRITES_PER_MINUTE: '1000000', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  })
  const admin = { authorization: `Bearer ${ADMIN}` }
  try {
    console.log(`Kyso under load at ${server.url} (${databaseUrl ? 'PostgreSQL' : 'PGlite'}), ${CONNECTIONS} connections`)
    const h = hierarchy('Load')
    for (const [url, pem] of [['/v1/trust-anchors', h.root.pem], ['/v1/intermediates', h.ca.pem]] as const) {
      const res = await fetch(`${server.url}${url}`, { method: 'POST', headers: { ...admin, 'content-type': 'application/x-pem-file' }, body: pem })
      if (res.status !== 201) throw new Error(`${url}: ${res.status} ${await res.text()}`)
    }
    const created = await fetch(`${server.url}/v1/tokens`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'load', role: 'registrar', scope: null }) })
    const registrar = `Bearer ${((await created.json()) as { token: string }).token}`

    process.stdout.write(`issuing ${REGISTRATIONS} certificates… `)
    const pems = Array.from({ length: REGISTRATIONS }, (_, i) => leaf(h, subject(['L', 'Huyện Đức Linh'], ['CN', `UBND xã Tân Hà ${i}`])).pem)
    console.log('done')

    const rows: Row[] = []
    rows.push(await phase('GET /v1/coverage?parent=60 (empty)', server.pid, Math.min(COVERAGE_REQUESTS, 10_000), { url: `${server.url}/v1/coverage?parent=60` }))
    let next = 0
    rows.push(await phase('POST /v1/certificates', server.pid, REGISTRATIONS, {
      url: `${server.url}/v1/certificates?unitCode=23221`,
      requests: [{
        method: 'POST',
        setupRequest: (req) => ({ ...req, headers: { authorization: registrar, 'content-type': 'application/x-pem-file' }, body: pems[next++ % pems.length] }),
      }],
    }))
    rows.push(await phase(`GET /v1/coverage?parent=60 (${REGISTRATIONS} certificates)`, server.pid, COVERAGE_REQUESTS, { url: `${server.url}/v1/coverage?parent=60` }))

    console.log('\n| phase | requests | non-2xx | errors | req/s | p50 ms | p90 ms | p99 ms | max ms | RSS before → middle → after (MiB) |')
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
    for (const r of rows) {
      console.log(`| ${r.phase} | ${r.requests} | ${r.non2xx} | ${r.errors} | ${r.rps} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.rssBefore} → ${r.rssMiddle} → ${r.rssAfter} |`)
    }
  } finally {
    const code = await server.stop()
    console.log(`\nserver stopped on SIGTERM with exit code ${code}`)
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
