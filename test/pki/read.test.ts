import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { PkiInputError, readCertificates, readCrl, toPem } from '../../src/pki/index.ts'
import { issueCrl } from '../../src/pki/issue.ts'
import { hierarchy, AT } from '../fixtures/pki/hierarchy.ts'

const h = hierarchy()
const dir = mkdtempSync(join(tmpdir(), 'kyso-read-'))
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir })

const refusesKey = (body: Buffer | string, what: string) => {
  let err: unknown
  try { readCertificates(body) } catch (e) { err = e }
  if (!(err instanceof PkiInputError) || err.code !== 'private_key_material') throw new Error(`${what}: not refused as private key (${String(err)})`)
  return err
}

t.test('PEM, DER, base64 without armour, and a chain in one PEM', async (t) => {
  t.equal(readCertificates(h.leaf.pem)[0].fingerprintSha256, h.leaf.cert.fingerprintSha256)
  t.equal(readCertificates(h.leaf.der)[0].fingerprintSha256, h.leaf.cert.fingerprintSha256)
  t.equal(readCertificates(h.leaf.der.toString('base64'))[0].fingerprintSha256, h.leaf.cert.fingerprintSha256)
  t.equal(readCertificates(Buffer.from(h.leaf.der.toString('base64')))[0].fingerprintSha256, h.leaf.cert.fingerprintSha256)
  const chain = readCertificates(`subject=whatever openssl printed\n${h.leaf.pem}\n${h.ca.pem}${h.root.pem}`)
  t.same(chain.map((c) => c.fingerprintSha256), [h.leaf, h.ca, h.root].map((n) => n.cert.fingerprintSha256))
  t.equal(toPem(h.leaf.der), h.leaf.pem)
})

t.test('private keys are refused, in every form, even beside a certificate', async (t) => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const blocks = {
    'PRIVATE KEY': rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    'ENCRYPTED PRIVATE KEY': rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'x' }) as string,
    'RSA PRIVATE KEY': rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    'EC PRIVATE KEY': ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string,
  }
  for (const [label, pem] of Object.entries(blocks)) {
    t.match(pem, `-----BEGIN ${label}-----`)
    const err = refusesKey(h.leaf.pem + pem, label)
    t.notMatch(err.message, /MII/, 'the message never quotes the input')
    refusesKey(pem + h.leaf.pem, `${label} first`)
  }
  refusesKey(rsa.privateKey.export({ type: 'pkcs8', format: 'der' }), 'PKCS#8 DER')
  refusesKey(rsa.privateKey.export({ type: 'pkcs1', format: 'der' }), 'PKCS#1 DER')
  refusesKey(ec.privateKey.export({ type: 'sec1', format: 'der' }), 'SEC1 DER')
  refusesKey((rsa.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64'), 'bare base64 PKCS#8')
  const dsa = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 })
  refusesKey(`-----BEGIN DSA PRIVATE KEY-----\n${(dsa.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64')}\n-----END DSA PRIVATE KEY-----\n`, 'DSA')
  t.pass('all refused')
})

t.test('CSRs, CRLs and other things given as a certificate are malformed', async (t) => {
  writeFileSync(join(dir, 'leaf.key'), h.leaf.key.privateKey.export({ type: 'pkcs8', format: 'pem' }))
  openssl('req', '-new', '-key', 'leaf.key', '-subj', '/C=VN/CN=UBND xa Hoa Thang', '-out', 'req.pem')
  openssl('req', '-in', 'req.pem', '-outform', 'DER', '-out', 'req.der')
  const crl = issueCrl({ issuer: h.ca.cert, key: h.ca.key.privateKey, thisUpdate: AT, revoked: [] })
  const bodies: [string, Buffer | string][] = [
    ['CSR PEM', readFileSync(join(dir, 'req.pem'), 'utf8')],
    ['CSR DER', readFileSync(join(dir, 'req.der'))],
    ['CRL PEM', crl.pem],
    ['CRL DER', crl.der],
    ['public key', h.leaf.key.publicKey.export({ type: 'spki', format: 'pem' })],
    ['empty', ''],
    ['empty buffer', Buffer.alloc(0)],
    ['whitespace', '  \n'],
    ['garbage', Buffer.from([0x13, 0x37, 0x00, 0xff, 0x10])],
    ['text', 'hello, this is not a certificate'],
    ['trailing bytes', Buffer.concat([h.leaf.der, Buffer.from([0])])],
    ['two DER certificates glued', Buffer.concat([h.leaf.der, h.ca.der])],
    ['truncated DER', h.leaf.der.subarray(0, h.leaf.der.length - 10)],
    ['broken base64', h.leaf.pem.replace(/\n([A-Za-z0-9+/]{10})/, '\n$1!')],
    ['bad base64 padding', h.leaf.der.toString('base64') + '='],
    ['BEGIN without END', h.leaf.pem.replace('-----END CERTIFICATE-----', '')],
    ['DER with an indefinite length', Buffer.concat([Buffer.from([0x30, 0x80]), h.leaf.der.subarray(4), Buffer.from([0, 0])])],
  ]
  for (const [what, body] of bodies) {
    t.throws(() => readCertificates(body), { name: 'PkiInputError', code: 'malformed' }, what)
  }
  t.throws(() => readCertificates(readFileSync(join(dir, 'req.pem'), 'utf8')), /signing request/)
  t.throws(() => readCertificates(crl.der), /revocation list/)
})

