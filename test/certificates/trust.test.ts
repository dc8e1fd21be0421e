import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { hierarchy, leaf, register, stored, tanHaDucLinh, issueCertificate, generateKey, day } from '../helpers/pki.ts'

t.test('trust anchors and intermediates', async (t) => {
  const { app, auth, database } = await testApp(t)
  const h = hierarchy('Trust')

  t.test('a registrar or a viewer may not add a trust anchor', async (t) => {
    for (const who of [auth.registrar, auth.viewer]) {
      const res = await register(app, who, '/v1/trust-anchors', h.root.pem)
      t.equal(res.statusCode, 403)
      t.equal(res.json().code, 'forbidden')
    }
    t.equal((await stored(database.db)).cas, 0)
  })

  t.test('an intermediate before its anchor does not chain', async (t) => {
    const res = await register(app, auth.admin, '/v1/intermediates', h.ca.pem)
    t.equal(res.statusCode, 422)
    const body = res.json()
    t.ok(body.problems.length >= 1)
    t.ok(body.problems.every((p: { code: string }) => p.code === 'untrusted_issuer'), 'untrusted_issuer problems')
    t.match(body.detail, /does not chain/)
    t.equal((await stored(database.db)).cas, 0, 'nothing stored')
  })

  let anchorId = ''
  t.test('PEM anchor → 201', async (t) => {
    const res = await register(app, auth.admin, '/v1/trust-anchors', h.root.pem)
    t.equal(res.statusCode, 201, res.body)
    const body = res.json()
    t.match(body, { fingerprintSha256: h.root.cert.fingerprintSha256, subjectDn: h.root.cert.subjectDn, notBefore: '2010-01-01T00:00:00.000Z', notAfter: '2045-01-01T00:00:00.000Z', role: 'anchor' })
    anchorId = body.id
  })

  t.test('the same anchor again (as DER) → 409 duplicate with existingId', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/trust-anchors', headers: { ...auth.admin, 'content-type': 'application/pkix-cert' }, payload: h.root.der })
    t.equal(res.statusCode, 409)
    t.match(res.json(), { code: 'duplicate', existingId: anchorId })
  })

  t.test('a leaf is not a CA → 422 not_a_ca, nothing stored', async (t) => {
    const before = await stored(database.db)
    const l = leaf(h, tanHaDucLinh())
    for (const url of ['/v1/trust-anchors', '/v1/intermediates'] as const) {
      const res = await register(app, auth.admin, url, l.pem)
      t.equal(res.statusCode, 422)
      t.equal(res.json().code, 'not_a_ca')
      t.equal(res.json().problems[0].code, 'not_a_ca')
    }
    t.same(await stored(database.db), before)
  })

  t.test('garbage and private keys are refused', async (t) => {
    const garbage = await register(app, auth.admin, '/v1/trust-anchors', 'hello')
    t.equal(garbage.statusCode, 400)
    t.equal(garbage.json().code, 'malformed')
    const key = generateKey({ type: 'ec', curve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    const withKey = await register(app, auth.admin, '/v1/trust-anchors', h.root.pem + key)
    t.equal(withKey.statusCode, 422)
    t.equal(withKey.json().code, 'private_key_material')
    const two = await register(app, auth.admin, '/v1/trust-anchors', h.root.pem + h.ca.pem)
    t.equal(two.statusCode, 400, 'one certificate per request')
  })

  t.test('the intermediate now chains → 201', async (t) => {
    const res = await register(app, auth.admin, '/v1/intermediates', h.ca.pem)
    t.equal(res.statusCode, 201, res.body)
    t.equal(res.json().role, 'intermediate')
  })

  t.test('an intermediate of another hierarchy, or signed by an impostor of the root → 422 untrusted_issuer', async (t) => {
    const other = hierarchy('Other')
    const res = await register(app, auth.admin, '/v1/intermediates', other.ca.pem)
    t.equal(res.statusCode, 422)
    t.equal(res.json().problems[0].code, 'untrusted_issuer')
    const impostor = hierarchy('Trust')
    const res2 = await register(app, auth.admin, '/v1/intermediates', impostor.ca.pem)
    t.equal(res2.statusCode, 422)
    t.equal(res2.json().problems[0].code, 'untrusted_issuer')
    t.equal(res2.json().problems[0].reason, 'bad_signature', 'the detailed cause is kept')
  })

  t.test('an intermediate issued before its anchor was valid → 422 untrusted_issuer', async (t) => {
    const rootPair = generateKey()
    const root = issueCertificate({ subject: [['CN', 'Late root']], key: rootPair, notBefore: day('2020-01-01'), notAfter: day('2040-01-01'), basicConstraints: { cA: true }, keyUsage: ['keyCertSign', 'cRLSign'] })
    t.equal((await register(app, auth.admin, '/v1/trust-anchors', root.pem)).statusCode, 201)
    const early = issueCertificate({ subject: [['CN', 'Early CA']], key: generateKey().publicKey, issuer: { cert: root.cert, key: rootPair.privateKey }, notBefore: day('2015-01-01'), notAfter: day('2030-01-01'), basicConstraints: { cA: true }, keyUsage: ['keyCertSign'] })
    const res = await register(app, auth.admin, '/v1/intermediates', early.pem)
    t.equal(res.statusCode, 422)
    t.equal(res.json().problems[0].code, 'untrusted_issuer')
  })

  t.test('lists (viewer)', async (t) => {
    const anchors = await app.inject({ url: '/v1/trust-anchors', headers: auth.viewer })
    t.equal(anchors.statusCode, 200)
    t.same(anchors.json().items.map((i: { fingerprintSha256: string }) => i.fingerprintSha256).includes(h.root.cert.fingerprintSha256), true)
    const inter = await app.inject({ url: '/v1/intermediates', headers: auth.viewer })
    t.same(inter.json().items.map((i: { fingerprintSha256: string }) => i.fingerprintSha256), [h.ca.cert.fingerprintSha256])
    t.equal((await app.inject({ url: '/v1/intermediates' })).statusCode, 401)
  })

  t.test('every CA write is audited', async (t) => {
    const audit = await app.inject({ url: '/v1/audit', headers: auth.admin })
    const actions = audit.json().items.map((i: { action: string }) => i.action)
    t.ok(actions.includes('trust_anchor.create'))
    t.ok(actions.includes('intermediate.create'))
  })
})
