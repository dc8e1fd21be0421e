/**
 * Work per request is bounded: items, CA certificates and certificates per upload in every format (413),
 * signature checks over the whole request rather than per leaf (422 budget_exceeded for the items left),
 * and a batch costs its size against the token's write budget (429 with Retry-After).
 */
import crypto from 'node:crypto'
import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { day, hierarchy, issueCertificate, leaf, tanHaDucLinh, trust } from '../helpers/pki.ts'
import { LIMITS } from '../../src/certificates/limits.ts'
import { uploadTasksDone } from '../../src/certificates/upload-pool.ts'

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x10000 ? Buffer.from([0x82, n >> 8, n & 0xff]) : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff])
  return Buffer.concat([Buffer.from([tag]), len, content])
}
function pkcs7(certs: Buffer[]): Buffer {
  const signedData = tlv(0x30, Buffer.concat([Buffer.from('020101', 'hex'), tlv(0x31, Buffer.alloc(0)), tlv(0x30, Buffer.from('06092a864886f70d010701', 'hex')), tlv(0xa0, Buffer.concat(certs)), tlv(0x31, Buffer.alloc(0))]))
  return tlv(0x30, Buffer.concat([Buffer.from('06092a864886f70d010702', 'hex'), tlv(0xa0, signedData)]))
}

t.test('caps on items and certificates, in every format', async (t) => {
  const { app, auth } = await testApp(t, { config: { rateLimitWritesPerMinute: 1_000_000, bodyLimit: 8 * 1024 * 1024 } })
  const h = hierarchy('Bounds')
  await trust(app, auth.admin, h)
  const one = leaf(h, tanHaDucLinh())
  const batch = (payload: string | Buffer | object, type = 'application/x-pem-file') =>
    app.inject({ method: 'POST', url: '/v1/certificates/batch', headers: { ...auth.registrar, 'content-type': type }, payload: payload as string })
  const expect413 = async (name: string, res: Awaited<ReturnType<typeof batch>>) => {
    t.equal(res.statusCode, 413, `${name}: ${res.body.slice(0, 120)}`)
    t.equal(res.json().code, 'payload_too_large')
    t.match(res.json().detail, /at most|up to/)
  }
  const garbage = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'.repeat(LIMITS.uploadCertificates + 1)
  await expect413('PEM blocks counted before decoding', await batch(garbage))
  await expect413('PEM items', await batch(one.pem.repeat(LIMITS.batchItems + 1)))
  await expect413('PEM CA certificates', await batch(h.ca.pem.repeat(LIMITS.uploadCaCertificates + 1) + one.pem))
  await expect413('PKCS#7 CA certificates', await batch(pkcs7([...Array(LIMITS.uploadCaCertificates + 1).fill(h.ca.der), one.der]), 'application/pkcs7-mime'))
  await expect413('JSON items', await batch({ items: Array(LIMITS.batchItems + 1).fill({ certificate: one.pem }) }, 'application/json'))
  const single = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: one.pem + h.ca.pem.repeat(LIMITS.uploadCaCertificates + 1) })
  await expect413('one certificate with too long a chain', single)
  const fine = await batch(one.pem + h.ca.pem)
  t.equal(fine.statusCode, 200, 'a batch within the bounds is read')
  t.equal(fine.json().results[0].status, 201)
})

t.test('the signature-check budget is per request, not per leaf', async (t) => {
  const { app, auth } = await testApp(t, { config: { rateLimitWritesPerMinute: 1_000_000 } })
  const h = hierarchy('Budget')
  await trust(app, auth.admin, h)
  // 40 CA certificates with the CA's name and key, all expired before the leaves were issued: every leaf
  // tries each of them (a signature check apiece, all good) and finds no valid path: 140 × 40 checks, within
  // the per-leaf bound (1000) but beyond the request's.
  const twins = Array.from({ length: 40 }, (_, i) => issueCertificate({
    subject: [['C', 'VN'], ['O', 'Ban Cơ yếu Chính phủ Budget'], ['CN', 'CA phục vụ các cơ quan Nhà nước Budget']],
    key: crypto.createPublicKey({ key: h.ca.cert.publicKeyDer, format: 'der', type: 'spki' }), issuer: { cert: h.root.cert, key: h.root.key },
    notBefore: day('2011-01-01'), notAfter: new Date(day('2015-01-01').getTime() + i * 86400_000),
    basicConstraints: { cA: true, pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'],
  }))
  const leaves = Array.from({ length: 140 }, () => leaf(h, tanHaDucLinh()))
  const tasksBefore = uploadTasksDone()
  const res = await app.inject({ method: 'POST', url: '/v1/certificates/batch', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: twins.map((c) => c.pem).join('') + leaves.map((l) => l.pem).join('') })
  t.equal(res.statusCode, 200, res.body.slice(0, 200))
  const results = res.json().results as { status: number; problems?: { code: string; reason?: string }[] }[]
  t.ok(results.every((r) => r.status === 422), 'no item has a valid path')
  const spent = results.filter((r) => r.problems?.some((p) => p.code === 'budget_exceeded' || p.reason === 'budget_exceeded')).length
  t.ok(spent > 0, `${spent} items were refused because the request's budget was spent`)
  t.equal(uploadTasksDone(), tasksBefore + 2, 'the batch was read in one task of the worker pool and its chains checked in another, off the event loop')
})

t.test('a batch costs its size against the write budget', async (t) => {
  const { app, auth } = await testApp(t, { config: { rateLimitWritesPerMinute: 5 } })
  const h = hierarchy('Cost')
  await trust(app, auth.admin, h)
  const pem = (n: number) => Array.from({ length: n }, () => leaf(h, tanHaDucLinh()).pem).join('')
  const send = (payload: string) => app.inject({ method: 'POST', url: '/v1/certificates/batch', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload })
  const budget = 5 * LIMITS.itemsPerWriteUnit
  const first = await send(pem(budget - 10))
  t.equal(first.statusCode, 200, 'within the budget')
  const second = await send(pem(20))
  t.equal(second.statusCode, 429, 'a second batch over the items a minute is refused')
  t.equal(second.json().code, 'rate_limited')
  t.ok(Number(second.headers['retry-after']) > 0, 'with Retry-After')
})
