/**
 * Concurrency: many parallel uploads of one certificate record it once; many parallel distinct uploads
 * record every one; two CSV imports at once (over the same units, in opposite orders) leave a
 * consistent table. On PGlite every statement is serialised anyway, so the counts are kept smaller there.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { testApp } from '../helpers/app.ts'
import { hierarchy, leaf, subject, tanHaDucLinh, trust } from '../helpers/pki.ts'
import { queryRows } from '../../src/db/rows.ts'

const onPostgres = Boolean(process.env.TEST_DATABASE_URL)
const DISTINCT = onPostgres ? 1000 : 200

t.test('parallel uploads', async (t) => {
  const { app, auth, database } = await testApp(t, { config: { rateLimitWritesPerMinute: 1_000_000 } })
  const h = hierarchy('Concurrent')
  await trust(app, auth.admin, h, { intermediate: true })
  const count = async (table: 'certificates' | 'audit_log', where = sql`true`) =>
    Number((await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`))[0].n)
  const upload = (pem: string, query = '') => app.inject({ method: 'POST', url: `/v1/certificates${query}`, headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: pem })

  t.test('50 parallel uploads of one certificate record it once', async (t) => {
    const one = leaf(h, tanHaDucLinh())
    const answers = await Promise.all(Array.from({ length: 50 }, () => upload(one.pem)))
    const created = answers.filter((r) => r.statusCode === 201)
    const duplicates = answers.filter((r) => r.statusCode === 409)
    t.equal(created.length, 1, 'exactly one 201')
    t.equal(duplicates.length, 49, '49 answers 409')
    const id = created[0]?.json().id
    t.ok(duplicates.every((r) => r.json().code === 'duplicate' && r.json().existingId === id), 'every 409 names the recorded id')
    t.equal(await count('certificates', sql`fingerprint_sha256 = ${one.cert.fingerprintSha256}`), 1, 'one row')
    t.equal(await count('audit_log', sql`action = 'certificate.create' and entity_id = ${id}`), 1, 'one audit entry')
    t.comment(`concurrency: 50 parallel uploads of one certificate → ${created.length}×201, ${duplicates.length}×409`)
  })

  t.test(`${DISTINCT} parallel distinct uploads record ${DISTINCT}`, async (t) => {
    const before = await count('certificates')
    const leaves = Array.from({ length: DISTINCT }, (_, i) => leaf(h, subject(['L', 'Huyện Đức Linh'], ['CN', `UBND xã Tân Hà ${i}`])))
    const started = performance.now()
    const answers = await Promise.all(leaves.map((l) => upload(l.pem, '?unitCode=23221')))
    const ms = performance.now() - started
    const statuses = new Map<number, number>()
    for (const r of answers) statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1)
    t.same([...statuses], [[201, DISTINCT]], `all ${DISTINCT} answer 201`)
    t.equal(await count('certificates') - before, DISTINCT, `${DISTINCT} rows`)
    t.equal(new Set(answers.map((r) => r.json().id)).size, DISTINCT, 'distinct ids')
    t.comment(`concurrency: ${DISTINCT} parallel distinct uploads → ${[...statuses].map(([s, n]) => `${n}×${s}`).join(', ')} in ${ms.toFixed(0)} ms (${onPostgres ? 'PostgreSQL' : 'PGlite'})`)
  })
})

t.test('two CSV imports at once over the same units, in opposite orders, leave a consistent table', async (t) => {
  const { app, auth, database } = await testApp(t, { config: { rateLimitWritesPerMinute: 1_000_000, bodyLimit: 8 * 1024 * 1024 } })
  const N = 3000
  const file = (label: string, reverse: boolean) => {
    const rows = Array.from({ length: N }, (_, i) => `${9_000_000 + i},Xã ${label} ${i},xa,commune,${i % 2 ? '600' : '593'}`)
    if (reverse) rows.reverse()
    return `code,name,type,level,parent_code\n${rows.join('\n')}\n`
  }
  const send = (csv: string) => app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, 'content-type': 'text/csv' }, payload: csv })
  for (let round = 0; round < 3; round++) {
    const [a, b] = await Promise.all([send(file(`A${round}`, false)), send(file(`B${round}`, true))])
    t.same([a.statusCode, b.statusCode], [200, 200], `round ${round}: both imports succeed (${a.body.slice(0, 120)} / ${b.body.slice(0, 120)})`)
    const [ra, rb] = [a.json(), b.json()]
    t.equal(ra.inserted + ra.updated, N)
    t.equal(rb.inserted + rb.updated, N)
    if (round === 0) t.equal(ra.inserted + rb.inserted, N, 'each unit inserted once, by one of them')
    const names = await queryRows<{ label: string; n: number }>(database.db, sql`
      select split_part(name, ' ', 2) as label, count(*)::int as n from admin_units where code::bigint >= 9000000 group by 1`)
    t.equal(names.length, 1, `round ${round}: every unit carries the names of one file (${JSON.stringify(names)})`)
    t.equal(Number(names[0]?.n), N)
    const wrong = await queryRows<{ n: number }>(database.db, sql`
      select count(*)::int as n from admin_units u where code::bigint >= 9000000
        and (u.district_code is distinct from u.parent_code or u.province_code is distinct from '60')`)
    t.equal(Number(wrong[0].n), 0, `round ${round}: the ancestors are consistent`)
  }
  const audits = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_log where action = 'units.import' and actor_name <> 'system'`)
  t.equal(Number(audits[0].n), 6, 'one audit entry per import')
})
