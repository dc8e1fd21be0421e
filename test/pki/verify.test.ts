import t from 'tap'
import { verifyCertificate, verifyCrlSignature, checkSigningProfile, type Certificate, type VerifyOptions } from '../../src/pki/index.ts'
import { issueCertificate, issueCrl, type GeneralNameSpec } from '../../src/pki/issue.ts'
import { AT, Y2020, Y2040, ca, hierarchy, key, leaf, root } from '../fixtures/pki/hierarchy.ts'

const h = hierarchy()
const opts = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ anchors: [h.root.cert], intermediates: [h.ca.cert], at: AT, profile: 'signing', ...extra })
const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code)

t.test('a good two-level RSA chain', async (t) => {
  const r = verifyCertificate(h.leaf.cert, opts())
  t.ok(r.ok)
  t.same(r.problems, [])
  t.same(r.warnings, [])
  t.same(r.path.map((c) => c.fingerprintSha256), [h.leaf, h.ca, h.root].map((n) => n.cert.fingerprintSha256))
  t.notOk(verifyCertificate(h.leaf.cert, opts({ intermediates: [] })).ok, 'without the intermediate')
  t.same(codes(verifyCertificate(h.leaf.cert, opts({ intermediates: [] }))), ['untrusted_issuer'])
})

t.test('RSA 4096 and EC P-256 / P-384 chains', async (t) => {
  const r4 = root([['CN', 'RSA4096 root']], {}, key('r4096', { type: 'rsa', bits: 4096 }))
  const l4 = leaf(r4, [['CN', 'leaf under 4096']])
  t.ok(verifyCertificate(l4.cert, { anchors: [r4.cert], intermediates: [], at: AT, profile: 'signing' }).ok)
  const e384 = root([['CN', 'P-384 root']], { hash: 'sha384' }, key('e384', { type: 'ec', curve: 'P-384' }))
  const e256 = ca(e384, [['CN', 'P-256 CA']], {}, key('e256', { type: 'ec', curve: 'P-256' }))
  const el = leaf(e256, [['CN', 'EC leaf']], {}, key('el', { type: 'ec', curve: 'P-256' }))
  const r = verifyCertificate(el.cert, { anchors: [e384.cert], intermediates: [e256.cert], at: AT, profile: 'signing' })
  t.ok(r.ok, JSON.stringify(r.problems))
  t.equal(e384.cert.signatureAlgorithm, 'ecdsa-with-SHA384')
  // a mixed chain: EC root over an RSA leaf
  const mixed = leaf(e256, [['CN', 'RSA leaf under EC']])
  t.ok(verifyCertificate(mixed.cert, { anchors: [e384.cert], intermediates: [e256.cert], at: AT, profile: 'signing' }).ok)
})

t.test('SHA-1 is a warning, MD5 a refusal', async (t) => {
  const sha1 = leaf(h.ca, [['CN', 'sha1 leaf']], { hash: 'sha1' })
  const r1 = verifyCertificate(sha1.cert, opts())
  t.ok(r1.ok)
  t.same(r1.warnings.map((w) => w.code), ['weak_signature_algorithm'])
  const md5 = leaf(h.ca, [['CN', 'md5 leaf']], { hash: 'md5' })
  t.equal(md5.cert.signatureAlgorithm, 'md5WithRSAEncryption')
  const r2 = verifyCertificate(md5.cert, opts())
  t.notOk(r2.ok)
  t.ok(codes(r2).includes('weak_signature_algorithm'))
  t.notOk(verifyCertificate(md5.cert, opts({ profile: 'rfc5280' })).ok, 'MD5 refused in the rfc5280 profile too')
  // MD5 on a CA link refuses every leaf below it
  const md5ca = ca(h.root, [['CN', 'md5 CA']], { hash: 'md5' }, key('md5ca'))
  const below = leaf(md5ca, [['CN', 'under md5 CA']])
  t.notOk(verifyCertificate(below.cert, opts({ intermediates: [md5ca.cert] })).ok)
})

t.test('a 1024-bit key is weak', async (t) => {
  const l = leaf(h.ca, [['CN', 'small key']], {}, key('rsa1024', { type: 'rsa', bits: 1024 }))
  const r = verifyCertificate(l.cert, opts())
  t.same(codes(r), ['weak_key'])
  t.match(r.problems[0].message, /1024 bits/)
  t.ok(verifyCertificate(l.cert, opts({ profile: 'rfc5280' })).ok, 'the path alone is fine')
})

