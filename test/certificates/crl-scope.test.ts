/**
 * Scope holds for CRL imports: a registrar's import revokes only certificates of its units and reports
 * the others; token scopes are never empty by accident. And a CRL whose issuer name is encoded
 * differently from its CA's subject (same DN) still revokes what that CA issued.
 */
import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { day, hierarchy, issueCrl, leaf, subject, tanHaDucLinh, trust } from '../helpers/pki.ts'
import { encodeName } from '../../src/pki/issue.ts'

t.test('a CRL import revokes only in the caller\'s scope and reports the others', async (t) => {
  const { app, auth, token } = await testApp(t)
  const h = hierarchy('Scope')
  await trust(app, auth.admin, h, { intermediate: true })
  const post = async (pem: string) => {
    const res = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: pem })
    t.equal(res.statusCode, 201, res.body)
    return res.json()
  }
  const hamTan = leaf(h, subject(['OU', 'UBND huyện Hàm Tân'], ['CN', 'UBND xã Tân Hà']))
  const ducLinh = leaf(h, tanHaDucLinh())
  const inside = await post(hamTan.pem)
  const outside = await post(ducLinh.pem)
  t.equal(inside.unitCode.length > 0 && outside.unitCode !== inside.unitCode, true)
  const crl = issueCrl({
    issuer: h.ca.cert, key: h.ca.key, thisUpdate: day('2025-07-01'),
    revoked: [{ serial: hamTan.cert.serialNumber, date: day('2025-06-01') }, { serial: ducLinh.cert.serialNumber, date: day('2025-06-02') }],
  })
  const hamTanRegistrar = await token('registrar', ['601'])
  const res = await app.inject({ method: 'POST', url: '/v1/crls', headers: { ...hamTanRegistrar, 'content-type': 'application/x-pem-file' }, payload: crl.pem })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { entries: 2, matched: 2, revoked: 1, outOfScope: 1 })
  t.same(res.json().outOfScopeCertificates, [{ id: outside.id, unitCode: '23221', serialNumber: ducLinh.cert.serialNumber }])
  const status = async (id: string) => (await app.inject({ url: `/v1/certificates/${id}`, headers: auth.viewer })).json().status
  t.equal(await status(inside.id), 'revoked', 'the certificate in scope is revoked')
  t.equal(await status(outside.id), 'valid', 'the one of another district is not')

  const byAdmin = await app.inject({ method: 'POST', url: '/v1/crls', headers: { ...auth.admin, 'content-type': 'application/x-pem-file' }, payload: crl.pem })
  t.match(byAdmin.json(), { revoked: 1, outOfScope: 0 }, 'an admin\'s import of the same list revokes the rest')
  t.equal(await status(outside.id), 'revoked')
})

t.test('a CRL whose issuer name is encoded differently still matches its CA\'s certificates', async (t) => {
  const { app, auth } = await testApp(t)
  const h = hierarchy('Encoding')
  await trust(app, auth.admin, h, { intermediate: true })
  const l = leaf(h, tanHaDucLinh())
  const created = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: l.pem })
  t.equal(created.statusCode, 201)
  const otherDer = encodeName([['C', 'VN', 'utf8'], ['O', 'Ban Cơ yếu Chính phủ Encoding', 'utf8'], ['CN', 'CA phục vụ các cơ quan Nhà nước Encoding', 'utf8']])
  t.notOk(otherDer.equals(h.ca.cert.subjectDer), 'the names differ in their bytes')
  const crl = issueCrl({ issuer: { ...h.ca.cert, subjectDer: otherDer }, key: h.ca.key, thisUpdate: day('2025-07-01'), revoked: [{ serial: l.cert.serialNumber, date: day('2025-06-01') }] })
  t.equal(crl.crl.issuerDn, h.ca.cert.subjectDn, 'but read the same')
  const res = await app.inject({ method: 'POST', url: '/v1/crls', headers: { ...auth.admin, 'content-type': 'application/x-pem-file' }, payload: crl.pem })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { matched: 1, revoked: 1 })
})

t.test('token scopes: an empty list is refused, a registrar without scope is asked for explicitly', async (t) => {
  const { app, auth } = await testApp(t)
  const create = (body: object) => app.inject({ method: 'POST', url: '/v1/tokens', headers: auth.admin, payload: body })
  const empty = await create({ name: 'empty', role: 'registrar', scope: [] })
  t.equal(empty.statusCode, 400, 'scope [] is refused')
  const implicit = await create({ name: 'implicit', role: 'registrar' })
  t.equal(implicit.statusCode, 400, 'a registrar without scope must say so')
  t.match(implicit.json().detail, /"scope": null/)
  const everywhere = await create({ name: 'everywhere', role: 'registrar', scope: null })
  t.equal(everywhere.statusCode, 201, everywhere.body)
  const limited = await create({ name: 'limited', role: 'registrar', scope: ['60'] })
  t.equal(limited.statusCode, 201)
  t.equal((await create({ name: 'viewer', role: 'viewer' })).statusCode, 201, 'other roles need no scope')
  const list = (await app.inject({ url: '/v1/tokens', headers: auth.admin })).json().items as { name: string; scope: string[] | null }[]
  t.same(list.find((i) => i.name === 'everywhere')?.scope, null)
  t.same(list.find((i) => i.name === 'limited')?.scope, ['60'])
})
