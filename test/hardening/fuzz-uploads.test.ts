/**
 * Fuzzing the certificate, trust-anchor, intermediate and CRL uploads with fast-check: random bytes,
 * mutations of valid DER (bit flips, truncations, huge length fields, wrong tags, extra data, deep
 * nesting), PEM with broken base64 or mixed blocks, PKCS#7 and CRLs likewise, JSON bodies. Every answer
 * must be a 4xx problem+json (or, for a batch, 200 where no item was recorded), never a 5xx (the slowest
 * answer is reported, not asserted: timings depend on the machine), and the database must hold exactly what it held before.
 *
 * Bounded in `npm test` (fixed seed); `npm run fuzz` sets FUZZ_RUNS for a long run.
 */
import t from 'tap'
import fc from 'fast-check'
import { testApp } from '../helpers/app.ts'
import { day, hierarchy, issueCrl, leaf, tanHaDucLinh, trust } from '../helpers/pki.ts'
import { toPem } from '../../src/pki/pem.ts'
import { snapshot, fuzzRuns, fuzzSeed, Stats } from '../helpers/hardening.ts'

/** Generous: proves that no input makes an answer hang (the slowest is reported, not asserted tight). */

// A small DER writer, to build PKCS#7 bundles and hostile structures without openssl.
function header(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length])
  const bytes: number[] = []
  for (let v = length; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes])
}
function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([header(tag, content.length), content])
}
const OID_SIGNED_DATA = Buffer.from('06092a864886f70d010702', 'hex')
const OID_DATA = Buffer.from('06092a864886f70d010701', 'hex')
function pkcs7(certs: Buffer[]): Buffer {
  const signedData = tlv(0x30, Buffer.concat([
    Buffer.from('020101', 'hex'), tlv(0x31, Buffer.alloc(0)), tlv(0x30, OID_DATA), tlv(0xa0, Buffer.concat(certs)), tlv(0x31, Buffer.alloc(0)),
  ]))
  return tlv(0x30, Buffer.concat([OID_SIGNED_DATA, tlv(0xa0, signedData)]))
}
/**
 * `inner` wrapped in `depth` SEQUENCEs (or `tag`s): the headers are worked out from the inside out and the
 * bytes copied once; wrapping level by level copied them `depth` times (2.4 s of CPU per run of this file).
 */
function wrapped(inner: Buffer, depth: number, tag = 0x30): Buffer {
  const headers: Buffer[] = []
  let length = inner.length
  for (let i = 0; i < depth; i++) {
    const h = header(tag, length)
    headers.push(h)
    length += h.length
  }
  return Buffer.concat([...headers.reverse(), inner])
}
/** `depth` nested SEQUENCEs (or `tag`s). */
function nested(depth: number, tag = 0x30): Buffer {
  return wrapped(Buffer.alloc(0), depth, tag)
}