t.test('key usage without digitalSignature or nonRepudiation', async (t) => {
  const l = leaf(h.ca, [['CN', 'encryption only']], { keyUsage: ['keyEncipherment'] })
  t.same(codes(verifyCertificate(l.cert, opts())), ['key_usage'])
  t.same(codes(checkSigningProfile(l.cert)), ['key_usage'])
  const nr = leaf(h.ca, [['CN', 'nonRepudiation only']], { keyUsage: ['nonRepudiation'] })
  t.ok(verifyCertificate(nr.cert, opts()).ok)
})

t.test('a CA certificate uploaded as the leaf', async (t) => {
  const r = verifyCertificate(h.ca.cert, opts())
  t.notOk(r.ok)
  t.ok(codes(r).includes('ca_certificate'))
  t.ok(verifyCertificate(h.ca.cert, opts({ profile: 'rfc5280' })).ok)
})

t.test('an expired or not yet valid CA at the validation time', async (t) => {
  const expired = ca(h.root, [['CN', 'CA expired 2022']], { notBefore: Y2020, notAfter: new Date('2022-12-31T23:59:59Z') }, key('ca'))
  const l = leaf(expired, [['CN', 'issued after CA expired']])
  const r = verifyCertificate(l.cert, opts({ intermediates: [expired.cert], at: l.cert.notBefore }))
  t.same(codes(r), ['expired'])
  t.match(r.problems[0].message, /intermediate CA "CN=CA expired 2022"/)
  const early = ca(h.root, [['CN', 'CA from 2025']], { notBefore: new Date('2025-01-01T00:00:00Z') }, key('ca'))
  const l2 = leaf(early, [['CN', 'issued before CA']])
  t.same(codes(verifyCertificate(l2.cert, opts({ intermediates: [early.cert], at: l2.cert.notBefore }))), ['not_yet_valid'])
  const oldRoot = root([['CN', 'Old root']], { notAfter: new Date('2021-01-01T00:00:00Z') }, key('oldroot'))
  const l3 = leaf(oldRoot, [['CN', 'under old root']])
  const r3 = verifyCertificate(l3.cert, { anchors: [oldRoot.cert], intermediates: [], at: l3.cert.notBefore, profile: 'signing' })
  t.same(codes(r3), ['expired'])
  t.match(r3.problems[0].message, /trust anchor/)
  // validity is inclusive of notAfter, and checked at whole seconds
  t.ok(verifyCertificate(h.leaf.cert, opts({ at: new Date(h.leaf.cert.notAfter.getTime() + 999) })).ok)
  t.same(codes(verifyCertificate(h.leaf.cert, opts({ at: new Date(h.leaf.cert.notAfter.getTime() + 1000) }))), ['expired'])
})

