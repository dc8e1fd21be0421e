import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { hierarchy, leaf, stored, subject, tanHaDucLinh, trust } from '../helpers/pki.ts'

function pkcs7(pems: string[]): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-p7-'))
  try {
    fs.writeFileSync(path.join(dir, 'in.pem'), pems.join(''))
    return execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', path.join(dir, 'in.pem'), '-outform', 'DER'])
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

t.test('batch registration', async (t) => {
  const { app, auth, database, token } = await testApp(t)
  const h = hierarchy('Batch')
  await trust(app, auth.admin, h)
  const batch = (payload: string | Buffer, type: string, who = auth.registrar, query = '') =>
    app.inject({ method: 'POST', url: `/v1/certificates/batch${query}`, headers: { ...who, 'content-type': type }, payload })

  t.test('PEM: mixed items, each standing alone; CA certificates serve as chain', async (t) => {
    const recorded = leaf(h, tanHaDucLinh())
    const first = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: recorded.pem + h.ca.pem })
    t.equal(first.statusCode, 201)
    const twice = leaf(h, tanHaDucLinh())
    const body = [
      h.ca.pem,
      leaf(h, tanHaDucLinh()).pem,
      leaf(h, subject(['CN', 'UBND xã Tân Hà'])).pem,
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
      recorded.pem,
      leaf(h, subject(['OU', 'UBND huyện Hàm Tân'], ['CN', 'UBND xã Tân Hà'])).pem,
      twice.pem,
      'some text between blocks\n',
      twice.pem,
    ].join('')
    const ducLinh = await token('registrar', ['600'])
    const res = await batch(body, 'application/x-pem-file', ducLinh, '?device=token')
    t.equal(res.statusCode, 200, res.body)
    const results = res.json().results
    t.same(results.map((r: { index: number; status: number }) => [r.index, r.status]), [[1, 201], [2, 422], [3, 400], [4, 409], [5, 403], [6, 201], [7, 409]])
    t.equal(results[1].problems[0].code, 'unit_ambiguous')
    t.equal(results[2].code, 'malformed')
    t.equal(results[3].existingId, first.json().id)
    t.equal(results[4].code, 'forbidden')
    t.equal(results[6].existingId, results[5].id, 'a repeat inside the batch names the first')
    const one = await app.inject({ url: `/v1/certificates/${results[0].id}`, headers: auth.viewer })
    t.match(one.json(), { unitCode: '23221', device: 'token', status: 'valid' })
    t.equal((await stored(database.db)).certificates, 3)
  })

  t.test('PKCS#7 bundle', async (t) => {
    const a = leaf(h, tanHaDucLinh())
    const b = leaf(h, subject(['L', 'Huyện Hàm Tân'], ['CN', 'UBND xã Tân Hà']))
    const res = await batch(pkcs7([h.ca.pem, a.pem, b.pem]), 'application/pkcs7-mime')
    t.equal(res.statusCode, 200, res.body)
    t.same(res.json().results.map((r: { index: number; status: number }) => [r.index, r.status]), [[1, 201], [2, 201]])
    const x = await batch(pkcs7([h.ca.pem, a.pem]), 'application/x-pkcs7-certificates')
    t.same(x.json().results.map((r: { status: number }) => r.status), [409])
  })

  t.test('JSON items', async (t) => {
    const key = h.leafKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    await app.inject({ method: 'POST', url: '/v1/intermediates', headers: { ...auth.admin, 'content-type': 'application/x-pem-file' }, payload: h.ca.pem })
    const res = await batch(JSON.stringify({
      items: [
        { certificate: leaf(h, tanHaDucLinh()).pem, kind: 'organization', device: 'sim' },
        { certificate: leaf(h, subject(['CN', 'Văn phòng'])).der.toString('base64'), unitCode: '22915' },
        { certificate: 'garbage' },
        { certificate: leaf(h, tanHaDucLinh()).pem + key },
        { certificate: leaf(h, tanHaDucLinh()).pem, unitCode: '99999' },
        { certificate: leaf(h, tanHaDucLinh(), { hash: 'md5' }).pem },
      ],
    }), 'application/json')
    t.equal(res.statusCode, 200, res.body)
    const r = res.json().results
    t.same(r.map((x: { status: number }) => x.status), [201, 201, 400, 422, 422, 422])
    t.equal(r[3].code, 'private_key_material')
    t.equal(r[4].problems[0].code, 'unit_not_found')
    t.equal(r[5].problems[0].code, 'weak_signature_algorithm')
    t.notMatch(res.body, /PRIVATE KEY/)
  })

  t.test('whole-request refusals', async (t) => {
    const before = await stored(database.db)
    const key = h.leafKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    const withKey = await batch(leaf(h, tanHaDucLinh()).pem + key, 'application/x-pem-file')
    t.equal(withKey.statusCode, 422)
    t.equal(withKey.json().code, 'private_key_material')
    const nothing = await batch('no pem here', 'application/x-pem-file')
    t.equal(nothing.statusCode, 400)
    t.equal(nothing.json().code, 'malformed')
    const tooMany = await batch(JSON.stringify({ items: Array.from({ length: 1001 }, () => ({ certificate: 'x' })) }), 'application/json')
    t.equal(tooMany.statusCode, 413, 'more items than a batch holds')
    t.equal(tooMany.json().code, 'payload_too_large')
    t.equal((await batch('{}', 'application/json', auth.viewer)).statusCode, 403)
    t.same(await stored(database.db), before, 'nothing stored')
  })

  t.test('500 items in one batch', async (t) => {
    const items = Array.from({ length: 500 }, (_, i) => ({ certificate: leaf(h, i % 2 ? tanHaDucLinh() : subject(['L', 'Hàm Tân'], ['CN', 'UBND xã Tân Hà'])).pem }))
    const payload = JSON.stringify({ items })
    const started = performance.now()
    const res = await batch(payload, 'application/json')
    const ms = performance.now() - started
    t.equal(res.statusCode, 200)
    t.ok(res.json().results.every((r: { status: number }) => r.status === 201), 'all recorded')
    t.comment(`500 registrations in ${ms.toFixed(0)} ms (${(500_000 / ms).toFixed(0)}/s)`)
  })
})
