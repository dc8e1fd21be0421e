/**
 * A map over a long list that lets other requests in between slices: the items of a large upload cost
 * tens of microseconds each on the main thread, which over a thousand items would hold /health for a
 * tenth of a second. Between slices the event loop runs its timers and I/O (setImmediate).
 */
const SLICE = 64

export async function mapInSlices<T, R>(list: readonly T[], fn: (item: T, index: number) => R, size = SLICE): Promise<R[]> {
  const out = new Array<R>(list.length)
  for (let start = 0; start < list.length; start += size) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve))
    const end = Math.min(list.length, start + size)
    for (let i = start; i < end; i++) out[i] = fn(list[i], i)
  }
  return out
}
