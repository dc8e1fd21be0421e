/**
 * Loads against the bench server, bounded by a request count or a duration, loopback only. Reads use wrk
 * (C, one thread) where it is installed: autocannon's JavaScript spends more CPU taking in an 11 KB answer
 * than the server spends sending it from the read cache, and on a 2-core machine the two share the cores,
 * so with autocannon a read's figure is the client's. `BENCH_LOAD=autocannon` keeps autocannon for reads too.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'

const WRK = process.env.BENCH_LOAD === 'autocannon' ? null : ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => fs.existsSync(p)) ?? null

/** The load generator of the reads: `wrk` or `autocannon`. */
export const READ_LOAD_TOOL = WRK ? 'wrk' : 'autocannon'

export type LoadResult = { requests: number; ok: number; non2xx: number; errors: number; seconds: number; rps: number; p50: number; p99: number; max: number }

function summary(r: autocannon.Result): LoadResult {
  const ok = r['2xx']
  return {
    requests: r.requests.total, ok, non2xx: r.non2xx, errors: r.errors + r.timeouts, seconds: r.duration,
    rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max,
  }
}

/** GETs `url` with `connections` clients for `seconds`. */
export async function readFor(url: string, seconds: number, connections = 10, headers: Record<string, string> = {}): Promise<LoadResult> {
  if (WRK) return wrk(url, seconds, connections, headers)
  return summary(await autocannon({ url, duration: seconds, connections, headers }))
}

/** GETs `base + suffixes[i]` for the i-th request (each a different URL: first reads), `connections` at a time, for `seconds`. */
export async function readEachFor(base: string, suffixes: string[], seconds: number, connections = 10): Promise<LoadResult> {
  const url = new URL(base)
  if (WRK) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-bench-wrk-'))
    const script = path.join(dir, 'each.lua')
    fs.writeFileSync(script, [
      `local suffixes = { ${suffixes.map((x) => JSON.stringify(x)).join(', ')} }`,
      `local base = ${JSON.stringify(`${url.pathname}${url.search}`)}`,
      'local i = 0',
      'request = function()',
      '  i = i + 1',
      '  return wrk.format("GET", base .. suffixes[(i - 1) % #suffixes + 1])',
      'end',
    ].join('\n'))
    try {
      return await wrk(url.origin, seconds, connections, {}, ['-s', script])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  let next = 0
  return summary(await autocannon({
    url: url.origin,
    duration: seconds,
    connections,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `${url.pathname}${url.search}${suffixes[next++ % suffixes.length]}` }) }],
  }))
}

/**
 * POSTs each body once (bodies[i] for the i-th request), `connections` at a time. `onResponse` sees every
 * answer (status, body). Returns when all `bodies.length` requests are answered.
 */
export async function postEach(url: string, bodies: string[], options: { connections: number; headers: Record<string, string>; onResponse?: (status: number, body: string) => void; timeoutSeconds?: number }): Promise<LoadResult> {
  let next = 0
  // autocannon notices that `amount` is reached on its one-second tick, so its duration is rounded up to
  // the next whole second: time the run from the start to the last answer instead.
  const started = performance.now()
  let last = started
  const result = await autocannon({
    url,
    amount: bodies.length,
    connections: options.connections,
    timeout: options.timeoutSeconds ?? 120,
    requests: [{
      method: 'POST',
      setupRequest: (req) => ({ ...req, headers: options.headers, body: bodies[next++ % bodies.length] }),
      onResponse: (status: number, body: string) => {
        last = performance.now()
        options.onResponse?.(status, body)
      },
    }],
  })
  const seconds = (last - started) / 1000
  return { ...summary(result), seconds, rps: result.requests.total / seconds }
}

/** wrk's duration in ms (`350.12us`, `1.20ms`, `2.00s`). */
function ms(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value)
  if (!m) return NaN
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[m[2]]
}

/** Runs wrk (1 thread) and reads its report. */
async function wrk(url: string, seconds: number, connections: number, headers: Record<string, string>, extra: string[] = []): Promise<LoadResult> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), ...extra, url]
  const out = await new Promise<string>((resolve, reject) => {
    execFile(WRK!, args, { encoding: 'utf8', timeout: (seconds + 30) * 1000 }, (err, stdout, stderr) => (err ? reject(new Error(`wrk failed: ${stderr || err.message}`)) : resolve(stdout)))
  })
  const number = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN)
  const requests = number(/(\d+) requests in/)
  const duration = ms(/requests in ([\d.]+\w+),/.exec(out)?.[1] ?? '') / 1000
  const non2xx = number(/Non-2xx or 3xx responses: (\d+)/) || 0
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0
  if (!Number.isFinite(requests) || !Number.isFinite(duration)) throw new Error(`could not read wrk's report:\n${out}`)
  return {
    requests, ok: requests - non2xx, non2xx, errors, seconds: duration, rps: requests / duration,
    p50: ms(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ''), p99: ms(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
    max: ms(/Latency\s+\S+\s+\S+\s+(\S+)/.exec(out)?.[1] ?? ''),
  }
}
