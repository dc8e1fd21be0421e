/** autocannon runs against the bench server: bounded by a request count or a duration, loopback only. */
import autocannon from 'autocannon'

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
  return summary(await autocannon({ url, duration: seconds, connections, headers }))
}

/** GETs `base + suffixes[i]` for the i-th request (each a different URL: first reads), `connections` at a time, for `seconds`. */
export async function readEachFor(base: string, suffixes: string[], seconds: number, connections = 10): Promise<LoadResult> {
  let next = 0
  const url = new URL(base)
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
