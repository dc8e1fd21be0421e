import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { realPem, register, stored } from '../helpers/pki.ts'

t.test('real Government CA certificates', async (t) => {
  const { app, auth, database } = await testApp(t)
  const post = (pem: string, query = '') =>
    app.inject({ method: 'POST', url: `/v1/certificates${query}`, headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: pem })

  t.test('G2: root as anchor, CA Nhà nước G2 as intermediate, the Cục Thuế leaf', async (t) => {
    t.equal((await register(app, auth.admin, '/v1/trust-anchors', realPem('vgca-g2-root'))).statusCode, 201)
    const inter = await register(app, auth.admin, '/v1/intermediates', realPem('vgca-g2-ca-nha-nuoc'))
    t.equal(inter.statusCode, 201, inter.body)
    const before = await stored(database.db)
    const bySubject = await post(realPem('org-cuc-thue'))
    t.equal(bySubject.statusCode, 422, 'a tax department is no commune of Bình Thuận')
    t.same(bySubject.json().problems.map((p: { code: string }) => p.code), ['unit_not_found'])
    t.same(await stored(database.db), before)

    const res = await post(realPem('org-cuc-thue'), '?unitCode=22915&kind=organization&device=token')
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json(), {
      fingerprintSha256: /^[0-9a-f]{64}$/, unitCode: '22915', kind: 'organization', matchedBy: 'explicit',
      keyAlgorithm: 'RSA', keySize: 3072, signatureAlgorithm: 'sha256WithRSAEncryption', warnings: [],
      subject: { C: 'VN', L: 'Hà Nội', O: 'BỘ TÀI CHÍNH', CN: 'CỤC THUẾ' }, issuerDn: /CA phục vụ các cơ quan Nhà nước G2/,
    })
    t.ok(['valid', 'expired'].includes(res.json().status))
    const expired = await post(realPem('org-tong-cuc-thue'), '?unitCode=22918')
    t.equal(expired.statusCode, 201, expired.body)
    t.equal(expired.json().status, 'expired', 'expired on 2026-11-16 but properly issued: history')
  })

  t.test('G1: SHA-1 hierarchy, accepted with a warning; chain sent with the leaf', async (t) => {
    t.equal((await register(app, auth.admin, '/v1/trust-anchors', realPem('vgca-g1-root'))).statusCode, 201)
    const untrusted = await post(realPem('org-vgca-license-key-generator'), '?unitCode=22921')
    t.equal(untrusted.statusCode, 422, 'the sub-CA is neither registered nor sent')
    t.same(untrusted.json().problems.map((p: { code: string }) => p.code), ['untrusted_issuer'])
    const res = await post(realPem('org-vgca-license-key-generator') + realPem('vgca-g1-cp'), '?unitCode=22921')
    t.equal(res.statusCode, 201, res.body)
    t.equal(res.json().signatureAlgorithm, 'sha1WithRSAEncryption')
    t.ok(res.json().warnings.some((w: { code: string }) => w.code === 'weak_signature_algorithm'), 'SHA-1 warning')
    t.equal((await register(app, auth.admin, '/v1/intermediates', realPem('vgca-g1-btc'))).statusCode, 201)
    const btc = await post(realPem('org-chi-cuc-thue-hong-bang-an-duong'), '?unitCode=22924')
    t.equal(btc.statusCode, 201, btc.body)
    t.equal(btc.json().signatureAlgorithm, 'sha256WithRSAEncryption')
  })

  t.test('a G2 leaf does not chain to the G1 root alone', async (t) => {
    const res = await post(realPem('org-chi-cuc-thue-tp-thu-duc') + realPem('vgca-g1-cp'), '?unitCode=22927')
    t.equal(res.statusCode, 201, 'it chains to the registered G2 intermediate instead')
    const mic = await register(app, auth.admin, '/v1/intermediates', realPem('nonvgca-vnpt-ca'))
    t.equal(mic.statusCode, 422, 'the MIC-era public CAs are not trusted here')
  })
})
