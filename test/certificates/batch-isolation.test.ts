/**
 * Batch items stand alone: a certificate whose name holds a NUL (which PostgreSQL cannot store), or a row
 * the database refuses for any reason, answers for itself while the good items of the batch are stored.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { testApp } from '../helpers/app.ts'
import { hierarchy, leaf, subject, tanHaDucLinh, trust } from '../helpers/pki.ts'
import { queryRows } from '../../src/db/rows.ts'

const count = async (db: Parameters<typeof queryRows>[0]) => Number((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from certificates`))[0].n)

t.test('a certificate with a NUL in its name is refused alone', async (t) => {
  const { app, auth, database } = await testApp(t)
  const h = hierarchy('Nul')
  await trust(app, auth.admin, h, { intermediate: true })
  const good = leaf(h, tanHaDucLinh())
  const bad = leaf(h, subject(['OU', 'UBND huyện Đức Linh'], ['CN', 'UBND xã Tân\u0000Hà']))
  const res = await app.inject({ method: 'POST', url: '/v1/certificates/batch', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: good.pem + bad.pem })
  t.equal(res.statusCode, 200, res.body)
  const [first, second] = res.json().results
  t.equal(first.status, 201, 'the good one is stored')
  t.equal(second.status, 422, 'the bad one answers for itself')
  t.equal(second.problems[0].code, 'malformed_name')
  t.equal(await count(database.db), 1)
  const single = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: bad.pem })
  t.equal(single.statusCode, 422, 'alone too: a 422, not a 500')
})

t.test('a row the database refuses inside the batch insert does not take the others down', async (t) => {
  const { app, auth, database } = await testApp(t)
  const h = hierarchy('Savepoint')
  await trust(app, auth.admin, h, { intermediate: true })
  const items = [leaf(h, tanHaDucLinh()), leaf(h, tanHaDucLinh()), leaf(h, tanHaDucLinh())]
  // A real refusal from the database for the second certificate only.
  await database.db.execute(sql.raw(`
    create function kyso_test_refuse() returns trigger language plpgsql as $$
    begin
      if new.serial_number = '${items[1].cert.serialNumber}' then raise exception 'refused by test trigger'; end if;
      return new;
    end $$`))
  await database.db.execute(sql.raw('create trigger kyso_test_refuse before insert on certificates for each row execute function kyso_test_refuse()'))
  const res = await app.inject({ method: 'POST', url: '/v1/certificates/batch', headers: auth.registrar, payload: { items: items.map((i) => ({ certificate: i.pem })) } })
  t.equal(res.statusCode, 200, res.body)
  t.same(res.json().results.map((r: { status: number }) => r.status), [201, 422, 201])
  t.equal(res.json().results[1].problems[0].code, 'unstorable')
  t.equal(await count(database.db), 2, 'the two good ones are stored')
  const audits = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_log where action = 'certificate.create'`)
  t.equal(Number(audits[0].n), 2, 'with their audit entries, and none for the refused one')
})
