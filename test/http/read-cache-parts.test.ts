/** The read cache's parts on their own: the byte-bounded LRU, the version single flight, ETag matching. */
import t from 'tap'
import { ReadCache } from '../../src/http/read-cache.ts'
import { SingleFlightVersion } from '../../src/db/data-version.ts'
import { etagMatches } from '../../src/http/etag.ts'

const answer = (version: number, bytes: number) => ({ version, body: Buffer.alloc(bytes, 'x'), headers: { 'content-type': 'application/json; charset=utf-8' } })

t.test('ReadCache: one version per key, least recently used out first, never over its bytes', async (t) => {
  const cache = new ReadCache(2000)
  cache.set('a', answer(1, 500))
  cache.set('b', answer(1, 500))
  t.equal(cache.get('a', 2), undefined, 'another version is a miss')
  t.equal(cache.size, 1, 'and an older entry is dropped')
  cache.set('a', answer(2, 500))
  t.ok(cache.get('b', 1), 'b is now the most recently used')
  cache.set('c', answer(2, 500))
  t.ok(cache.bytes <= 2000, `${cache.bytes} bytes`)
  t.equal(cache.size, 2, 'a third answer does not fit: one went out')
  t.equal(cache.get('a', 2), undefined, 'the least recently used one')
  t.ok(cache.get('b', 1))
  t.ok(cache.get('c', 2))
  cache.set('c', answer(1, 10))
  t.equal(cache.get('c', 2)?.body.length, 500, 'an older answer does not replace a newer one')
  cache.set('huge', answer(2, 5000))
  t.equal(cache.get('huge', 2), undefined, 'an answer bigger than the budget is not kept')
  t.ok(cache.get('c', 2), 'and evicts nothing')
  t.equal(cache.hits, 5)
  t.equal(cache.misses, 3)
})

function deferred() {
  let resolve!: (v: number) => void
  let reject!: (e: Error) => void
  const promise = new Promise<number>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))
/** Lets the event loop turn a few times, until `done` holds (or gives up: the assertion after it fails). */
async function turns(done: () => boolean) {
  for (let i = 0; i < 10 && !done(); i++) await turn()
}

t.test('SingleFlightVersion: a caller joins only a query that has not started when it comes', async (t) => {
  const queries: ReturnType<typeof deferred>[] = []
  const flight = new SingleFlightVersion(() => { const d = deferred(); queries.push(d); return d.promise })
  const a = flight.current()
  const b = flight.current()
  t.equal(queries.length, 0, 'the query starts on the next turn of the event loop')
  await turns(() => queries.length > 0)
  t.equal(queries.length, 1, 'a and b, one burst, share one query')
  const c = flight.current()
  const d = flight.current()
  t.equal(queries.length, 1, 'c and d came after it started: they do not join it')
  await turns(() => queries.length > 1)
  t.equal(queries.length, 2, 'their own query starts on the next turn, while the first is still out')
  queries[1].resolve(2)
  t.equal(await c, 2, 'each caller gets the answer of its own query, in whatever order they come back')
  t.equal(await d, 2)
  queries[0].resolve(1)
  t.equal(await a, 1)
  t.equal(await b, 1)
  const e = flight.current()
  await turns(() => queries.length > 2)
  queries[2].reject(new Error('database gone'))
  await t.rejects(e, /database gone/)
  const f = flight.current()
  await turns(() => queries.length > 3)
  t.equal(queries.length, 4, 'a failed query does not stick: f gets its own')
  queries[3].resolve(5)
  t.equal(await f, 5)
})

t.test('etagMatches: weak comparison, lists and *', async (t) => {
  const tag = 'W/"12-abc"'
  t.ok(etagMatches('W/"12-abc"', tag))
  t.ok(etagMatches('"12-abc"', tag))
  t.ok(etagMatches('"x", W/"12-abc"', tag))
  t.ok(etagMatches('*', tag))
  t.notOk(etagMatches('W/"13-abc"', tag))
  t.notOk(etagMatches('', tag))
  t.notOk(etagMatches(undefined, tag))
})
