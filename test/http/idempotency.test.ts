/**
 * Idempotency-Key: a retried write runs once and answers as the first time; a retry while the first still
 * runs (past the request deadline's 503) gets 409, then the first request's own answer once it ends.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { queryRows } from '../../src/db/rows.ts'

const json = { 'content-type': 'application/json' }

t.test('a retried write with the same key runs once and answers as the first time', async (t) => {
  const { app, auth, database } = await testApp(t)
  const create = (key: string, name = 'retried viewer') => app.inject({
    method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, ...json, 'idempotency-key': key }, payload: { name, role: 'viewer' },
  })
  const count = async (name: string) => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from api_tokens where name = ${name}`))[0].n

  const first = await create('key-1')
  t.equal(first.statusCode, 201, first.body)
  const again = await create('key-1')
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.same(again.json(), first.json(), 'the same id and the same secret, shown again to the caller who holds the key')
  t.equal(await count('retried viewer'), 1, 'one token')
  t.notOk(first.headers['idempotent-replayed'], 'the first answer is not a replay')

  const other = await create('key-1', 'another name')
  t.equal(other.statusCode, 422)
  t.equal(other.json().code, 'idempotency_key_reused')
  t.equal(await count('another name'), 0, 'a reused key on another request changes nothing')

  const refused = await app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, ...json, 'idempotency-key': 'key-2' }, payload: { name: 'x', role: 'registrar' } })
  t.equal(refused.statusCode, 400, 'a refusal is an answer too')
  const refusedAgain = await app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, ...json, 'idempotency-key': 'key-2' }, payload: { name: 'x', role: 'registrar' } })
  t.equal(refusedAgain.statusCode, 400)
  t.equal(refusedAgain.headers['idempotent-replayed'], 'true')

  const bad = await create('x'.repeat(256))
  t.equal(bad.statusCode, 400, 'a key longer than 255 characters is refused')
  t.match(bad.json().detail, /Idempotency-Key/)
  const stored = await queryRows<{ sealed_body: string }>(database.db, sql`select sealed_body from idempotency_keys where state = 'done'`)
  t.ok(stored.length >= 2)
  t.notOk(stored.some((r) => r.sealed_body.includes(first.json().token as string)), 'the secret is not stored in the clear')
})

t.test('the keys are per caller: another token with the same key runs its own write', async (t) => {
  const { app, auth, token } = await testApp(t)
  const admin2 = await token('admin')
  const post = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...headers, ...json, 'idempotency-key': 'shared-key' }, payload: { name: 'per caller', role: 'viewer' } })
  const a = await post(auth.admin)
  const b = await post(admin2)
  t.equal(a.statusCode, 201)
  t.equal(b.statusCode, 201)
  t.not(a.json().id, b.json().id)
  t.notOk(b.headers['idempotent-replayed'])
})

t.test('past the deadline: the 503, then 409 while the write still runs, then its own answer; one write', async (t) => {
  const { app, auth, database } = await testApp(t, { config: { requestDeadlineMs: 300 } })
  // Every token insert now takes 1.5 s: the deadline answers 503 while the write goes on and commits.
  await database.db.execute(sql.raw('create function kyso_test_slow() returns trigger language plpgsql as $$ begin perform pg_sleep(1.5); return new; end $$'))
  await database.db.execute(sql.raw('create trigger kyso_test_slow before insert on api_tokens for each row execute function kyso_test_slow()'))
  const count = async () => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from api_tokens where name = 'slow'`))[0].n
  const post = () => app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, ...json, 'idempotency-key': 'slow-key' }, payload: { name: 'slow', role: 'viewer' } })

  const first = await post()
  t.equal(first.statusCode, 503, 'the deadline answered')
  const retry = await post()
  if (database.url) {
    t.equal(retry.statusCode, 409, 'PostgreSQL: the retry sees the first write still running')
    t.equal(retry.json().code, 'idempotency_in_progress')
    t.equal(retry.headers['retry-after'], '1')
  } else t.ok([409, 503, 201].includes(retry.statusCode), `PGlite, one statement at a time: the retry waits for the slow write too (${retry.statusCode})`)
  let answer = retry
  // A client retries on 409 and 503 alike, after Retry-After (here a tenth of it, to keep the test short).
  for (let i = 0; i < 100 && [409, 503].includes(answer.statusCode); i++) {
    await sleep(Number(answer.headers['retry-after'] ?? 1) * 100)
    answer = await post()
  }
  t.equal(answer.statusCode, 201, 'the first write\'s own answer')
  t.equal(answer.headers['idempotent-replayed'], 'true')
  const [row] = await queryRows<{ id: string }>(database.db, sql`select id::text as id from api_tokens where name = 'slow'`)
  t.equal(answer.json().id, row.id, 'the token the first request created')
  t.equal(await count(), 1, 'one token, however often it was retried')
})
