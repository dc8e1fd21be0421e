/**
 * A fault injected between the statements of a write leaves nothing behind. A trigger on audit_log makes
 * the audit insert (the last statement of every write) raise; each write then fails with 500 and the
 * database must hold exactly what it held before: not the units, not the certificate, not the CRL
 * entries. With the trigger dropped, the very same requests succeed, which proves they were valid and
 * that the test could fail.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { testApp } from '../helpers/app.ts'
import { day, hierarchy, issueCrl, leaf, tanHaDucLinh, trust } from '../helpers/pki.ts'
import { generateKey, issueCertificate } from '../../src/pki/issue.ts'
import { snapshot } from '../helpers/hardening.ts'

t.test('a failing audit insert rolls back every kind of write', async (t) => {
  const { app, auth, database } = await testApp(t)
  const db = database.db
  const h = hierarchy('Fault')
  await trust(app, auth.admin, h, { intermediate: true })

  // A certificate recorded before the fault, to revoke; a token to delete.
  const first = leaf(h, tanHaDucLinh())
  const recorded = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: first.pem })
  t.equal(recorded.statusCode, 201, recorded.body)
  const victimToken = await app.inject({ method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, 'content-type': 'application/json' }, payload: { name: 'to delete', role: 'viewer' } })
  t.equal(victimToken.statusCode, 201)

  const secondCa = issueCertificate({
    subject: [['C', 'VN'], ['O', 'Ban Cơ yếu Chính phủ Fault'], ['CN', 'A second issuing CA']], key: generateKey({ type: 'ec', curve: 'P-256' }).publicKey,
    issuer: { cert: h.root.cert, key: h.root.key }, notBefore: day('2012-01-01'), notAfter: day('2040-01-01'),
    basicConstraints: { cA: true, pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'],
  })
  const anotherRoot = issueCertificate({
    subject: [['C', 'VN'], ['CN', 'Another root']], key: generateKey({ type: 'ec', curve: 'P-256' }),
    notBefore: day('2015-01-01'), notAfter: day('2040-01-01'), basicConstraints: { cA: true }, keyUsage: ['keyCertSign', 'cRLSign'],
  })
  const second = leaf(h, tanHaDucLinh())
  const batchA = leaf(h, tanHaDucLinh())
  const batchB = leaf(h, tanHaDucLinh())
  const crl = issueCrl({ issuer: h.ca.cert, key: h.ca.key, thisUpdate: day('2025-07-01'), revoked: [{ serial: first.cert.serialNumber, date: day('2025-06-01') }, { serial: 'abc123', date: day('2025-01-01') }] })
  const unitsCsv = 'code,name,type,level,parent_code\n593,Thành phố Phan Thiết (đổi tên),thanh_pho,district,60\n23999,Xã Mới,xa,commune,593\n'

  const writes: { name: string; method: 'POST' | 'PUT' | 'DELETE'; url: string; headers: Record<string, string>; payload?: string | Buffer | object; ok: number }[] = [
    { name: 'units import', method: 'POST', url: '/v1/units/import', headers: { ...auth.admin, 'content-type': 'text/csv' }, payload: unitsCsv, ok: 200 },
    { name: 'certificate registration', method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: second.pem, ok: 201 },
    { name: 'certificate batch', method: 'POST', url: '/v1/certificates/batch', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: batchA.pem + batchB.pem, ok: 200 },
    { name: 'revocation', method: 'POST', url: `/v1/certificates/${recorded.json().id}/revocation`, headers: { ...auth.registrar, 'content-type': 'application/json' }, payload: { reason: 'superseded' }, ok: 200 },
    { name: 'CRL import', method: 'POST', url: '/v1/crls', headers: { ...auth.registrar, 'content-type': 'application/pkix-crl' }, payload: crl.der, ok: 200 },
    { name: 'trust anchor', method: 'POST', url: '/v1/trust-anchors', headers: { ...auth.admin, 'content-type': 'application/x-pem-file' }, payload: anotherRoot.pem, ok: 201 },
    { name: 'intermediate', method: 'POST', url: '/v1/intermediates', headers: { ...auth.admin, 'content-type': 'application/x-pem-file' }, payload: secondCa.pem, ok: 201 },
    { name: 'activity import', method: 'POST', url: '/v1/activity/import', headers: { ...auth.registrar, 'content-type': 'text/csv' }, payload: 'unit_code,month,documents_signed\n23221,2025-01,40\n23221,2025-02,41\n', ok: 200 },
    { name: 'activity put', method: 'PUT', url: '/v1/activity/23221/2025-03', headers: { ...auth.registrar, 'content-type': 'application/json' }, payload: { documentsSigned: 7 }, ok: 200 },
    { name: 'token create', method: 'POST', url: '/v1/tokens', headers: { ...auth.admin, 'content-type': 'application/json' }, payload: { name: 'new', role: 'registrar', scope: ['593'] }, ok: 201 },
    { name: 'token delete', method: 'DELETE', url: `/v1/tokens/${victimToken.json().id}`, headers: auth.admin, ok: 204 },
  ]

  await db.execute(sql.raw(`
    create function kyso_test_fail_audit() returns trigger language plpgsql as $$
    begin raise exception 'injected fault: audit_log refuses inserts'; end $$`))
  await db.execute(sql.raw('create trigger kyso_test_fail_audit before insert on audit_log for each row execute function kyso_test_fail_audit()'))

  const before = await snapshot(db)
  t.test('with the fault: 500 (a batch: each item refused on its own) and nothing stored', async (t) => {
    for (const w of writes) {
      const res = await app.inject({ method: w.method, url: w.url, headers: w.headers, payload: w.payload as string })
      if (w.name === 'certificate batch') {
        t.equal(res.statusCode, 200, `${w.name}: items stand alone (${res.body.slice(0, 200)})`)
        t.same(res.json().results.map((r: { status: number }) => r.status), [422, 422], `${w.name}: each item refused`)
      } else {
        t.equal(res.statusCode, 500, `${w.name}: 500 when the audit insert fails (${res.body.slice(0, 200)})`)
        t.equal(res.json().code, 'internal', `${w.name}: problem+json code internal`)
      }
      t.notMatch(res.body, /injected fault|audit_log|insert/i, `${w.name}: the database's message is not sent`)
      t.same(await snapshot(db), before, `${w.name}: the database holds exactly what it held before`)
    }
  })

  t.test('without the fault: the same requests succeed', async (t) => {
    await db.execute(sql.raw('drop trigger kyso_test_fail_audit on audit_log'))
    for (const w of writes) {
      const res = await app.inject({ method: w.method, url: w.url, headers: w.headers, payload: w.payload as string })
      t.equal(res.statusCode, w.ok, `${w.name}: ${w.ok} (${res.body.slice(0, 200)})`)
    }
    const after = await snapshot(db)
    t.not(after.audit_log.rows, before.audit_log.rows, 'the audit log grew')
    t.not(after.admin_units.md5, before.admin_units.md5, 'the units changed')
    t.equal(after.certificates.rows, before.certificates.rows + 3, 'the three certificates are recorded')
    t.ok(after.crl_entries.rows > before.crl_entries.rows, 'the CRL entries are stored')
  })
})
