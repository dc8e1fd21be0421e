/*
 * The rules of RFC 5280 (and RFC 4055) that Kyso used to get wrong, each on certificates
 * and CRLs made by openssl here, through the library, the command line and the service.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { Readable } from 'node:stream'
import t from 'tap'
import { runVerify, verifyLine } from '../../src/cli/verify.ts'
import { readCertificates, readCrl, verifyCertificate, type VerifyOptions } from '../../src/pki/index.ts'
import { processPolicies } from '../../src/pki/policy-tree.ts'
import { setTrustPolicy } from '../../src/trust/policy.ts'
import { testApp } from '../helpers/app.ts'
import { captured } from '../helpers/cli.ts'
import { BASE, P1, P2, build, makeKeys, tempBase, type Built, type Variation } from '../helpers/openssl-chains.ts'

const base = tempBase()
t.teardown(() => fs.rmSync(base, { recursive: true, force: true }))
const keys = makeKeys(base)
const make = (v: Partial<Variation>) => build(base, keys, { ...BASE, ...v })
const certs = (file: string) => readCertificates(fs.readFileSync(file))

function verify(b: Built, extra: Partial<VerifyOptions> = {}) {
  return verifyCertificate(certs(b.leaf)[0], {
    anchors: certs(b.root), intermediates: certs(b.ica), at: b.at, profile: 'signing',
    crls: b.crls.map((c) => readCrl(fs.readFileSync(c))), policies: b.policies, explicitPolicy: b.explicitPolicy, ...extra,
  })
}
const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code)

t.test('RFC 4055: RSA-PSS leaf keys and RSASSA-PSS signatures make signing certificates like any other', async (t) => {
  const b = make({ key: 'rsa-pss-leaf', sig: 'pss', hash: 'sha384' })
  const [leaf] = certs(b.leaf)
  t.equal(leaf.keyAlgorithm, 'RSA')
  t.equal(leaf.keySize, 2048)
  t.equal(leaf.signatureAlgorithm, 'RSASSA-PSS')
  const r = verify(b)
  t.ok(r.ok, JSON.stringify(r.problems))
  t.same(r.warnings, [])
  // the PSS signature is checked: one flipped bit in it refuses the chain
  const der = Buffer.from(leaf.der)
  der[der.length - 10] ^= 1
  t.same(codes(verifyCertificate(readCertificates(der)[0], { anchors: certs(b.root), intermediates: certs(b.ica), at: b.at, profile: 'signing' })), ['bad_signature'])
})

t.test('RFC 4055 and 5280 6.3.3: a leaf revoked by a valid PSS-signed CRL is refused', async (t) => {
  const b = make({ key: 'rsa', crl: 'pss-revoked' })
  t.equal(readCrl(fs.readFileSync(b.crls[0])).signatureAlgorithm, 'RSASSA-PSS')
  t.same(codes(verify(b)), ['revoked'])
})

t.test('5280 6.3.3: an unusable CRL leaves the status undetermined and fails the path', async (t) => {
  for (const crl of ['stale', 'bad-sig', 'no-crlsign'] as const) {
    t.same(codes(verify(make({ crl }))), ['crl_unusable'], crl)
  }
  t.ok(verify(make({ crl: 'good' })).ok, 'a good CRL not listing the leaf')
})

t.test('5280 5: version 1 CRLs (no extensions) are valid', async (t) => {
  const good = make({ crl: 'v1-good' })
  t.match(execFileSync('openssl', ['crl', '-in', good.crls[0], '-noout', '-text']).toString(), /Version 1 /, 'openssl made a version 1 CRL')
  t.ok(verify(good).ok)
  t.same(codes(verify(make({ crl: 'v1-revoked' }))), ['revoked'])
})

t.test('5280 4.1.2.2: serial numbers are signed integers: a CRL listing 255 does not revoke -1', async (t) => {
  const b = make({ crl: 'serial-sign' })
  t.equal(certs(b.leaf)[0].serialNumber, '-1')
  t.same(readCrl(fs.readFileSync(b.crls[0])).entries.map((e) => e.serialNumber), ['ff'])
  t.ok(verify(b).ok)
})

t.test('5280 4.2.1.3, 4.2.1.9, 4.2.1.10: profile rules a relying party can check', async (t) => {
  t.ok(codes(verify(make({ constraint: 'ica-no-ku' }))).includes('ca_key_usage'), 'CA without keyUsage')
  t.ok(codes(verify(make({ constraint: 'leaf-pathlen' }))).includes('nonconforming_certificate'), 'pathLenConstraint on a non-CA')
  t.same(codes(verify(make({ constraint: 'nc-noncritical' }))), ['nonconforming_certificate'], 'non-critical nameConstraints')
  t.ok(verify(make({ constraint: 'nc-ok' })).ok, 'critical nameConstraints the leaf satisfies')
})

t.test('signing profile: a leaf without keyUsage is refused with key_usage', async (t) => {
  const b = make({ constraint: 'leaf-no-ku' })
  t.same(codes(verify(b)), ['key_usage'])
  t.ok(verify(b, { profile: 'rfc5280' }).ok, 'the path itself is valid')
})

t.test('5280 6.1: policy processing, with the user-initial-policy-set', async (t) => {
  t.same(codes(verify(make({ policy: 'require-explicit-missing' }))), ['policy'], 'requireExplicitPolicy 0 and a leaf without policies')
  t.ok(verify(make({ policy: 'mapping' })).ok, `${P1} mapped to ${P2} satisfies the set {${P1}}`)
  t.same(codes(verify(make({ policy: 'inhibit-any' }))), ['policy'], 'inhibitAnyPolicy 0: anyPolicy in the leaf does not count')
  const same = make({ policy: 'same' })
  t.ok(verify(same).ok, 'no policy asked')
  t.ok(verify(same, { policies: [P1], explicitPolicy: true }).ok)
  t.same(codes(verify(same, { policies: [P2], explicitPolicy: true })), ['policy'])
  t.ok(verify(same, { policies: [P2] }).ok, 'without initial-explicit-policy a disjoint set does not fail the path (6.1.5 (g))')
  // the tree itself: mapping inhibited at the start deletes the mapped policy (6.1.4 (b)(2))
  const pol = (p: object) => ({ policy: p, selfIssued: false })
  t.same(processPolicies([pol({ policies: [P1], mappings: [[P1, P2]] }), pol({ policies: [P2] })], { initialPolicySet: [P1], initialExplicitPolicy: true }), { ok: true, policies: [P2] })
  t.match(processPolicies([pol({ policies: [P1], mappings: [[P1, P2]] }), pol({ policies: [P2] })], { initialExplicitPolicy: true, initialPolicyMappingInhibit: true }), { ok: false, reason: 'no_policy' })
  t.match(processPolicies([pol({ policies: [P1], mappings: [['2.5.29.32.0', P2]] }), pol({ policies: [P2] })]), { ok: false, reason: 'mapping_any_policy' })
  // a tree built to explode (every policy mapped to every other: 20, 400, 8000 nodes) is cut off (CVE-2023-0464)
  const many = Array.from({ length: 20 }, (_, i) => `${P1}.${i}`)
  const exploding = pol({ policies: many, mappings: many.flatMap((a) => many.map((b) => [a, b])) })
  t.match(processPolicies([exploding, exploding, exploding, pol({ policies: many })]), { ok: false, reason: 'too_large' })
})

t.test('kyso verify: policies as a JSON line field and as flags', async (t) => {
  const b = make({ policy: 'same' })
  const read = (p: string) => fs.readFileSync(p, 'utf8')
  const line = (extra: object) => JSON.stringify({ id: 'x', trusted: [read(b.root)], intermediates: [read(b.ica)], leaf: read(b.leaf), at: b.at.toISOString(), ...extra })
  t.same(verifyLine(line({ policies: [P2], explicitPolicy: true })).problems, ['policy'])
  t.same(verifyLine(line({ policies: [P1], explicitPolicy: true })), { id: 'x', ok: true, problems: [] })
  t.same(verifyLine(line({ policies: ['not an oid'] })).problems, ['malformed'])
  t.same(verifyLine(line({ explicitPolicy: 'yes' })).problems, ['malformed'])
  const run = (args: string[]) => captured((io) => runVerify(args, { stdin: Readable.from(['']), ...io }))
  const files = ['--anchor', b.root, '--intermediate', b.ica, '--at', b.at.toISOString()]
  t.equal((await run([...files, '--policy', P1, '--explicit-policy', b.leaf])).code, 0)
  const refused = await run([...files, '--policy', P2, '--explicit-policy', b.leaf])
  t.equal(refused.code, 1)
  t.match(refused.out, /policy: No certificate policy acceptable/)
  t.equal((await run([...files, '--policy', 'x', b.leaf])).code, 2, 'a bad OID is a usage error')
})

t.test('the service: a huge-arc OID is a verdict, not a 500; the configured policy set applies', async (t) => {
  const b = make({ constraint: 'huge-oid-eku', policy: 'same' })
  const { app, auth, database } = await testApp(t, { config: { certificatePolicies: [P2], requireExplicitPolicy: true } })
  const post = (url: string, pem: string, h = auth.admin) => app.inject({ method: 'POST', url, headers: { ...h, 'content-type': 'application/x-pem-file' }, payload: pem })
  const untrusted = await post('/v1/certificates?unitCode=23221', fs.readFileSync(b.leaf, 'utf8'), auth.registrar)
  t.equal(untrusted.statusCode, 422, untrusted.body)
  t.equal((await post('/v1/trust-anchors', fs.readFileSync(b.root, 'utf8'))).statusCode, 201)
  t.equal((await post('/v1/intermediates', fs.readFileSync(b.ica, 'utf8'))).statusCode, 201)
  const refused = await post('/v1/certificates?unitCode=23221', fs.readFileSync(b.leaf, 'utf8'), auth.registrar)
  t.equal(refused.statusCode, 422)
  t.match(refused.json(), { problems: [{ code: 'untrusted_issuer', reason: 'policy' }] }, `the chain asserts ${P1} only`)
  // the defaults (anyPolicy, no explicit policy), as an unconfigured service has them
  setTrustPolicy(database.db, { policies: [], explicitPolicy: false })
  const ok = await post('/v1/certificates?unitCode=23221', fs.readFileSync(b.leaf, 'utf8'), auth.registrar)
  t.equal(ok.statusCode, 201, ok.body)
  // RFC 4055: a CRL signed with RSASSA-PSS is imported, and the leaf it revokes is refused
  const pss = make({ key: 'rsa', sig: 'pss', crl: 'pss-revoked' })
  t.equal((await post('/v1/trust-anchors', fs.readFileSync(pss.root, 'utf8'))).statusCode, 201)
  t.equal((await post('/v1/intermediates', fs.readFileSync(pss.ica, 'utf8'))).statusCode, 201)
  const imported = await post('/v1/crls', fs.readFileSync(pss.crls[0], 'utf8'), auth.registrar)
  t.equal(imported.statusCode, 200, imported.body)
  const revoked = await post('/v1/certificates?unitCode=23221', fs.readFileSync(pss.leaf, 'utf8'), auth.registrar)
  t.equal(revoked.statusCode, 422, revoked.body)
  t.match(revoked.json(), { problems: [{ code: 'revoked' }] })
})
