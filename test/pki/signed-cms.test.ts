import t from 'tap'
import { verifySignedDocument, type DocumentReport } from '../../src/pki/signed-document.ts'
import { parseSignedData } from '../../src/pki/cms/signed-data.ts'
import { tanHaDucLinh } from '../helpers/pki.ts'
import { addTimestamp, cmsSign, opensslVerify, signingKit, timestampToken, type Signer } from '../helpers/signed-docs.ts'

const kit = signingKit(tanHaDucLinh())
const trust = { anchors: [kit.root.cert, kit.tsaRoot.cert], intermediates: [] }
const now = new Date()
const doc = Buffer.from('Công văn số 12/UBND-VP về việc triển khai chữ ký số.\n'.repeat(50))

const detached = (cms: Buffer, content: Buffer = doc) => verifySignedDocument({ kind: 'detached', document: content, signature: cms }, trust, now)
const attached = (cms: Buffer) => verifySignedDocument({ kind: 'attached', bytes: cms }, trust, now)
const codes = (r: DocumentReport) => r.signatures.flatMap((s) => s.problems.map((p): string => p.code))

const flip = (buf: Buffer, at: number) => { const b = Buffer.from(buf); b[at] ^= 0x01; return b }

const variants: [string, Signer, { pss?: boolean; noAttributes?: boolean }][] = [
  ['RSA PKCS#1 v1.5', kit.rsa, {}],
  ['RSA-PSS', kit.rsa, { pss: true }],
  ['ECDSA P-256', kit.ec, {}],
  ['RSA without signed attributes', kit.rsa, { noAttributes: true }],
  ['ECDSA without signed attributes', kit.ec, { noAttributes: true }],
]

for (const [name, signer, o] of variants) {
  t.test(`${name}: detached and attached verify, as openssl cms -verify says`, async (t) => {
    const chain = kit.ca.pem
    const d = cmsSign(doc, signer, { ...o, chain })
    const a = cmsSign(doc, signer, { ...o, chain, attached: true })
    t.equal(opensslVerify(d, doc, kit.root.pem), true, 'openssl accepts the detached signature')
    t.equal(opensslVerify(a, null, kit.root.pem), true, 'openssl accepts the attached signature')
    for (const r of [detached(d), attached(a)]) {
      t.same(codes(r), [], `${r.kind}: no problems`)
      t.equal(r.signatures.length, 1)
      const s = r.signatures[0]
      t.equal(s.ok, true)
      t.equal(s.signerFingerprint, signer.cert.fingerprintSha256)
      t.equal(s.signer?.CN, 'Ủy ban nhân dân xã Tân Hà')
      t.equal(s.path.length, 2, 'leaf and issuing CA (the anchor is left out)')
      if (o.noAttributes) {
        t.equal(s.timeSource, 'none')
        t.equal(s.signingTime, null)
      } else {
        t.equal(s.timeSource, 'signingTime')
        t.ok(Math.abs(new Date(s.signingTime!).getTime() - Date.now()) < 600_000, 'the signing time is openssl\'s')
      }
      t.equal(r.sha256, (await import('node:crypto')).createHash('sha256').update(doc).digest('hex'))
    }
    if (o.pss) t.match(detached(d).signatures[0].algorithm, 'PSS')
  })
}

t.test('every tampered byte class fails, and openssl cms -verify agrees', async (t) => {
  const cms = cmsSign(doc, kit.rsa, { chain: kit.ca.pem })
  const sd = parseSignedData(cms)
  const si = sd.signers[0]
  const sigAt = cms.indexOf(si.signature)
  const attrsAt = cms.indexOf(si.signedAttrsDer!.subarray(2))
  const timeAt = cms.indexOf(Buffer.from([0x17, 0x0d]), attrsAt) + 5
  const certAt = cms.indexOf(kit.rsa.der)
  t.ok(certAt > 0 && timeAt > attrsAt && attrsAt > 0 && sigAt > 0, 'positions found')
  const cases: [string, Buffer, Buffer, string][] = [
    ['content', cms, flip(doc, 100), 'digest_mismatch'],
    ['signed attributes (signing time)', flip(cms, timeAt), doc, 'bad_signature'],
    ['signature value', flip(cms, sigAt + 40), doc, 'bad_signature'],
    ['signer certificate (subject)', flip(cms, cms.indexOf(Buffer.from('ban nh'), certAt)), doc, ''],
    ['signer certificate (its signature)', flip(cms, certAt + kit.rsa.der.length - 10), doc, 'bad_signature'],
  ]
  t.equal(opensslVerify(cms, doc, kit.root.pem), true, 'the untampered one verifies')
  t.same(codes(detached(cms)), [])
  for (const [what, c, content, code] of cases) {
    const r = detached(c, content)
    t.equal(r.signatures[0].ok, false, `${what}: refused`)
    if (code) t.ok(codes(r).includes(code), `${what}: ${code} (${codes(r).join(', ')})`)
    t.equal(opensslVerify(c, content, kit.root.pem), false, `${what}: openssl refuses it too`)
  }
  const bare = cmsSign(doc, kit.rsa, { chain: kit.ca.pem, noAttributes: true })
  t.ok(codes(detached(bare, flip(doc, 7))).includes('bad_signature'), 'without signed attributes, changed content breaks the signature')
  t.equal(opensslVerify(bare, flip(doc, 7), kit.root.pem), false)
})

