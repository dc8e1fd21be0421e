/** Small statistics for benchmark timings (milliseconds). */

export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]
}

export type Timing = { runs: number; median: number; p95: number; min: number; max: number }

export function summarize(times: number[]): Timing {
  const s = [...times].sort((a, b) => a - b)
  return { runs: s.length, median: quantile(s, 0.5), p95: quantile(s, 0.95), min: s[0], max: s[s.length - 1] }
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times; returns the timings in ms. */
export async function timeRuns(runs: number, fn: () => Promise<unknown>, warmup = 2): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const s = performance.now()
    await fn()
    times.push(performance.now() - s)
  }
  return summarize(times)
}
