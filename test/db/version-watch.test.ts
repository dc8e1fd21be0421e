/**
 * The data version as an instance knows it without a query per read (db/version-watch.ts): a write is answered
 * only once every instance holding a lease has taken its version in, and an instance whose lease lapses asks
 * the database again. On PGlite and PostgreSQL; notifications on PostgreSQL only (PGlite has one session).
 */
import crypto from 'node:crypto'
import t from 'tap'
import { sql } from 'drizzle-orm'
import { createTestDatabase } from '../helpers/db.ts'
import { openDatabase } from '../../src/db/open.ts'
import { readDataVersion } from '../../src/db/data-version.ts'
import { DataVersionWatch, waitUntilSeen, type LeaseTiming } from '../../src/db/version-watch.ts'
import { queryRows } from '../../src/db/rows.ts'

const database = await createTestDatabase({ seed: false })
t.teardown(() => database.drop())
const db = database.db
// FAST lapses within a second, for the tests of lapsing; STEADY renews as often but holds through any stall a
// loaded machine causes, so that what the other tests assert does not depend on how quickly the process runs.
const FAST: LeaseTiming = { renewEveryMs: 50, leaseMs: 600, marginMs: 200 }
const STEADY: LeaseTiming = { renewEveryMs: 50, leaseMs: 60_000, marginMs: 1000 }

const write = () => db.execute(sql`update admin_units set name = name where false`)
// Polls until done() holds; gives up after 3,000 polls (30 s or more) so that a failure is reported, not hung.
const until = async (done: () => boolean) => {
  for (let i = 0; i < 3000 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
}
const leases = async () => queryRows<{ id: string; seen: number | string; live: boolean }>(db, sql`select id, seen, lease_until > now() as live from cache_instances`)

t.test('before its first lease an instance asks the database; with it, answers from memory', async (t) => {
  const watch = new DataVersionWatch(db, { timing: STEADY })
  t.teardown(() => watch.stop())
  const first = watch.current()
  t.type(first, Promise, 'the first read asks')
  t.equal(await first, await readDataVersion(db))
  await until(() => watch.leased)
  t.ok(watch.leased, 'the lease is taken')
  t.equal(watch.knownNow(), await readDataVersion(db), 'then the version comes from memory')
  t.type(watch.current(), 'number', 'as a number, not a promise')
  const rows = await leases()
  t.same(rows.map((r) => r.id), [watch.id], 'one lease, this instance\'s')
  t.ok(rows[0].live)
})

t.test('a write waits for the other instances, then they answer with its version', async (t) => {
  const watch = new DataVersionWatch(db, { timing: STEADY })
  t.teardown(() => watch.stop())
  await watch.current()
  await until(() => watch.leased)
  for (let i = 0; i < 3; i++) {
    await write()
    // The writer is another instance (or the command line): it waits for this one.
    const version = await waitUntilSeen(db)
    t.equal(version, await readDataVersion(db))
    t.equal(watch.knownNow(), version, `write ${i + 1}: this instance has taken it in before the write is answered`)
  }
})

t.test('a write of this instance takes its version in at once', async (t) => {
  // No renewal after the first: what moves this instance is its own write.
  const watch = new DataVersionWatch(db, { timing: { ...STEADY, renewEveryMs: 60_000 } })
  t.teardown(() => watch.stop())
  await watch.current()
  await until(() => watch.leased)
  const before = watch.knownNow()
  await write()
  await watch.afterWrite()
  const after = await readDataVersion(db)
  t.ok(before !== null && before < after, 'the write advanced the version past the one held')
  t.equal(watch.knownNow(), after)
})

t.test('an instance that stops renewing is waited for only until its lease ends', async (t) => {
  const gone = crypto.randomUUID()
  await db.execute(sql`insert into cache_instances (id, seen, lease_until) values (${gone}, 0, now() + interval '300 milliseconds')`)
  await write()
  const version = await waitUntilSeen(db)
  const [row] = await queryRows<{ ended: boolean }>(db, sql`select lease_until <= now() as ended from cache_instances where id = ${gone}`)
  t.ok(row.ended, 'the write went on once the silent instance\'s lease had ended')
  t.equal(version, await readDataVersion(db))
})

t.test('PostgreSQL: an instance whose renewals fail stops answering from memory', { skip: !database.url && 'needs a second connection' }, async (t) => {
  const other = await openDatabase(database.options)
  t.teardown(() => other.close())
  const failing = new DataVersionWatch(other.db, { timing: FAST })
  t.teardown(() => failing.stop())
  await failing.current()
  await until(() => failing.leased)
  t.ok(failing.leased)
  await other.close()
  await until(() => !failing.leased)
  t.notOk(failing.leased, 'without renewals the lease lapses here')
  await t.rejects(Promise.resolve(failing.current()), 'and a read asks the database again (here: closed)')
})

t.test('stop() gives the lease up: no write waits for a stopped instance', async (t) => {
  const watch = new DataVersionWatch(db, { timing: FAST })
  await watch.current()
  await until(() => watch.leased)
  t.ok((await leases()).some((r) => r.id === watch.id))
  await watch.stop()
  t.notOk((await leases()).some((r) => r.id === watch.id), 'its row is gone')
  t.notOk(watch.leased)
})

t.test('PostgreSQL: notifications bring each commit to another instance, which records it', { skip: !database.url && 'notifications need PostgreSQL' }, async (t) => {
  const other = await openDatabase(database.options)
  t.teardown(() => other.close())
  // Renewals far apart: what moves this instance is the notification.
  const watch = new DataVersionWatch(other.db, { timing: { renewEveryMs: 60_000, leaseMs: 120_000, marginMs: 1000 }, listen: other.client.listen.bind(other.client) })
  t.teardown(() => watch.stop())
  await watch.current()
  await until(() => watch.leased)
  await write()
  const version = await readDataVersion(db)
  await until(() => watch.knownNow() === version)
  t.equal(watch.knownNow(), version, 'taken in from the notification')
  const started = Date.now()
  t.equal(await waitUntilSeen(db), version)
  const [row] = (await leases()).filter((r) => r.id === watch.id)
  t.equal(Number(row.seen), version, `and recorded (the write waited ${Date.now() - started} ms)`)
})
