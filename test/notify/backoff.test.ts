import t from 'tap'
import { nextAttempt, retryDelayMs } from '../../src/notify/backoff.ts'

t.test('exponential backoff, capped, for at least 24 hours', async (t) => {
  t.same([1, 2, 3, 4, 5].map(retryDelayMs), [30_000, 60_000, 120_000, 240_000, 480_000], 'doubling from 30 s')
  t.equal(retryDelayMs(40), 2 * 3600_000, 'at most 2 hours apart')
  // A receiver that never recovers: follow the schedule from the due time until it gives up.
  const due = new Date('2027-01-01T00:00:00Z')
  let now = due
  let attempts = 1
  const times = [now]
  for (;;) {
    const next = nextAttempt(now, due, attempts, 24)
    if (!next) break
    now = next
    attempts++
    times.push(now)
  }
  const span = now.getTime() - due.getTime()
  t.ok(span >= 24 * 3600_000, `the last attempt is ${(span / 3600_000).toFixed(2)} h after the notice came due`)
  t.ok(span < 27 * 3600_000, 'and it then gives up')
  t.ok(times.every((x, i) => i === 0 || x > times[i - 1]), 'attempts move forward in time')
  t.comment(`${attempts} attempts over ${(span / 3600_000).toFixed(2)} h`)
  t.equal(nextAttempt(new Date(due.getTime() + 24 * 3600_000), due, 3, 24), null, 'nothing after the window')
})