t.test('a tampered signature and a tampered body', async (t) => {
  const sig = Buffer.from(h.leaf.der)
  sig[sig.length - 5] ^= 0x01
  const tamperedSig = (await import('../../src/pki/index.ts')).parseCertificate(sig)
  const r = verifyCertificate(tamperedSig, opts())
  t.same(codes(r), ['bad_signature'])
  t.match(r.problems[0].message, /issuing CA "CN=CA phục vụ/)
  const body = Buffer.from(h.leaf.der)
  const i = body.indexOf(Buffer.from('Hòa', 'utf8'))
  body[i] = 'X'.charCodeAt(0)
  const tamperedBody = (await import('../../src/pki/index.ts')).parseCertificate(body)
  t.equal(tamperedBody.subject.CN, 'UBND xã Xòa Thắng')
  t.same(codes(verifyCertificate(tamperedBody, opts())), ['bad_signature'])
})

t.test('an impostor CA with the same name as the real one', async (t) => {
  const impostorRoot = root(h.root.cert.subjectAttributes.map((a) => [a.type, a.value] as [string, string]), {}, key('impostor'))
  t.equal(impostorRoot.cert.subjectDn, h.root.cert.subjectDn)
  const r = verifyCertificate(h.leaf.cert, opts({ anchors: [impostorRoot.cert] }))
  t.same(codes(r), ['bad_signature'])
  t.match(r.problems[0].message, /trust anchor/)
  // with both the impostor and the real root, the real one is found
  const both = verifyCertificate(h.leaf.cert, opts({ anchors: [impostorRoot.cert, h.root.cert] }))
  t.ok(both.ok)
  t.equal(both.path[2].fingerprintSha256, h.root.cert.fingerprintSha256)
  // an impostor intermediate: right name, wrong key
  const impostorCa = ca(impostorRoot, h.ca.cert.subjectAttributes.map((a) => [a.type, a.value] as [string, string]), {}, key('impostor-ca'))
  const fake = leaf(impostorCa, [['CN', 'fake']])
  const r2 = verifyCertificate(fake.cert, opts({ intermediates: [h.ca.cert, impostorCa.cert] }))
  t.notOk(r2.ok)
  t.ok(codes(r2).includes('bad_signature'))
})

t.test('issuer names match case- and space-insensitively, and by exact bytes', async (t) => {
  const upper = issueCertificate({
    subject: [['C', 'VN'], ['O', 'BAN CƠ YẾU CHÍNH PHỦ'], ['CN', '  test   root ca ']],
    key: key('root'), notBefore: Y2020, notAfter: Y2040, basicConstraints: { cA: true }, keyUsage: ['keyCertSign'],
  })
  t.ok(verifyCertificate(h.ca.cert, { anchors: [upper.cert], intermediates: [], at: AT, profile: 'rfc5280' }).ok)
})

t.test('pathLen', async (t) => {
  const ca0 = ca(h.root, [['CN', 'CA pathLen 0']], { basicConstraints: { cA: true, pathLen: 0 } }, key('ca0'))
  const sub = ca(ca0, [['CN', 'Sub CA']], { basicConstraints: { cA: true } }, key('sub'))
  const l = leaf(sub, [['CN', 'too deep']])
  const r = verifyCertificate(l.cert, opts({ intermediates: [ca0.cert, sub.cert] }))
  t.same(codes(r), ['path_length_exceeded'])
  t.match(r.problems[0].message, /"CN=CA pathLen 0" allows at most 0 intermediate CAs/)
  const ca1 = ca(h.root, [['CN', 'CA pathLen 1']], { basicConstraints: { cA: true, pathLen: 1 } }, key('ca0'))
  const sub1 = ca(ca1, [['CN', 'Sub CA 1']], { basicConstraints: { cA: true } }, key('sub'))
  t.ok(verifyCertificate(leaf(sub1, [['CN', 'ok']]).cert, opts({ intermediates: [ca1.cert, sub1.cert] })).ok)
  // maxDepth bounds the intermediates
  t.same(codes(verifyCertificate(leaf(sub1, [['CN', 'ok']]).cert, opts({ intermediates: [ca1.cert, sub1.cert], maxDepth: 1 }))), ['depth_exceeded'])
})

t.test('issuers must be CAs allowed to sign certificates', async (t) => {
  const notCa = ca(h.root, [['CN', 'Not a CA']], { basicConstraints: { cA: false }, keyUsage: ['digitalSignature'] }, key('notca'))
  t.ok(codes(verifyCertificate(leaf(notCa, [['CN', 'x']]).cert, opts({ intermediates: [notCa.cert] }))).includes('not_a_ca'))
  const noBc = ca(h.root, [['CN', 'No BC']], { basicConstraints: undefined }, key('notca'))
  t.ok(codes(verifyCertificate(leaf(noBc, [['CN', 'x']]).cert, opts({ intermediates: [noBc.cert] }))).includes('not_a_ca'))
  const noKcs = ca(h.root, [['CN', 'No keyCertSign']], { keyUsage: ['cRLSign'] }, key('notca'))
  t.same(codes(verifyCertificate(leaf(noKcs, [['CN', 'x']]).cert, opts({ intermediates: [noKcs.cert] }))), ['ca_key_usage'])
  // an anchor that is not a CA
  const anchorNotCa = root([['CN', 'Leafy anchor']], { basicConstraints: { cA: false }, keyUsage: ['digitalSignature'] }, key('notca'))
  t.ok(codes(verifyCertificate(leaf(anchorNotCa, [['CN', 'x']]).cert, { anchors: [anchorNotCa.cert], intermediates: [], at: AT, profile: 'signing' })).includes('not_a_ca'))
})

t.test('unknown critical extension', async (t) => {
  const ext = { oid: '1.3.6.1.4.1.99999.1', value: Buffer.from([0x05, 0x00]) }
  const crit = leaf(h.ca, [['CN', 'critical unknown']], { extensions: [{ ...ext, critical: true }] })
  const r = verifyCertificate(crit.cert, opts())
  t.same(codes(r), ['unknown_critical_extension'])
  t.match(r.problems[0].message, /1\.3\.6\.1\.4\.1\.99999\.1/)
  const nonCrit = leaf(h.ca, [['CN', 'non-critical unknown']], { extensions: [{ ...ext, critical: false }] })
  t.ok(verifyCertificate(nonCrit.cert, opts()).ok)
  // the empty IssuerAltName of the G1 CAs, non-critical, is not fatal
  const ian = leaf(h.ca, [['CN', 'empty IAN']], { extensions: [{ oid: '2.5.29.18', value: Buffer.from([0x30, 0x00]) }] })
  t.ok(verifyCertificate(ian.cert, opts()).ok)
})

t.test('name constraints', async (t) => {
  const nc = ca(h.root, [['C', 'VN'], ['O', 'Bình Thuận'], ['CN', 'Constrained CA']], {
    nameConstraints: {
      permitted: [{ dn: [['C', 'VN'], ['O', 'Bình Thuận']] }, { email: 'binhthuan.gov.vn' }, { dns: 'binhthuan.gov.vn' }],
      excluded: [{ email: 'spam@binhthuan.gov.vn' }, { ip: '10.0.0.0/8' }],
    },
  }, key('nc'))
  const check = (subject: [string, string][], san?: GeneralNameSpec[]) =>
    verifyCertificate(leaf(nc, subject, san ? { subjectAltName: san } : {}).cert, opts({ intermediates: [nc.cert] }))
  t.ok(check([['C', 'VN'], ['O', 'Bình Thuận'], ['CN', 'UBND xã Hàm Đức']], [{ email: 'vanthu@binhthuan.gov.vn' }, { dns: 'hamduc.binhthuan.gov.vn' }]).ok)
  t.ok(check([['C', 'VN'], ['O', 'BÌNH THUẬN'], ['CN', 'case folded']]).ok, 'DN comparison folds case')
  t.same(codes(check([['C', 'VN'], ['O', 'Ninh Thuận'], ['CN', 'UBND xã Phước Hải']])), ['name_constraints'])
  t.same(codes(check([['C', 'VN'], ['O', 'Bình Thuận'], ['CN', 'x']], [{ email: 'spam@binhthuan.gov.vn' }])), ['name_constraints'])
  t.same(codes(check([['C', 'VN'], ['O', 'Bình Thuận'], ['CN', 'x']], [{ email: 'a@gmail.com' }])), ['name_constraints'])
  t.same(codes(check([['C', 'VN'], ['O', 'Bình Thuận'], ['CN', 'x']], [{ dns: 'binhthuan.gov.vn.evil.com' }])), ['name_constraints'])
  t.same(codes(check([['C', 'VN'], ['O', 'Bình Thuận'], ['CN', 'x']], [{ ip: '10.1.2.3' }])), ['name_constraints'])
  t.ok(check([['C', 'VN'], ['O', 'Bình Thuận'], ['CN', 'x']], [{ ip: '192.0.2.1' }]).ok)
  t.same(codes(check([['C', 'VN'], ['O', 'Bình Thuận'], ['CN', 'x'], ['E', 'someone@gmail.com']])), ['name_constraints'], 'emailAddress in the subject counts')
  const r = check([['C', 'VN'], ['O', 'Ninh Thuận'], ['CN', 'y']])
  t.match(r.problems[0].message, /name constraints of "CN=Constrained CA"/)
})

t.test('CRLs: revoked, not revoked, broken signature, wrong issuer', async (t) => {
  const other = leaf(h.ca, [['CN', 'other']], { serial: '0badc0de' })
  const crl = issueCrl({ issuer: h.ca.cert, key: h.ca.key.privateKey, thisUpdate: AT, nextUpdate: new Date('2024-07-01T00:00:00Z'), revoked: [{ serial: h.leaf.cert.serialNumber, date: new Date('2024-05-01T00:00:00Z'), reason: 'keyCompromise' }] })
  t.ok(verifyCrlSignature(crl.crl, h.ca.cert))
  t.notOk(verifyCrlSignature(crl.crl, h.root.cert))
  const r = verifyCertificate(h.leaf.cert, opts({ crls: [crl.crl] }))
  t.same(codes(r), ['revoked'])
  t.match(r.problems[0].message, /revoked by "CN=CA phục vụ.*keyCompromise/)
  t.ok(verifyCertificate(other.cert, opts({ crls: [crl.crl] })).ok, 'a certificate not on the list')
  // RFC 5280 6.3.3: the same CRL with its signature broken decides nothing, so the status is undetermined
  const broken = Buffer.from(crl.der)
  broken[broken.length - 3] ^= 0xff
  const { readCrl } = await import('../../src/pki/index.ts')
  const brokenCrl = readCrl(broken)
  t.notOk(verifyCrlSignature(brokenCrl, h.ca.cert))
  const r2 = verifyCertificate(h.leaf.cert, opts({ crls: [brokenCrl] }))
  t.same(codes(r2), ['crl_unusable'])
  // ... while a valid CRL given beside it decides
  const clean = issueCrl({ issuer: h.ca.cert, key: h.ca.key.privateKey, thisUpdate: AT, revoked: [] })
  const r2b = verifyCertificate(h.leaf.cert, opts({ crls: [brokenCrl, clean.crl] }))
  t.ok(r2b.ok)
  t.same(r2b.warnings.map((w) => w.code), ['crl_ignored'])
  // a CRL by the root does not revoke the leaf's serial (but the leaf's own issuer's CRL is needed)
  const rootCrl = issueCrl({ issuer: h.root.cert, key: h.root.key.privateKey, thisUpdate: AT, revoked: [{ serial: h.leaf.cert.serialNumber, date: AT }] })
  t.ok(verifyCertificate(h.leaf.cert, opts({ crls: [rootCrl.crl, clean.crl] })).ok)
  t.same(codes(verifyCertificate(h.leaf.cert, opts({ crls: [rootCrl.crl] }))), ['crl_unusable'], 'no CRL of the leaf issuer: undetermined')
  // the root's CRL revoking the intermediate revokes the whole path
  const caRevoked = issueCrl({ issuer: h.root.cert, key: h.root.key.privateKey, thisUpdate: AT, revoked: [{ serial: h.ca.cert.serialNumber, date: AT }] })
  const r3 = verifyCertificate(h.leaf.cert, opts({ crls: [caRevoked.crl, clean.crl] }))
  t.same(codes(r3), ['revoked'])
  t.match(r3.problems[0].message, /intermediate CA/)
  // a properly signed CRL without a CRL number cannot be relied on
  const noNumber = issueCrl({ issuer: h.ca.cert, key: h.ca.key.privateKey, thisUpdate: AT, revoked: [], crlNumber: null })
  t.same(codes(verifyCertificate(h.leaf.cert, opts({ crls: [noNumber.crl] }))), ['crl_unusable'])
})

t.test('a path-building budget: many same-name intermediates finish fast and fail', async (t) => {
  // 40 CAs all named the same, none chaining to the anchor: every one is a candidate at every level.
  const stranger = root([['CN', 'Stranger root']], {}, key('stranger'))
  const name: [string, string][] = [['C', 'VN'], ['CN', 'Same name CA']]
  const sameName: Certificate[] = []
  for (let i = 0; i < 40; i++) {
    sameName.push(issueCertificate({
      subject: name, key: key('same'), issuer: { cert: i === 0 ? stranger.cert : sameName[i - 1], key: key(i === 0 ? 'stranger' : 'same').privateKey },
      notBefore: Y2020, notAfter: Y2040, basicConstraints: { cA: true }, keyUsage: ['keyCertSign'], serial: (i + 1).toString(16),
    }).cert)
  }
  const victim = issueCertificate({
    subject: [['CN', 'victim']], key: key('leaf'), issuer: { cert: sameName[39], key: key('same').privateKey },
    notBefore: Y2020, notAfter: Y2040, keyUsage: ['digitalSignature'],
  }).cert
  const started = Date.now()
  const r = verifyCertificate(victim, opts({ intermediates: sameName }))
  const ms = Date.now() - started
  t.notOk(r.ok)
  t.comment(`finished in ${ms} ms`)
  t.ok(codes(r).includes('budget_exceeded'), codes(r).join(','))
})

t.test('checkCaCertificate: what a trust anchor or intermediate must be', async (t) => {
  t.same(codes((await import('../../src/pki/index.ts')).checkCaCertificate(h.root.cert)), [])
  t.same(codes((await import('../../src/pki/index.ts')).checkCaCertificate(h.leaf.cert)), ['not_a_ca'])
})

t.test('an invalid validation time is refused, not ignored', async (t) => {
  t.same(codes(verifyCertificate(h.leaf.cert, opts({ at: new Date('nonsense') }))), ['malformed'])
})
