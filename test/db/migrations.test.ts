import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { count, eq, sql } from 'drizzle-orm'
import { createTestDatabase, EMBEDDED_ONLY } from '../helpers/db.ts'
import { openDatabase } from '../../src/db/open.ts'
import { prepareDatabase, MIGRATIONS_FOLDER } from '../../src/db/migrate.ts'
import { queryRows } from '../../src/db/rows.ts'
import { seedIfEmpty } from '../../src/units/seed.ts'
import { adminUnits, auditLog } from '../../src/db/schema.ts'

const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }

t.test('every committed migration is applied, once, on this database', async (t) => {
  const database = await createTestDatabase()
  t.teardown(() => database.drop())
  const applied = await queryRows<{ n: number }>(database.db, sqlCount())
  t.equal(Number(applied[0].n), journal.entries.length)
  const tables = await queryRows<{ table_name: string }>(database.db, sqlTables())
  t.same(tables.map((r) => r.table_name).sort(), [
    'admin_units', 'api_tokens', 'audit_log', 'ca_certificates', 'cache_instances', 'certificates', 'crl_entries', 'crls', 'data_version', 'idempotency_keys',
    'notify_deliveries', 'notify_jobs', 'notify_subscriptions', 'notify_unit_state', 'signing_activity', 'unit_lineage', 'verified_documents',
  ])
  await prepareDatabase(database, database.options)
  const again = await queryRows<{ n: number }>(database.db, sqlCount())
  t.equal(Number(again[0].n), journal.entries.length, 'a second start applies nothing')
})

t.test('an embedded data folder keeps its data across restarts and admits one process', { skip: EMBEDDED_ONLY }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-pglite-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const options = { databaseUrl: null, dataDir: dir }
  const first = await openDatabase(options)
  await prepareDatabase(first, options, async (db) => { await seedIfEmpty(db) })
  await t.rejects(openDatabase(options), { name: 'DataDirInUseError', message: /in use by another Kyso process/ }, 'a second open of the same folder is refused')
  await first.db.update(adminUnits).set({ name: 'Xã Tân Hà (đổi tên)' }).where(eq(adminUnits.code, '23221'))
  await first.close()

  const second = await openDatabase(options)
  t.teardown(() => second.close())
  await prepareDatabase(second, options, async (db) => { t.equal(await seedIfEmpty(db), null, 'the seed is not loaded twice') })
  const [{ n }] = await second.db.select({ n: count() }).from(adminUnits).where(eq(adminUnits.level, 'commune'))
  t.equal(Number(n), 127)
  const [unit] = await second.db.select().from(adminUnits).where(eq(adminUnits.code, '23221'))
  t.equal(unit.name, 'Xã Tân Hà (đổi tên)', 'a change made before the restart is still there')
})

t.test('two instances starting at once on one empty PostgreSQL migrate and seed it once', { skip: process.env.TEST_DATABASE_URL ? false : 'needs TEST_DATABASE_URL (real PostgreSQL)' }, async (t) => {
  const empty = await createTestDatabase({ migrate: false })
  t.teardown(() => empty.drop())
  const a = await openDatabase(empty.options)
  const b = await openDatabase(empty.options)
  t.teardown(async () => { await a.close(); await b.close() })
  await Promise.all([a, b].map((d) => prepareDatabase(d, empty.options, async (db) => { await seedIfEmpty(db) })))
  const applied = await queryRows<{ n: number }>(a.db, sqlCount())
  t.equal(Number(applied[0].n), journal.entries.length)
  const [{ n }] = await a.db.select({ n: count() }).from(adminUnits)
  t.equal(Number(n), 138)
  const [{ imports }] = await a.db.select({ imports: count() }).from(auditLog).where(eq(auditLog.action, 'units.import'))
  t.equal(Number(imports), 1, 'seeded by exactly one of them')
})

function sqlCount() {
  return sql`select count(*)::int as n from drizzle.__drizzle_migrations`
}
function sqlTables() {
  return sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`
}