t.test('fuzzing the uploads: every answer is a 4xx problem+json and nothing is stored', async (t) => {
  const { app, auth, database } = await testApp(t, { config: { rateLimitWritesPerMinute: 1_000_000, bodyLimit: 4 * 1024 * 1024 } })
  const h = hierarchy('Fuzz')
  await trust(app, auth.admin, h, { intermediate: true })
  const good = leaf(h, tanHaDucLinh())
  const recorded = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: good.pem })
  t.equal(recorded.statusCode, 201, 'the base certificate is recorded (so that re-sending it is a 409)')
  // Not registered yet: a mutation that stays valid would show as a 201 and a changed database.
  const fresh = leaf(h, tanHaDucLinh())
  const crl = issueCrl({ issuer: h.ca.cert, key: h.ca.key, thisUpdate: day('2025-07-01'), nextUpdate: day('2025-08-01'), revoked: [{ serial: 'abcdef01', date: day('2025-06-01'), reason: 'keyCompromise' }] })
  // The bundle holds the recorded leaf: a mutation of the envelope or of the CA beside it may leave that leaf
  // intact and acceptable, which must then answer 409 (a fresh leaf there would rightly be recorded).
  const bundle = pkcs7([h.ca.der, good.der])
  const bases: [string, Buffer][] = [['leaf', fresh.der], ['ca', h.ca.der], ['root', h.root.der], ['crl', crl.der], ['pkcs7', bundle]]

  const before = await snapshot(database.db)
  const stats = new Stats()

  type Upload = { url: string; type: string; body: Buffer | string; who?: Record<string, string>; what: string }
  const send = async (u: Upload) => {
    const started = performance.now()
    const res = await app.inject({ method: 'POST', url: u.url, headers: { ...(u.who ?? auth.admin), 'content-type': u.type }, payload: u.body })
    const ms = performance.now() - started
    stats.record(ms, res.statusCode, `${u.what} → ${u.url} ${u.type}`)
    return { res, ms }
  }
  /** The invariant of every input; returns false (fast-check shrinks it) instead of throwing. */
  const holds = async (u: Upload): Promise<boolean> => {
    const { res, ms } = await send(u)
    const fail = (why: string) => {
      t.fail(`${why}: ${u.what} → ${u.url} (${u.type}, ${u.body.length} bytes) answered ${res.statusCode} in ${ms.toFixed(0)} ms: ${res.body.slice(0, 300)}`)
      return false
    }
    if (res.statusCode === 200 && u.url === '/v1/certificates/batch') {
      const { results } = res.json<{ results: { status: number }[] }>()
      if (results.some((r) => r.status === 201 || r.status >= 500)) return fail('a batch item was recorded or failed with 5xx')
      return true
    }
    if (res.statusCode < 400 || res.statusCode >= 500) return fail('not a 4xx')
    if (res.headers['content-type'] !== 'application/problem+json; charset=utf-8') return fail('not problem+json')
    const body = res.json<{ status?: number; code?: string }>()
    if (body.status !== res.statusCode || typeof body.code !== 'string') return fail('not a problem body')
    return true
  }

  const CERT_ROUTES = ['/v1/certificates', '/v1/certificates/batch', '/v1/trust-anchors', '/v1/intermediates']
  const BINARY_TYPES: Record<string, string[]> = {
    '/v1/certificates': ['application/pkix-cert', 'application/octet-stream'],
    '/v1/certificates/batch': ['application/pkcs7-mime', 'application/x-pkcs7-certificates'],
    '/v1/trust-anchors': ['application/pkix-cert'],
    '/v1/intermediates': ['application/pkix-cert'],
    '/v1/crls': ['application/pkix-crl', 'application/pkix-cert'],
  }
  const ROUTES = [...CERT_ROUTES, '/v1/crls']

  // Mutations of valid DER.
  type Mutation = (der: Buffer) => Buffer
  const mutation: fc.Arbitrary<[string, Mutation]> = fc.oneof(
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([i, bit]): [string, Mutation] => [`flip bit ${bit} of byte ${i}`, (d) => {
      const out = Buffer.from(d); out[i % out.length] ^= 1 << bit; return out
    }]),
    fc.nat().map((i): [string, Mutation] => [`truncate at ${i}`, (d) => d.subarray(0, i % d.length)]),
    fc.tuple(fc.nat(), fc.constantFrom(0x84, 0x88, 0xff, 0x80, 0x81)).map(([i, b]): [string, Mutation] => [`length byte ${i} := ${b.toString(16)} ffffffff`, (d) => {
      const at = 1 + (i % Math.max(1, d.length - 1))
      return Buffer.concat([d.subarray(0, at), Buffer.from([b, 0xff, 0xff, 0xff, 0xff]), d.subarray(at + 1)])
    }]),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([i, tag]): [string, Mutation] => [`byte ${i} := tag ${tag}`, (d) => {
      const out = Buffer.from(d); out[i % out.length] = tag; return out
    }]),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((extra): [string, Mutation] => [`${extra.length} extra bytes after`, (d) => Buffer.concat([d, Buffer.from(extra)])]),
    fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([i, ins]): [string, Mutation] => [`insert ${ins.length} bytes at ${i}`, (d) => {
      const at = i % d.length
      return Buffer.concat([d.subarray(0, at), Buffer.from(ins), d.subarray(at)])
    }]),
    fc.integer({ min: 1, max: 12_000 }).map((depth): [string, Mutation] => [`wrapped in ${depth} SEQUENCEs`, (d) => wrapped(d, depth)]),
  )
  const base = fc.constantFrom(...bases)
  const route = fc.constantFrom(...ROUTES)
  const derUpload: fc.Arbitrary<Upload> = fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: 3 }), route, fc.nat(), fc.boolean())
    .map(([[name, der], muts, chosen, pick, asPem]) => {
      // A trust anchor is trusted as sent: a CA certificate whose issuer name was mutated into one nobody
      // registered cannot be checked and may rightly be accepted. The issuing CA is fuzzed as an intermediate.
      const url = name === 'ca' && chosen === '/v1/trust-anchors' ? '/v1/intermediates' : chosen
      let body = muts.reduce((d, [, m]) => m(d), der)
      // Mutations can cancel out (the same bit flipped twice, a byte set to the value it had): still a mutation.
      if (body.equals(der)) { body = Buffer.from(der); body[body.length - 1] ^= 0x01 }
      const what = `${name}: ${muts.map(([w]) => w).join(', ')}`
      if (asPem) {
        const label = name === 'crl' ? 'X509 CRL' : name === 'pkcs7' ? 'PKCS7' : 'CERTIFICATE'
        return { url, type: 'application/x-pem-file', body: toPem(body, label), what: `${what} (PEM)` }
      }
      const types = BINARY_TYPES[url]
      return { url, type: types[pick % types.length], body, what }
    })

  t.test('mutations of valid DER, PKCS#7 and CRLs, raw and as PEM', async (_t) => {
    await fc.assert(fc.asyncProperty(derUpload, holds), { numRuns: fuzzRuns(150), seed: fuzzSeed(20261126), endOnFailure: true })
  })

  t.test('random bytes and random text', async (_t) => {
    const anyType = fc.constantFrom('application/pkix-cert', 'application/x-pem-file', 'text/plain', 'application/pkcs7-mime', 'application/pkix-crl', 'application/octet-stream', 'application/json')
    const randomBody = fc.oneof(
      fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
      fc.string({ maxLength: 2000, unit: 'binary' }),
      fc.string({ maxLength: 500 }).map((s) => `-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----\n`),
    )
    await fc.assert(fc.asyncProperty(route, anyType, randomBody, async (url, type, body) => holds({ url, type, body, what: `random (${typeof body})` })),
      { numRuns: fuzzRuns(150), seed: fuzzSeed(7), endOnFailure: true })
  })

  t.test('PEM with broken base64, mixed blocks, headers, missing ends', async (_t) => {
    const b64 = good.der.toString('base64')
    const block = (label: string, body: string) => `-----BEGIN ${label}-----\n${body.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`
    const pieces = fc.constantFrom(
      // The valid certificates here are all recorded already (409) or CAs (chain material in a batch); no valid CRL.
      block('CERTIFICATE', b64), block('CERTIFICATE', h.ca.der.toString('base64')), block('CERTIFICATE', h.root.der.toString('base64')),
      block('X509 CRL', crl.der.subarray(0, crl.der.length - 1).toString('base64')), block('X509 CRL', b64), block('PKCS7', pkcs7([h.ca.der, good.der]).toString('base64')),
      block('CERTIFICATE REQUEST', b64), block('PUBLIC KEY', b64), block('FOO BAR', b64),
      block('CERTIFICATE', `${b64.slice(0, 100)}!!${b64.slice(102)}`), block('CERTIFICATE', b64.replace(/=+$/, '')),
      block('CERTIFICATE', `${b64}====`), block('CERTIFICATE', b64.slice(0, b64.length - 7)), block('CERTIFICATE', ''),
      `-----BEGIN CERTIFICATE-----\n${b64}\n`, '-----END CERTIFICATE-----\n', `-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\n${b64}\n-----END CERTIFICATE-----\n`,
      'subject=CN=Ủy ban\n', '\uFEFF', '\r\n', '-----BEGIN \u0000-----\n', '-----BEGIN CERTIFICATE----------END CERTIFICATE-----',
    )
    const pem = fc.array(pieces, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''))
    await fc.assert(fc.asyncProperty(fc.constantFrom(...ROUTES), pem, fc.constantFrom('application/x-pem-file', 'text/plain'), async (url, body, type) =>
      holds({ url, type, body, what: 'PEM mixture' })), { numRuns: fuzzRuns(120), seed: fuzzSeed(99), endOnFailure: true })
  })

  t.test('JSON bodies: random values, certificates as strings, items', async (_t) => {
    const cert = fc.oneof(fc.string({ maxLength: 300 }), fc.constant(good.pem), fc.constant(fresh.der.toString('base64').slice(0, 500)), fc.constant(''), fc.constant(crl.pem))
    const item = fc.record({ certificate: cert, unitCode: fc.option(fc.oneof(fc.constant('23221'), fc.constant('60'), fc.string({ maxLength: 12 })), { nil: undefined }), kind: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }) }, { requiredKeys: [] })
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      item.map((v) => JSON.stringify(v)),
      fc.array(item, { maxLength: 5 }).map((items) => JSON.stringify({ items })),
      fc.string({ maxLength: 200 }).map((s) => `{"certificate": "${s}`),
    )
    await fc.assert(fc.asyncProperty(fc.constantFrom('/v1/certificates', '/v1/certificates/batch'), json, async (url, body) =>
      holds({ url, type: 'application/json', body, what: 'JSON', who: auth.registrar })), { numRuns: fuzzRuns(120), seed: fuzzSeed(3), endOnFailure: true })
  })

  t.test('fixed hostile inputs', async (t) => {
    const fixed: [string, Buffer | string][] = [
      ['10,000 nested SEQUENCEs', nested(10_000)],
      ['10,000 nested [0] EXPLICIT', nested(10_000, 0xa0)],
      ['10,000 nested SEQUENCEs in PEM', toPem(nested(10_000))],
      ['a SEQUENCE claiming 4 GiB', Buffer.from('3084ffffffff3000', 'hex')],
      ['an indefinite length', Buffer.from('3080300000', 'hex')],
      ['the certificate twice', Buffer.concat([fresh.der, fresh.der])],
      ['an empty body', Buffer.alloc(0)],
      ['a PKCS#7 with 1,000 garbage elements', pkcs7(Array.from({ length: 1000 }, () => Buffer.from('0500', 'hex')))],
      ['a PKCS#7 holding 10,000 nested SEQUENCEs', pkcs7([nested(10_000)])],
      ['the root with the last byte of its signature flipped (found by this fuzzer: was registered as an anchor)', (() => { const d = Buffer.from(h.root.der); d[d.length - 1] ^= 1; return d })()],
      ['the CA with a byte of its serial flipped, as an anchor (found by npm run fuzz: was registered)', (() => { const d = Buffer.from(h.ca.der); d[16] ^= 0x08; return d })()],
      ['the root with a byte of its key flipped', (() => { const d = Buffer.from(h.root.der); d[453] ^= 0x10; return d })()],
      ['a CRL with its signature cut', crl.der.subarray(0, crl.der.length - 20)],
      ['4 MiB of zeros', Buffer.alloc(4 * 1024 * 1024 - 1024)],
      ['base64 of random bytes', Buffer.from(Buffer.alloc(3000, 7).toString('base64'))],
    ]
    for (const [what, body] of fixed) {
      for (const url of ROUTES) {
        for (const type of [typeof body === 'string' ? 'application/x-pem-file' : BINARY_TYPES[url][0], 'application/x-pem-file']) {
          t.ok(await holds({ url, type, body, what }), `${what} → ${url} (${type})`)
        }
      }
    }
  })

  t.test('the database holds exactly what it held before', async (t) => {
    t.same(await snapshot(database.db), before)
    t.comment(stats.summary('fuzz uploads'))
  })
})
