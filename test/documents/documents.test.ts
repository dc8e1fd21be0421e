import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { tanHaDucLinh, trust } from '../helpers/pki.ts'
import { basePdf, cmsSign, signPdf, signingKit } from '../helpers/signed-docs.ts'
import { thisMonthVn } from '../../src/lib/dates.ts'

const kit = signingKit(tanHaDucLinh(), 'Http')
const chain = kit.ca.pem

function multipart(fields: [string, Buffer, string][]) {
  const boundary = '----kyso' + Math.random().toString(16).slice(2)
  const parts = fields.map(([name, data, type]) => Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.bin"\r\nContent-Type: ${type}\r\n\r\n`), data, Buffer.from('\r\n'),
  ]))
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` }
}

t.test('POST /v1/documents verifies, counts once per document, and lists what was counted', async (t) => {
  const { app, auth, token } = await testApp(t)
  await trust(app, auth.admin, kit)
  const rsa = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: kit.rsa.pem + chain })
  t.equal(rsa.statusCode, 201, rsa.body)
  const certId = rsa.json().id
  const ec = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: kit.ec.pem + chain })
  t.equal(ec.statusCode, 201, ec.body)
  const post = (payload: Buffer, type: string, headers = auth.registrar) => app.inject({ method: 'POST', url: '/v1/documents', headers: { ...headers, 'content-type': type }, payload })

  const pdf = signPdf(signPdf(basePdf(), kit.head, { chain }), kit.rsa, { chain, subFilter: 'ETSI.CAdES.detached' })
  const month = thisMonthVn()
  const first = await post(pdf, 'application/pdf')
  t.equal(first.statusCode, 200, first.body)
  const a = first.json()
  t.match(a, { counted: true, unitCode: '23221', month })
  t.equal(a.signatures.length, 2)
  t.match(a.signatures[0], { ok: true, certificateId: null, unitCode: null, coversWholeDocument: false, timeSource: 'signingTime', signer: { CN: 'Nguyễn Văn An' } })
  t.match(a.signatures[1], { ok: true, certificateId: certId, unitCode: '23221', coversWholeDocument: true, problems: [] })

  const again = await post(pdf, 'application/pdf')
  t.match(again.json(), { counted: true, unitCode: '23221', month, sha256: a.sha256 }, 'the same document answers the same')

  const list = await app.inject({ method: 'GET', url: `/v1/documents?unitCode=60&month=${month}`, headers: auth.viewer })
  t.equal(list.statusCode, 200)
  t.equal(list.json().items.length, 1, 'counted once')
  t.match(list.json().items[0], { sha256: a.sha256, kind: 'pdf', pageCount: 1, size: pdf.length, unitCode: '23221', certificateId: certId })
  t.notOk(JSON.stringify(list.json()).includes('Cong van'), 'nothing of the content is kept')

  // The same content as a detached and an attached CMS: verified, already counted by its SHA-256.
  const text = Buffer.from('Quyết định số 5/QĐ-UBND\n')
  const detached = multipart([['document', text, 'text/plain'], ['signature', cmsSign(text, kit.ec, { chain }), 'application/pkcs7-signature']])
  const d = await post(detached.payload, detached.type)
  t.equal(d.statusCode, 200, d.body)
  t.match(d.json(), { counted: true, unitCode: '23221', signatures: [{ ok: true, unitCode: '23221' }] })
  const p7m = await post(cmsSign(text, kit.rsa, { chain, attached: true }), 'application/pkcs7-mime')
  t.match(p7m.json(), { counted: true, sha256: d.json().sha256 })
  const all = await app.inject({ method: 'GET', url: '/v1/documents?unitCode=23221', headers: auth.viewer })
  t.equal(all.json().items.length, 2, 'the .p7s and the .p7m of one document count once')
  const page = await app.inject({ method: 'GET', url: '/v1/documents?limit=1', headers: auth.viewer })
  t.equal(page.json().items.length, 1)
  const next = await app.inject({ method: 'GET', url: `/v1/documents?limit=1&cursor=${page.json().nextCursor}`, headers: auth.viewer })
  t.equal(next.json().items.length, 1)
  t.not(next.json().items[0].id, page.json().items[0].id)

  // Only the head's signature: verified, not counted.
  const headOnly = await post(signPdf(basePdf({ text: 'another' }), kit.head, { chain }), 'application/pdf')
  t.match(headOnly.json(), { counted: false, unitCode: null, month: null, signatures: [{ ok: true, certificateId: null }] })

  // Tampered: answered, not counted.
  const bad = Buffer.from(signPdf(basePdf({ text: 'tampered one' }), kit.rsa, { chain }))
  bad.write('X', bad.indexOf('tampered one'), 'latin1')
  const tb = await post(bad, 'application/pdf')
  t.equal(tb.statusCode, 200)
  t.match(tb.json(), { counted: false, signatures: [{ ok: false, problems: [{ code: 'digest_mismatch' }] }] })

  // A registrar limited to another district gets the verdict but does not count it.
  const other = await token('registrar', ['596'])
  const scoped = await post(signPdf(basePdf({ text: 'scoped' }), kit.rsa, { chain }), 'application/pdf', other)
  t.match(scoped.json(), { counted: false, signatures: [{ ok: true, unitCode: '23221' }] })

  const viewerPost = await post(pdf, 'application/pdf', auth.viewer)
  t.equal(viewerPost.statusCode, 403)
})

t.test('a certificate revoked before the signing time does not count; bad bodies are refused', async (t) => {
  const { app, auth } = await testApp(t)
  await trust(app, auth.admin, kit)
  const rsa = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: kit.rsa.pem + chain })
  const rev = await app.inject({ method: 'POST', url: `/v1/certificates/${rsa.json().id}/revocation`, headers: { ...auth.registrar, 'content-type': 'application/json' }, payload: { revokedAt: '2025-01-01', reason: 'keyCompromise' } })
  t.equal(rev.statusCode, 200, rev.body)
  const post = (payload: Buffer | string, type: string) => app.inject({ method: 'POST', url: '/v1/documents', headers: { ...auth.registrar, 'content-type': type }, payload })
  const r = await post(signPdf(basePdf(), kit.rsa, { chain }), 'application/pdf')
  t.match(r.json(), { counted: false, signatures: [{ ok: false, problems: [{ code: 'revoked' }] }] })

  for (const [body, type, status, code] of [
    [basePdf(), 'application/pdf', 400, 'malformed'],
    [Buffer.from('hello'), 'application/pdf', 400, 'malformed'],
    [Buffer.from([0x30, 0x80, 0x00]), 'application/pkcs7-mime', 400, 'malformed'],
    [multipart([['document', Buffer.from('x'), 'text/plain']]).payload, multipart([]).type, 400, 'malformed'],
    [Buffer.from('{}'), 'application/json', 415, 'unsupported_media_type'],
  ] as [Buffer, string, number, string][]) {
    const res = await post(body, type)
    t.equal(res.statusCode, status, `${type}: ${res.body}`)
    t.equal(res.json().code, code)
  }

  let many = basePdf()
  for (let i = 0; i < 17; i++) many = signPdf(many, kit.ec, { placeholder: 1500 })
  const cap = await post(many, 'application/pdf')
  t.equal(cap.statusCode, 422, cap.body)
  t.equal(cap.json().code, 'too_many_signatures')

  const audits = await app.inject({ method: 'GET', url: '/v1/audit', headers: auth.admin })
  t.notOk(audits.json().items.some((a: { action: string }) => a.action === 'document.count'), 'nothing was counted')
})

t.test('bounded: body limit and signatures per file', async (t) => {
  const { app, auth } = await testApp(t, { config: { bodyLimit: 4096 } })
  const big = signPdf(basePdf({ fill: 5000 }), kit.rsa, { chain })
  const res = await app.inject({ method: 'POST', url: '/v1/documents', headers: { ...auth.registrar, 'content-type': 'application/pdf' }, payload: big })
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'payload_too_large')
})
