/** Counts failed authentications per client address in fixed one-minute windows (per process). */
export class FailedAuthLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>()

  private readonly maxPerMinute: number
  private readonly now: () => number

  constructor(maxPerMinute: number, now: () => number = Date.now) {
    this.maxPerMinute = maxPerMinute
    this.now = now
  }

  /** Seconds to wait when the address is over its limit, else 0. */
  retryAfter(address: string): number {
    const w = this.windows.get(address)
    if (!w) return 0
    const now = this.now()
    if (now >= w.resetAt) {
      this.windows.delete(address)
      return 0
    }
    return w.count >= this.maxPerMinute ? Math.ceil((w.resetAt - now) / 1000) : 0
  }

  fail(address: string): void {
    const now = this.now()
    const w = this.windows.get(address)
    if (!w || now >= w.resetAt) this.windows.set(address, { count: 1, resetAt: now + 60_000 })
    else w.count++
    if (this.windows.size > 100_000) this.prune(now)
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now >= w.resetAt) this.windows.delete(key)
  }
}