t.test('PKCS#7 bundles made by openssl crl2pkcs7, PEM and DER', async (t) => {
  writeFileSync(join(dir, 'chain.pem'), h.leaf.pem + h.ca.pem + h.root.pem)
  openssl('crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-out', 'chain.p7b')
  openssl('crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-outform', 'DER', '-out', 'chain.p7c')
  const want = [h.leaf, h.ca, h.root].map((n) => n.cert.fingerprintSha256)
  const pem = readFileSync(join(dir, 'chain.p7b'), 'utf8')
  t.match(pem, '-----BEGIN PKCS7-----')
  t.same(readCertificates(pem).map((c) => c.fingerprintSha256), want)
  t.same(readCertificates(readFileSync(join(dir, 'chain.p7c'))).map((c) => c.fingerprintSha256), want)
})

t.test('PKCS#7 with EC certificates (forge cannot read these)', async (t) => {
  const { root, ca, leaf, key } = await import('../fixtures/pki/hierarchy.ts')
  const r = root([['CN', 'EC root']], {}, key('ecroot', { type: 'ec', curve: 'P-384' }))
  const c = ca(r, [['CN', 'EC CA']], {}, key('ecca', { type: 'ec', curve: 'P-256' }))
  const l = leaf(c, [['CN', 'EC leaf']], {}, key('ecleaf', { type: 'ec', curve: 'P-256' }))
  writeFileSync(join(dir, 'ec.pem'), l.pem + c.pem)
  openssl('crl2pkcs7', '-nocrl', '-certfile', 'ec.pem', '-outform', 'DER', '-out', 'ec.p7c')
  const certs = readCertificates(readFileSync(join(dir, 'ec.p7c')))
  t.same(certs.map((x) => x.curve), ['P-256', 'P-256'])
})

t.test('readCrl takes PEM and DER, and refuses certificates', async (t) => {
  const crl = issueCrl({ issuer: h.ca.cert, key: h.ca.key.privateKey, thisUpdate: AT, nextUpdate: new Date('2024-07-01T00:00:00Z'), revoked: [{ serial: h.leaf.cert.serialNumber, date: AT, reason: 'keyCompromise' }] })
  for (const body of [crl.pem, crl.der]) {
    const c = readCrl(body)
    t.equal(c.issuerDn, h.ca.cert.subjectDn)
    t.same(c.entries, [{ serialNumber: h.leaf.cert.serialNumber, revokedAt: AT, reason: 'keyCompromise' }])
    t.equal(c.thisUpdate.toISOString(), AT.toISOString())
    t.equal(c.authorityKeyId, h.ca.cert.subjectKeyId)
  }
  t.throws(() => readCrl(h.leaf.pem), { code: 'malformed' })
  t.throws(() => readCrl(h.leaf.der), { code: 'malformed' })
  t.throws(() => readCrl('garbage'), { code: 'malformed' })
})

t.test('damaged input only ever fails as PkiInputError (fast-check)', async (t) => {
  const fc = (await import('fast-check')).default
  const der = h.leaf.der
  fc.assert(fc.property(fc.integer({ min: 0, max: der.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: der.length }), (i, b, cut) => {
    for (const body of [Buffer.concat([der.subarray(0, i), Buffer.from([b]), der.subarray(i + 1)]), der.subarray(0, cut)]) {
      try {
        readCertificates(body)
      } catch (e) {
        if (!(e instanceof PkiInputError)) throw e
      }
    }
  }), { numRuns: 2000 })
  t.pass()
})
