import crypto from 'node:crypto'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t, { type Test } from 'tap'
import { sql } from 'drizzle-orm'
import { testApp } from '../helpers/app.ts'
import { queryRows } from '../../src/db/rows.ts'
import { day, generateKey, hierarchy, leaf, stored, tanHaDucLinh, trust, withChain, issueCrl } from '../helpers/pki.ts'

const PEM = { 'content-type': 'application/x-pem-file' }
const DER = { 'content-type': 'application/pkix-cert' }
const JSONH = { 'content-type': 'application/json' }

t.test('registering certificates', async (t) => {
  const { app, auth, database, token } = await testApp(t)
  const h = hierarchy('Reg')
  await trust(app, auth.admin, h)
  const post = (payload: string | Buffer, headers: Record<string, string> = PEM, query = '', who = auth.registrar) =>
    app.inject({ method: 'POST', url: `/v1/certificates${query}`, headers: { ...who, ...headers }, payload })
  /** Asserts a refusal: status, code, problem codes, and that nothing was stored. */
  const refused = async (t: Test, res: Awaited<ReturnType<typeof post>>, status: number, code: string, problems?: string[]) => {
    const before = await stored(database.db)
    t.equal(res.statusCode, status, `status ${status}: ${res.body.slice(0, 300)}`)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    const body = res.json()
    t.equal(body.code, code)
    t.ok(typeof body.detail === 'string' && body.detail.length > 20, 'the detail says what happened')
    if (problems) t.same([...new Set(body.problems.map((p: { code: string }) => p.code))].sort(), [...problems].sort(), `problems ${problems.join(',')}`)
    t.same(await stored(database.db), before, 'nothing stored')
    return body
  }

  t.test('PEM with its chain → 201 with the contract record', async (t) => {
    const l = leaf(h, tanHaDucLinh())
    const res = await post(withChain(l, h), PEM, '?device=token')
    t.equal(res.statusCode, 201, res.body)
    const body = res.json()
    t.match(body, {
      id: String, fingerprintSha256: l.cert.fingerprintSha256, serialNumber: l.cert.serialNumber,
      subject: { C: 'VN', ST: 'Bình Thuận', L: 'Huyện Đức Linh', O: 'UBND tỉnh Bình Thuận', CN: 'Ủy ban nhân dân xã Tân Hà' },
      subjectDn: 'CN=Ủy ban nhân dân xã Tân Hà,O=UBND tỉnh Bình Thuận,L=Huyện Đức Linh,ST=Bình Thuận,C=VN',
      issuerDn: h.ca.cert.subjectDn, device: 'token', notBefore: '2024-03-01T00:00:00.000Z', unitCode: '23221',
      kind: 'organization', status: 'valid', keyAlgorithm: 'RSA', keySize: 2048, signatureAlgorithm: 'sha256WithRSAEncryption',
      matchedBy: 'subject', warnings: [],
    })
    t.match(body.fingerprintSha256, /^[0-9a-f]{64}$/)
    const [row] = await queryRows<{ issuer_key: string }>(database.db, sql`select issuer_key from certificates where id = ${body.id}`)
    t.equal(row.issuer_key, crypto.createHash('sha256').update(l.cert.issuerDer).digest('hex'), 'issuer_key is the SHA-256 of the issuer Name DER')
    const audit = await queryRows<{ action: string; entity_id: string }>(database.db, sql`select action, entity_id from audit_log where action = 'certificate.create'`)
    t.same(audit.map((a) => a.entity_id), [body.id], 'audited in the same transaction')
  })

  t.test('DER (with the CA registered as intermediate), JSON PEM, JSON base64 DER, text/plain', async (t) => {
    const res0 = await post(leaf(h, tanHaDucLinh()).der, DER)
    await refused(t, res0, 422, 'unprocessable', ['untrusted_issuer'])
    t.equal((await app.inject({ method: 'POST', url: '/v1/intermediates', headers: { ...auth.admin, ...PEM }, payload: h.ca.pem })).statusCode, 201)
    const der = await post(leaf(h, tanHaDucLinh()).der, DER, '?kind=organization&device=sim')
    t.equal(der.statusCode, 201, der.body)
    t.equal(der.json().device, 'sim')
    const json = await post(JSON.stringify({ certificate: leaf(h, tanHaDucLinh()).pem, device: 'remote' }), JSONH)
    t.equal(json.statusCode, 201, json.body)
    t.equal(json.json().device, 'remote')
    const b64 = await post(JSON.stringify({ certificate: leaf(h, tanHaDucLinh()).der.toString('base64') }), JSONH)
    t.equal(b64.statusCode, 201, b64.body)
    const text = await post(leaf(h, tanHaDucLinh()).pem, { 'content-type': 'text/plain; charset=utf-8' })
    t.equal(text.statusCode, 201, text.body)
  })

  t.test('explicit unitCode chooses among what the subject allows; a non-commune, unknown or contradicted code is refused', async (t) => {
    const l = leaf(h, [['C', 'VN'], ['CN', 'Văn phòng một cửa']])
    await refused(t, await post(l.pem, PEM), 422, 'unprocessable', ['unit_not_found'])
    await refused(t, await post(l.pem, PEM, '?unitCode=99999'), 422, 'unprocessable', ['unit_not_found'])
    await refused(t, await post(l.pem, PEM, '?unitCode=600'), 422, 'unprocessable', ['unit_not_found'])
    const res = await post(JSON.stringify({ certificate: l.pem, unitCode: '22915', kind: 'organization' }), JSONH)
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json(), { unitCode: '22915', matchedBy: 'explicit' })
    const l2 = leaf(h, [['C', 'VN'], ['ST', 'Bình Thuận'], ['CN', 'Ủy ban nhân dân xã Tân Hà']])
    const res2 = await post(l2.pem, PEM, '?unitCode=23257')
    t.match(res2.json(), { unitCode: '23257', matchedBy: 'explicit' }, 'explicit chooses between the two Xã Tân Hà of the province')
    const l3 = leaf(h, tanHaDucLinh())
    await refused(t, await post(l3.pem, PEM, '?unitCode=23257'), 422, 'unprocessable', ['unit_mismatch'])
  })

  t.test('untrusted issuer, impostor CA of the same name, tampered signature', async (t) => {
    const stranger = hierarchy('Stranger')
    await refused(t, await post(withChain(leaf(stranger, tanHaDucLinh()), stranger)), 422, 'unprocessable', ['untrusted_issuer'])
    const impostor = hierarchy('Reg')
    const fake = leaf(impostor, tanHaDucLinh())
    await refused(t, await post(fake.pem), 422, 'unprocessable', ['bad_signature'])
    await refused(t, await post(withChain(fake, impostor)), 422, 'unprocessable', ['bad_signature'])
    const good = leaf(h, tanHaDucLinh())
    const tampered = Buffer.from(good.der)
    tampered[tampered.length - 5] ^= 0x01
    await refused(t, await post(tampered, DER), 422, 'unprocessable', ['bad_signature'])
  })

  t.test('signature algorithms and keys', async (t) => {
    const sha1 = await post(leaf(h, tanHaDucLinh(), { hash: 'sha1' }).pem)
    t.equal(sha1.statusCode, 201, sha1.body)
    t.same(sha1.json().warnings.map((w: { code: string }) => w.code), ['weak_signature_algorithm'], 'SHA-1 accepted with a warning')
    await refused(t, await post(leaf(h, tanHaDucLinh(), { hash: 'md5' }).pem), 422, 'unprocessable', ['weak_signature_algorithm'])
    const small = generateKey({ type: 'rsa', bits: 1024 })
    await refused(t, await post(leaf(h, tanHaDucLinh(), { key: small.publicKey }).pem), 422, 'unprocessable', ['weak_key'])
    const ec = await post(leaf(h, tanHaDucLinh(), { key: generateKey({ type: 'ec', curve: 'P-256' }).publicKey }).pem)
    t.equal(ec.statusCode, 201, ec.body)
    t.match(ec.json(), { keyAlgorithm: 'EC', keySize: 256 })
  })

  t.test('key usage, CA as leaf', async (t) => {
    await refused(t, await post(leaf(h, tanHaDucLinh(), { keyUsage: ['keyEncipherment'] }).pem), 422, 'unprocessable', ['key_usage'])
    const body = await refused(t, await post(h.ca.pem), 422, 'unprocessable', ['ca_certificate', 'key_usage', 'unit_not_found'])
    t.ok(body.problems.find((p: { code: string }) => p.code === 'ca_certificate').message)
  })

  t.test('an expired but properly issued certificate is accepted with status expired; a future one is not_yet_valid', async (t) => {
    const old = await post(leaf(h, tanHaDucLinh(), { notBefore: day('2015-01-01'), notAfter: day('2020-01-01') }).pem)
    t.equal(old.statusCode, 201, old.body)
    t.equal(old.json().status, 'expired')
    const future = await post(leaf(h, tanHaDucLinh(), { notBefore: day('2040-01-01'), notAfter: day('2044-01-01') }).pem)
    t.equal(future.statusCode, 201, future.body)
    t.equal(future.json().status, 'not_yet_valid')
  })

  t.test('a chain CA expired at the leaf\'s notBefore → untrusted_issuer with the reason', async (t) => {
    const shortLived = hierarchy('Short', { caNotAfter: day('2020-01-01') })
    await trust(app, auth.admin, shortLived)
    const body = await refused(t, await post(withChain(leaf(shortLived, tanHaDucLinh()), shortLived)), 422, 'unprocessable', ['untrusted_issuer'])
    t.equal(body.problems[0].reason, 'expired')
  })

  t.test('private key material is refused and never stored or audited', async (t) => {
    const l = leaf(h, tanHaDucLinh())
    const keyPem = h.leafKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    const rsaPem = h.leafKey.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string
    const keyDer = h.leafKey.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer
    const marker = keyPem.split('\n')[3]
    for (const [name, res] of [
      ['cert + PKCS#8 key', await post(l.pem + keyPem)],
      ['key first', await post(rsaPem + l.pem)],
      ['DER key', await post(keyDer, DER)],
      ['JSON with key', await post(JSON.stringify({ certificate: l.pem + keyPem }), JSONH)],
      ['JSON key in another field', await post(JSON.stringify({ certificate: l.pem, note: keyPem }), JSONH)],
    ] as const) {
      t.equal(res.statusCode, 422, name)
      t.equal(res.json().code, 'private_key_material', name)
      t.notMatch(res.body, marker, `${name}: the key is not echoed`)
    }
    const rows = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_log where details::text like ${'%' + marker.slice(0, 20) + '%'} or details::text like '%PRIVATE%'`)
    t.equal(Number(rows[0].n), 0, 'the audit log holds nothing of it')
    const certs = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from certificates where fingerprint_sha256 = ${l.cert.fingerprintSha256}`)
    t.equal(Number(certs[0].n), 0, 'the certificate sent with the key was not stored either')
  })

  t.test('not certificates → 400 malformed', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-csr-'))
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
    const csr = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/C=VN/CN=UBND xa Tan Ha', '-keyout', path.join(dir, 'k.pem')], { encoding: 'utf8' })
    const crl = issueCrl({ issuer: h.ca.cert, key: h.ca.key, thisUpdate: day('2025-01-01'), revoked: [] })
    const cases: [string, string | Buffer, Record<string, string>][] = [
      ['CSR', csr, PEM],
      ['CRL (PEM)', crl.pem, PEM],
      ['CRL (DER)', crl.der, DER],
      ['garbage text', 'this is not a certificate', PEM],
      ['random bytes', crypto.randomBytes(300), DER],
      ['truncated DER', leaf(h, tanHaDucLinh()).der.subarray(0, 200), DER],
      ['broken base64 in PEM', '-----BEGIN CERTIFICATE-----\nMIIB$$$$\n-----END CERTIFICATE-----\n', PEM],
      ['broken base64 in JSON', JSON.stringify({ certificate: 'not base64 at all!' }), JSONH],
      ['empty PEM', '', PEM],
      ['empty DER', Buffer.alloc(0), DER],
    ]
    for (const [name, payload, headers] of cases) {
      const res = await post(payload, headers)
      t.equal(res.statusCode, 400, `${name}: ${res.body.slice(0, 200)}`)
      t.equal(res.json().code, 'malformed', name)
    }
    t.equal((await stored(database.db)).certificates > 0, true)
    const types = await post('x', { 'content-type': 'application/xml' })
    t.equal(types.statusCode, 415)
  })

  t.test('a viewer may not register; a registrar out of scope → 403, nothing stored', async (t) => {
    const l = leaf(h, tanHaDucLinh())
    await refused(t, await post(l.pem, PEM, '', auth.viewer), 403, 'forbidden')
    const hamTan = await token('registrar', ['601'])
    await refused(t, await post(l.pem, PEM, '', hamTan), 403, 'forbidden')
    const ducLinh = await token('registrar', ['600'])
    t.equal((await post(l.pem, PEM, '', ducLinh)).statusCode, 201, 'in scope through its district')
    const province = await token('registrar', ['60'])
    t.equal((await post(leaf(h, tanHaDucLinh()).pem, PEM, '', province)).statusCode, 201, 'in scope through its province')
  })

  t.test('duplicates: 409 with existingId; 20 concurrent uploads record it once', async (t) => {
    const l = leaf(h, tanHaDucLinh())
    const first = await post(l.pem)
    t.equal(first.statusCode, 201)
    const again = await post(l.der, DER)
    t.equal(again.statusCode, 409)
    t.match(again.json(), { code: 'duplicate', existingId: first.json().id })

    const c = leaf(h, tanHaDucLinh())
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i % 2 ? c.pem : c.der, i % 2 ? PEM : DER)))
    const created = results.filter((r) => r.statusCode === 201)
    const dupes = results.filter((r) => r.statusCode === 409)
    t.equal(created.length, 1, 'one 201')
    t.equal(dupes.length, 19, 'nineteen 409')
    t.ok(dupes.every((d) => d.json().existingId === created[0].json().id), 'every 409 names the recorded one')
    const rows = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from certificates where fingerprint_sha256 = ${c.cert.fingerprintSha256}`)
    t.equal(Number(rows[0].n), 1)
    const audits = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_log where action = 'certificate.create' and details->>'fingerprintSha256' = ${c.cert.fingerprintSha256}`)
    t.equal(Number(audits[0].n), 1, 'audited once')
  })
})
