import t from 'tap'
import { sql } from 'drizzle-orm'
import { inScope, unitIdInScopeSql } from '../../src/auth/scope.ts'
import type { Actor } from '../../src/auth/actor.ts'
import { queryRows } from '../../src/db/rows.ts'
import { createTestDatabase } from '../helpers/db.ts'

const unit = { placeCodes: ['23221', '600', '60'] }
const actor = (role: Actor['role'], scope: string[] | null): Actor => ({ id: 'x', name: 'x', role, scope })

t.test('scope covers the listed units and everything under them', async (t) => {
  t.ok(inScope(actor('registrar', ['23221']), unit), 'the unit itself')
  t.ok(inScope(actor('registrar', ['600']), unit), 'its district')
  t.ok(inScope(actor('registrar', ['60']), unit), 'its province')
  t.notOk(inScope(actor('registrar', ['601']), unit), 'another district')
  t.notOk(inScope(actor('registrar', ['23257']), unit), 'another commune')
  t.ok(inScope(actor('registrar', null), unit), 'an unscoped registrar')
  t.ok(inScope(actor('admin', ['601']), unit), 'an admin is never limited')
  t.notOk(inScope(actor('viewer', null), unit), 'a viewer never writes')
})

t.test('the SQL of the scope rule answers as inScope does', async (t) => {
  const database = await createTestDatabase({ seed: true })
  t.teardown(() => database.drop())
  const [row] = await queryRows<{ id: number; place_codes: string[] }>(database.db,
    sql`select id, place_codes from admin_units where code = '23221' order by valid_from limit 1`)
  t.ok(row?.place_codes.includes('600'), `a commune of Hàm Tân: ${row?.place_codes.join(', ')}`)
  const actors = [
    actor('registrar', ['23221']), actor('registrar', ['600']), actor('registrar', ['601']), actor('registrar', []),
    actor('registrar', null), actor('admin', ['601']), actor('viewer', null),
  ]
  for (const a of actors) {
    const [{ ok }] = await queryRows<{ ok: boolean }>(database.db, sql`select ${unitIdInScopeSql(a, sql`${row.id}`)} as ok`)
    t.equal(ok, inScope(a, { placeCodes: row.place_codes }), `${a.role} ${JSON.stringify(a.scope)}`)
  }
})
