/**
 * The rules of src/units/rules.ts are written twice, in TypeScript and in SQL: both forms must give the same
 * answer on the same cases, generated around the edges (same day, one day apart, open ends, same instant).
 */
import t from 'tap'
import fc from 'fast-check'
import { sql } from 'drizzle-orm'
import { createTestDatabase } from '../helpers/db.ts'
import { queryRows } from '../../src/db/rows.ts'
import { inForceOn, inForceOnSql, isUnder, underSql, validAt, validAtSql } from '../../src/units/rules.ts'
import { certificateStatus } from '../../src/certificates/status.ts'

// Any database does; the migrated one without units is built for other files anyway.
const database = await createTestDatabase({ seed: false })
t.teardown(() => database.drop())

const dayArb = fc.integer({ min: 0, max: 9 }).map((d) => `2025-06-${String(20 + d).padStart(2, '0')}`)
const instantArb = fc.integer({ min: 0, max: 6 }).map((h) => new Date(Date.UTC(2025, 5, 30, h * 4)))
const codeArb = fc.constantFrom('60', '593', '22915', '68', '22918', null)

t.test('a unit in force on a day', async (t) => {
  const cases = fc.sample(fc.record({ validFrom: fc.option(dayArb), validTo: fc.option(dayArb), day: dayArb }), { numRuns: 200, seed: 7 })
  const values = JSON.stringify(cases.map((c, i) => ({ i, valid_from: c.validFrom, valid_to: c.validTo, day: c.day })))
  const rows = await queryRows<{ i: number; ok: boolean }>(database.db, sql`
    select u.i, ${inForceOnSql('u', sql`u.day`)} as ok
    from json_to_recordset(${values}::json) as u(i int, valid_from date, valid_to date, day date) order by u.i`)
  t.equal(rows.length, cases.length)
  const disagreements = rows.filter((r) => Boolean(r.ok) !== inForceOn(cases[r.i], cases[r.i].day))
  t.same(disagreements, [], 'TypeScript and SQL agree')
  t.ok(rows.some((r) => r.ok) && rows.some((r) => !r.ok), 'both answers occur')
})

t.test('a unit under a parent', async (t) => {
  const cases = fc.sample(fc.record({ code: codeArb.map((c) => c ?? '1'), parentCode: codeArb, districtCode: codeArb, provinceCode: codeArb, parent: codeArb.map((c) => c ?? '60') }), { numRuns: 200, seed: 8 })
  const values = JSON.stringify(cases.map((c, i) => ({ i, code: c.code, parent_code: c.parentCode, district_code: c.districtCode, province_code: c.provinceCode })))
  const disagreements: number[] = []
  for (const parent of ['60', '593', '68']) {
    const rows = await queryRows<{ i: number; ok: boolean | null }>(database.db, sql`
      select u.i, coalesce(${underSql('u', parent)}, false) as ok
      from json_to_recordset(${values}::json) as u(i int, code text, parent_code text, district_code text, province_code text) order by u.i`)
    for (const r of rows) if (Boolean(r.ok) !== isUnder(cases[r.i], parent)) disagreements.push(r.i)
  }
  t.same(disagreements, [], 'TypeScript and SQL agree')
})

t.test('a certificate valid at an instant', async (t) => {
  const cases = fc.sample(fc.record({ notBefore: instantArb, notAfter: instantArb, revokedAt: fc.option(instantArb), at: instantArb }), { numRuns: 300, seed: 9 })
  const values = JSON.stringify(cases.map((c, i) => ({ i, not_before: c.notBefore.toISOString(), not_after: c.notAfter.toISOString(), revoked_at: c.revokedAt?.toISOString() ?? null, at: c.at.toISOString() })))
  const rows = await queryRows<{ i: number; ok: boolean }>(database.db, sql`
    select c.i, ${validAtSql('c', sql`c.at`)} as ok
    from json_to_recordset(${values}::json) as c(i int, not_before timestamptz, not_after timestamptz, revoked_at timestamptz, at timestamptz) order by c.i`)
  const disagreements = rows.filter((r) => Boolean(r.ok) !== validAt(cases[r.i], cases[r.i].at))
  t.same(disagreements, [], 'TypeScript and SQL agree')
  const statusDisagreements = cases.filter((c) => validAt(c, c.at) !== (certificateStatus(c, c.at) === 'valid'))
  t.same(statusDisagreements, [], 'valid exactly when the status says valid')
  t.ok(rows.some((r) => r.ok) && rows.some((r) => !r.ok), 'both answers occur')
})
