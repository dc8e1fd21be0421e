import t from 'tap'
import { mapInSlices } from '../../src/lib/in-slices.ts'

t.test('maps in order, and lets waiting callbacks run between slices', async (t) => {
  const list = Array.from({ length: 200 }, (_, i) => i)
  let otherWorkRan = false
  setImmediate(() => { otherWorkRan = true })
  const seen: boolean[] = []
  const out = await mapInSlices(list, (n, i) => {
    seen[i] = otherWorkRan
    return n * 2
  }, 64)
  t.same(out, list.map((n) => n * 2), 'same answer as Array.prototype.map')
  t.equal(seen.slice(0, 64).some(Boolean), false, 'the first slice runs without a pause')
  t.equal(seen.slice(64).every(Boolean), true, 'the callback waiting on the event loop ran before the second slice')
  t.same(await mapInSlices([], (n: number) => n), [], 'an empty list')
})
