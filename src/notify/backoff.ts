/** Retry schedule: 30 s, 1 min, 2 min, … doubling, at most 2 h apart, until the retry window closes. */
const FIRST_DELAY_MS = 30_000
const MAX_DELAY_MS = 2 * 3600_000

export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS)
}

/** When to try again after `attempts` failed tries of a notice due at `dueAt`, or null to give up. */
export function nextAttempt(now: Date, dueAt: Date, attempts: number, retryHours: number): Date | null {
  if (now.getTime() - dueAt.getTime() >= retryHours * 3600_000) return null
  return new Date(now.getTime() + retryDelayMs(attempts))
}
