/**
 * The data version: every table that cached reads depend on advances it with each writing statement, in the
 * writing transaction (a rolled-back write leaves it), on PGlite and PostgreSQL alike.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { createTestDatabase } from '../helpers/db.ts'
import { readDataVersion } from '../../src/db/data-version.ts'
import { DATA_VERSION_TABLES, dataVersionTrigger } from '../../src/db/data-version-sql.ts'
import { queryRows } from '../../src/db/rows.ts'
import { insertCertificate } from '../helpers/coverage-data.ts'

const database = await createTestDatabase({ seed: true })
t.teardown(() => database.drop())
const db = database.db

t.test('every listed table has the trigger, and the migration has no other', async (t) => {
  const rows = await queryRows<{ table: string; trigger: string }>(db, sql`
    select c.relname as table, tg.tgname as trigger from pg_trigger tg join pg_class c on c.oid = tg.tgrelid
    where not tg.tgisinternal and tg.tgname like '%data_version' order by 1`)
  t.same(rows.map((r) => r.table), [...DATA_VERSION_TABLES].sort())
  t.same(rows.map((r) => r.trigger), [...DATA_VERSION_TABLES].sort().map((name) => `${name}_data_version`))
})

t.test('a write advances the version; one rolled back does not', async (t) => {
  const v0 = await readDataVersion(db)
  await insertCertificate(db, { unitCode: '23221', notBefore: '2024-01-01', notAfter: '2029-01-01' })
  const v1 = await readDataVersion(db)
  t.ok(v1 > v0, `insert: ${v0} → ${v1}`)
  await db.execute(sql`update certificates set revoked_at = now()`)
  const v2 = await readDataVersion(db)
  t.ok(v2 > v1, 'update')
  await t.rejects(db.transaction(async (tx) => {
    await tx.execute(sql`delete from signing_activity`)
    await tx.execute(sql`update admin_units set name = name where code = '60'`)
    throw new Error('changed my mind')
  }), /changed my mind/)
  t.equal(await readDataVersion(db), v2, 'a rolled-back transaction leaves the version')
  await db.execute(sql`update api_tokens set name = name`)
  t.equal(await readDataVersion(db), v2, 'tables reads do not depend on leave it too')
  for (const table of DATA_VERSION_TABLES) {
    const before = await readDataVersion(db)
    await db.execute(sql.raw(`delete from "${table}" where false`))
    t.ok(await readDataVersion(db) > before, `${table}: any statement`)
  }
})

t.test('a new table gets its trigger from one line', async (t) => {
  await db.execute(sql`create table cache_probe (id int)`)
  await db.execute(sql.raw(dataVersionTrigger('cache_probe')))
  const before = await readDataVersion(db)
  await db.execute(sql`insert into cache_probe values (1), (2)`)
  t.equal(await readDataVersion(db), before + 1, 'once per statement, not per row')
  t.throws(() => dataVersionTrigger('x"; drop table y; --'))
})

t.test('one row only', async (t) => {
  await t.rejects(db.execute(sql`insert into data_version values (2, 0)`))
})
