import t from 'tap'
import { inScope } from '../../src/auth/scope.ts'
import type { Actor } from '../../src/auth/actor.ts'

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
