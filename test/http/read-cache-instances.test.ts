/**
 * Instances of Kyso on one PostgreSQL, each with its own read cache (or none): a write acknowledged by one is
 * seen by the next read on another. PGlite serves one process, so this runs on PostgreSQL only.
 */
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../../src/config.ts'
import { openDatabase } from '../../src/db/open.ts'
import { createToken } from '../../src/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import { createTestDatabase } from '../helpers/db.ts'

if (!process.env.TEST_DATABASE_URL) {
  t.plan(0, 'needs PostgreSQL (TEST_DATABASE_URL)')
} else {
  const database = await createTestDatabase({ seed: true })
  const other = await openDatabase(database.options)
  const a = await buildApp({ db: database.db, config: testConfig(), ping: database.ping, listen: database.client.listen.bind(database.client) })
  const b = await buildApp({ db: other.db, config: testConfig(), ping: other.ping, listen: other.client.listen.bind(other.client) })
  // C keeps no cache; D learns new versions only from its lease renewals (every second), not from notifications.
  const third = await openDatabase(database.options)
  const fourth = await openDatabase(database.options)
  const c = await buildApp({ db: third.db, config: testConfig({ readCacheMaxBytes: 0 }), ping: third.ping })
  const d = await buildApp({ db: fourth.db, config: testConfig(), ping: fourth.ping })
  t.teardown(async () => {
    await a.close()
    await b.close()
    await c.close()
    await d.close()
    await other.close()
    await third.close()
    await fourth.close()
    await database.drop()
  })
  const { token } = await createToken(database.db, SYSTEM_ACTOR, { name: 'registrar', role: 'registrar' })
  const url = '/v1/savings?parent=60&from=2024-01&to=2024-12'

  t.test('a write through A is seen by the next read on B', async (t) => {
    const read = async () => (await b.inject({ url })).json().documentsSigned as number
    const first = await read()
    const hits = b.readCache!.hits
    t.equal(await read(), first)
    t.equal(b.readCache!.hits, hits + 1, 'B answers from its cache')
    for (const [i, month] of ['2024-03', '2024-04', '2024-05'].entries()) {
      const put = await a.inject({ method: 'PUT', url: `/v1/activity/23221/${month}`, headers: { authorization: `Bearer ${token}` }, payload: { documentsSigned: 10 } })
      t.equal(put.statusCode, 200, put.body)
      t.equal(await read(), first + 10 * (i + 1), `after write ${i + 1}`)
    }
  })

  t.test('a write through an instance without a cache waits for the others too', async (t) => {
    t.equal(c.readCache, null, 'C keeps no cache')
    const read = async () => (await d.inject({ url })).json().documentsSigned as number
    const first = await read()
    const hits = d.readCache!.hits
    t.equal(await read(), first)
    t.equal(d.readCache!.hits, hits + 1, 'D answers from its cache')
    for (const [i, month] of ['2024-06', '2024-07'].entries()) {
      const put = await c.inject({ method: 'PUT', url: `/v1/activity/23221/${month}`, headers: { authorization: `Bearer ${token}` }, payload: { documentsSigned: 7 } })
      t.equal(put.statusCode, 200, put.body)
      t.equal(await read(), first + 7 * (i + 1), `after write ${i + 1}: D has taken it in before C answered`)
    }
  })
}
