/**
 * Two instances of Kyso on one PostgreSQL, each with its own read cache: a write acknowledged by one is seen
 * by the next read on the other. PGlite serves one process, so this runs on PostgreSQL only.
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
  t.teardown(async () => {
    await a.close()
    await b.close()
    await other.close()
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
}
