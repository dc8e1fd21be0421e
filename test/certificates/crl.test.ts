import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { day, hierarchy, issueCrl, leaf, stored, tanHaDucLinh, trust } from '../helpers/pki.ts'

t.test('CRL import', async (t) => {
  const { app, auth, database } = await testApp(t)
  const h = hierarchy('Crl')
  await trust(app, auth.admin, h, { intermediate: true })
  const post = (url: string, payload: string | Buffer, type = 'application/x-pem-file', who = auth.registrar) =>
    app.inject({ method: 'POST', url, headers: { ...who, 'content-type': type }, payload })

  const kept = leaf(h, tanHaDucLinh())
  const lost = leaf(h, tanHaDucLinh())
  const later = leaf(h, tanHaDucLinh())
  const keptRes = await post('/v1/certificates', kept.pem)
  const lostRes = await post('/v1/certificates', lost.pem)
  t.equal(keptRes.statusCode, 201)
  t.equal(lostRes.statusCode, 201)

  const crl = issueCrl({
    issuer: h.ca.cert, key: h.ca.key, thisUpdate: day('2025-07-01'), nextUpdate: day('2025-07-08'),
    revoked: [
      { serial: lost.cert.serialNumber, date: day('2025-06-15'), reason: 'keyCompromise' },
      { serial: later.cert.serialNumber, date: day('2025-06-20') },
      { serial: 'abcdef', date: day('2025-01-01') },
    ],
  })

  t.test('a CRL with a broken signature → 422 bad_signature, nothing stored', async (t) => {
    const broken = Buffer.from(crl.der)
    broken[broken.length - 3] ^= 0xff
    const before = await stored(database.db)
    const res = await post('/v1/crls', broken, 'application/pkix-crl')
    t.equal(res.statusCode, 422, res.body)
    t.equal(res.json().code, 'bad_signature')
    t.same(await stored(database.db), before)
    const check = await app.inject({ url: `/v1/certificates/${lostRes.json().id}`, headers: auth.viewer })
    t.equal(check.json().status, 'valid', 'not revoked by a list that does not verify')
  })

  t.test('a CRL signed by an impostor of the CA → bad_signature; by an unknown CA → untrusted_issuer', async (t) => {
    const impostor = hierarchy('Crl')
    const fake = issueCrl({ issuer: impostor.ca.cert, key: impostor.ca.key, thisUpdate: day('2025-07-01'), revoked: [{ serial: kept.cert.serialNumber, date: day('2025-01-01') }] })
    const res = await post('/v1/crls', fake.pem)
    t.equal(res.statusCode, 422)
    t.equal(res.json().code, 'bad_signature')
    const stranger = hierarchy('Stranger')
    const other = issueCrl({ issuer: stranger.ca.cert, key: stranger.ca.key, thisUpdate: day('2025-07-01'), revoked: [] })
    const res2 = await post('/v1/crls', other.pem)
    t.equal(res2.statusCode, 422)
    t.equal(res2.json().code, 'untrusted_issuer')
    const notCrl = await post('/v1/crls', kept.pem)
    t.equal(notCrl.statusCode, 400)
    t.equal(notCrl.json().code, 'malformed')
    t.equal((await post('/v1/crls', crl.pem, 'application/x-pem-file', auth.viewer)).statusCode, 403)
  })

  t.test('a good CRL revokes the recorded certificate from its revocation date', async (t) => {
    const res = await post('/v1/crls', crl.der, 'application/pkix-crl')
    t.equal(res.statusCode, 200, res.body)
    t.match(res.json(), { issuerDn: h.ca.cert.subjectDn, thisUpdate: '2025-07-01T00:00:00.000Z', nextUpdate: '2025-07-08T00:00:00.000Z', entries: 3, matched: 1, revoked: 1 })
    const lostNow = await app.inject({ url: `/v1/certificates/${lostRes.json().id}`, headers: auth.viewer })
    t.match(lostNow.json(), { status: 'revoked', revokedAt: '2025-06-15T00:00:00.000Z', revocationReason: 'keyCompromise' })
    const keptNow = await app.inject({ url: `/v1/certificates/${keptRes.json().id}`, headers: auth.viewer })
    t.equal(keptNow.json().status, 'valid')
    const again = await post('/v1/crls', crl.pem)
    t.equal(again.statusCode, 200, 'importing the same list again is harmless')
    t.match(again.json(), { matched: 1, revoked: 0 })
  })

  t.test('a certificate already on an imported CRL is refused as revoked', async (t) => {
    const before = await stored(database.db)
    const res = await post('/v1/certificates', later.pem)
    t.equal(res.statusCode, 422)
    t.same(res.json().problems.map((p: { code: string }) => p.code), ['revoked'])
    t.same(await stored(database.db), before, 'nothing stored')
  })

  t.test('a revoked intermediate makes its certificates refused', async (t) => {
    const rootCrl = issueCrl({ issuer: h.root.cert, key: h.root.key, thisUpdate: day('2025-08-01'), revoked: [{ serial: h.ca.cert.serialNumber, date: day('2025-07-30'), reason: 'cACompromise' }] })
    const res = await post('/v1/crls', rootCrl.pem)
    t.equal(res.statusCode, 200, res.body)
    t.equal(res.json().matched, 0)
    const next = await post('/v1/certificates', leaf(h, tanHaDucLinh()).pem)
    t.equal(next.statusCode, 422)
    t.same(next.json().problems.map((p: { code: string }) => p.code), ['revoked'])
    t.match(next.json().problems[0].message, /CA certificate/)
  })
})