t.test('chain: an unknown root, a missing intermediate, the intermediate found among the registered ones', async (t) => {
  const noChain = cmsSign(doc, kit.rsa)
  const r = verifySignedDocument({ kind: 'detached', document: doc, signature: noChain }, trust, now)
  t.ok(codes(r).includes('untrusted_issuer'), 'the issuing CA is neither sent nor registered')
  t.equal(opensslVerify(noChain, doc, kit.root.pem), false)
  const withRegistered = verifySignedDocument({ kind: 'detached', document: doc, signature: noChain }, { ...trust, intermediates: [kit.ca.cert] }, now)
  t.same(codes(withRegistered), [])
  t.equal(opensslVerify(noChain, doc, kit.root.pem, kit.ca.pem), true)
  const other = signingKit(tanHaDucLinh(), 'Other')
  const foreign = verifySignedDocument({ kind: 'detached', document: doc, signature: cmsSign(doc, kit.rsa, { chain: kit.ca.pem }) }, { anchors: [other.root.cert], intermediates: [] }, now)
  t.ok(codes(foreign).includes('untrusted_issuer') || codes(foreign).includes('bad_signature'))
})

t.test('an RFC 3161 timestamp sets the time used, and is verified against its own chain', async (t) => {
  const cms = addTimestamp(cmsSign(doc, kit.rsa, { chain: kit.ca.pem }), kit.tsa)
  t.equal(opensslVerify(cms, doc, kit.root.pem), true, 'openssl still accepts the signature')
  const r = detached(cms)
  t.same(codes(r), [])
  t.equal(r.signatures[0].timeSource, 'timestamp')
  t.ok(r.signatures[0].timestampTime)
  t.equal(r.signatures[0].signingTime, r.signatures[0].timestampTime)
  t.same(r.signatures[0].warnings, [])

  const untrustedTsa = verifySignedDocument({ kind: 'detached', document: doc, signature: cms }, { anchors: [kit.root.cert], intermediates: [] }, now)
  t.equal(untrustedTsa.signatures[0].ok, true, 'the signature itself still verifies')
  t.equal(untrustedTsa.signatures[0].timeSource, 'signingTime', 'the timestamp is not used when its TSA is not trusted')
  t.match(untrustedTsa.signatures[0].warnings[0], { code: 'timestamp_unusable' })

  const wrong = addTimestamp(cmsSign(doc, kit.rsa, { chain: kit.ca.pem }), kit.tsa, timestampToken(Buffer.from('another signature'), kit.tsa))
  const w = detached(wrong)
  t.equal(w.signatures[0].timeSource, 'signingTime', 'a token over other data is not used')
  t.match(w.signatures[0].warnings[0].message, /another signature/)
})

t.test('not a signed document: malformed', async (t) => {
  t.throws(() => detached(Buffer.from('hello')), { code: 'malformed' })
  t.throws(() => attached(cmsSign(doc, kit.rsa)), { code: 'malformed' }, 'a detached signature sent as attached')
  t.throws(() => attached(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])), { code: 'malformed' })
  const pem = `-----BEGIN CMS-----\n${cmsSign(doc, kit.rsa, { chain: kit.ca.pem }).toString('base64')}\n-----END CMS-----\n`
  t.same(codes(detached(Buffer.from(pem))), [], 'PEM is read too')
})
