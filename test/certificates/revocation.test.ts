/**
 * Revocation dates lie between the certificate's notBefore and now, are read strictly, and an admin
 * (only an admin) may correct a revocation; the correction is audited with what it replaced.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { testApp } from '../helpers/app.ts'
import { day, hierarchy, leaf, tanHaDucLinh, trust } from '../helpers/pki.ts'
import { queryRows } from '../../src/db/rows.ts'

t.test('revocation dates and corrections', async (t) => {
  const { app, auth, database } = await testApp(t)
  const h = hierarchy('Revoke')
  await trust(app, auth.admin, h, { intermediate: true })
  const created = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: leaf(h, tanHaDucLinh(), { notBefore: day('2024-03-01') }).pem })
  t.equal(created.statusCode, 201)
  const id = created.json().id
  const url = `/v1/certificates/${id}/revocation`
  const revoke = (payload: unknown, headers = auth.registrar) => app.inject({ method: 'POST', url, headers, payload: payload as object })

  for (const bad of ['2999-01-01', '1', '2017-02-30', '0000-01-01', '2024-06-01T00:00:00', '2024-06-01T00:00:00+25:00', 'June 1, 2024', '2024-06-01 00:00:00Z']) {
    const res = await revoke({ revokedAt: bad })
    t.equal(res.statusCode, 400, `${bad} is not a date this server reads`)
    t.match(res.headers['content-type'], /problem\+json/)
  }
  const future = await revoke({ revokedAt: new Date(Date.now() + 86400_000).toISOString() })
  t.equal(future.statusCode, 422, 'tomorrow is refused')
  t.equal(future.json().problems[0].code, 'revocation_date')
  const before = await revoke({ revokedAt: '2023-12-31T23:59:59Z' })
  t.equal(before.statusCode, 422, 'before notBefore is refused')
  t.equal((await app.inject({ url: `/v1/certificates/${id}`, headers: auth.viewer })).json().revokedAt, null, 'nothing changed')

  const first = await revoke({ revokedAt: '2025-02-01T10:00:00+07:00', reason: 'keyCompromise' })
  t.equal(first.statusCode, 200, first.body)
  t.equal(first.json().revokedAt, '2025-02-01T03:00:00.000Z', 'the offset is honoured')
  const again = await revoke({ revokedAt: '2025-01-01', reason: 'superseded' })
  t.equal(again.statusCode, 409, 'a registrar cannot change a revocation')

  const corrected = await revoke({ revokedAt: '2025-01-15', reason: 'superseded' }, auth.admin)
  t.equal(corrected.statusCode, 200, corrected.body)
  t.match(corrected.json(), { revokedAt: '2025-01-14T17:00:00.000Z', revocationReason: 'superseded', status: 'revoked' })
  const rows = await queryRows<{ details: { previousRevokedAt: string; previousReason: string; revokedAt: string } }>(database.db,
    sql`select details from audit_log where action = 'certificate.revocation_corrected' and entity_id = ${id}`)
  t.equal(rows.length, 1, 'the correction is audited')
  t.match(rows[0].details, { previousRevokedAt: '2025-02-01T03:00:00.000Z', previousReason: 'keyCompromise', revokedAt: '2025-01-14T17:00:00.000Z' })
  const laterFuture = await revoke({ revokedAt: '2099-01-01' }, auth.admin)
  t.equal(laterFuture.statusCode, 422, 'a correction obeys the same bounds')
})
