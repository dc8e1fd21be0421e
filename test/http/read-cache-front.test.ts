/**
 * The read cache's front (http/read-cache-front.ts) over a real socket: a repeated anonymous read is answered
 * before Fastify with the same headers and body, a conditional one gets 304 there, and everything the route
 * must decide itself (a token, a problem, a write) goes through Fastify. A write answered is seen by the
 * next read answered at the front.
 */
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { testApp } from '../helpers/app.ts'

const COVERAGE = '/v1/coverage?asOf=2025-01-01&parent=60'
const SAVINGS = '/v1/savings?parent=60&from=2024-01&to=2024-12'

const ta = await testApp(t)
await ta.app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(ta.app.server.address() as AddressInfo).port}`
const front = ta.app.readCacheFront!

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { headers })
  const body = await res.text()
  const all = Object.fromEntries([...res.headers].filter(([name]) => name !== 'date'))
  return { status: res.status, body, headers: all }
}

/** Reads until the front answers (its lease is taken a moment after the first read); returns that answer. */
async function fromFront(path: string, headers: Record<string, string> = {}) {
  for (let i = 0; i < 100; i++) {
    const before = front.answered
    const answer = await get(path, headers)
    if (front.answered === before + 1) return answer
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`the front never answered ${path}`)
}

t.test('a repeated anonymous read: the same answer, from the front', async (t) => {
  const first = await get(COVERAGE)
  t.equal(first.status, 200)
  const kept = await fromFront(COVERAGE)
  t.equal(kept.body, first.body, 'the same body')
  t.same(kept.headers, first.headers, 'the same headers (security headers, type, ETag, Cache-Control, length)')
  t.ok(kept.headers['content-security-policy'])
  t.ok(kept.headers.etag)

  const answered = front.answered
  const notModified = await get(COVERAGE, { 'if-none-match': first.headers.etag })
  t.equal(notModified.status, 304)
  t.equal(notModified.body, '')
  t.equal(notModified.headers.etag, first.headers.etag)
  t.ok(notModified.headers['x-content-type-options'], 'a 304 has the security headers too')
  t.equal(front.answered, answered + 1, 'the 304 came from the front')
})

t.test('credentials always go through Fastify: a bad token is refused, a good one answered by the route', async (t) => {
  await get(COVERAGE)
  const answered = front.answered
  const bad = await get(COVERAGE, { authorization: 'Bearer not-a-real-token-at-all' })
  t.equal(bad.status, 401, 'not the kept answer')
  const good = await get(COVERAGE, ta.auth.viewer)
  t.equal(good.status, 200)
  t.equal(front.answered, answered, 'the front answered neither')
})

t.test('a problem answer is never kept for the front', async (t) => {
  const answered = front.answered
  for (let i = 0; i < 3; i++) t.equal((await get('/v1/units/99999')).status, 404)
  t.equal(front.answered, answered)
})

t.test('a write answered is seen by the next read at the front', async (t) => {
  const before = JSON.parse((await get(SAVINGS)).body) as { documentsSigned: number }
  await fromFront(SAVINGS)
  for (const [i, month] of ['2024-03', '2024-04'].entries()) {
    const put = await fetch(`${base}/v1/activity/23221/${month}`, {
      method: 'PUT', headers: { ...ta.auth.registrar, 'content-type': 'application/json' }, body: JSON.stringify({ documentsSigned: 10 }),
    })
    t.equal(put.status, 200, await put.text())
    const after = await get(SAVINGS)
    t.equal(after.status, 200)
    t.equal((JSON.parse(after.body) as { documentsSigned: number }).documentsSigned, before.documentsSigned + 10 * (i + 1), `after write ${i + 1}`)
    t.equal((JSON.parse((await fromFront(SAVINGS)).body) as { documentsSigned: number }).documentsSigned, before.documentsSigned + 10 * (i + 1), 'and at the front')
  }
})
