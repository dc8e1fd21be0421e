import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { parseCertificate } from '../../src/pki/index.ts'
import { issueCertificate } from '../../src/pki/issue.ts'
import { key, root, Y2020, Y2040 } from '../fixtures/pki/hierarchy.ts'

const dir = mkdtempSync(join(tmpdir(), 'kyso-names-'))
const opensslSubject = (pem: string) => {
  const f = join(dir, `c${Math.random()}.pem`)
  writeFileSync(f, pem)
  return execFileSync('openssl', ['x509', '-in', f, '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus'], { encoding: 'utf8' }).trim().replace(/^subject=/, '')
}

const selfSigned = (subject: Parameters<typeof issueCertificate>[0]['subject']) =>
  issueCertificate({ subject, key: key('names'), notBefore: Y2020, notAfter: Y2040, basicConstraints: { cA: true } })

t.test('Vietnamese UTF8String subject decodes as openssl shows it', async (t) => {
  const c = selfSigned([['C', 'VN'], ['ST', 'Bình Thuận'], ['L', 'Huyện Hàm Thuận Bắc'], ['O', 'Ủy ban nhân dân tỉnh Bình Thuận'], ['OU', 'Văn phòng'], ['OU', 'Phòng Tư pháp'], ['CN', 'UBND xã Hàm Đức']])
  t.same(c.cert.subject, { C: 'VN', ST: 'Bình Thuận', L: 'Huyện Hàm Thuận Bắc', O: 'Ủy ban nhân dân tỉnh Bình Thuận', OU: ['Văn phòng', 'Phòng Tư pháp'], CN: 'UBND xã Hàm Đức' })
  t.equal(c.cert.subjectAttributes.map((a) => `${a.type}=${a.value}`).join(','), opensslSubject(c.pem))
  t.equal(c.cert.subjectDn, 'CN=UBND xã Hàm Đức,OU=Phòng Tư pháp,OU=Văn phòng,O=Ủy ban nhân dân tỉnh Bình Thuận,L=Huyện Hàm Thuận Bắc,ST=Bình Thuận,C=VN')
})

t.test('BMPString subject is decoded (forge hands it over already decoded)', async (t) => {
  const c = selfSigned([['C', 'VN'], ['O', 'Ban Cơ yếu Chính phủ', 'bmp'], ['CN', 'UBND phường Phú Thủy', 'bmp']])
  t.equal(c.cert.subject.CN, 'UBND phường Phú Thủy')
  t.equal(c.cert.subject.O, 'Ban Cơ yếu Chính phủ')
  t.equal(c.cert.subjectAttributes.map((a) => `${a.type}=${a.value}`).join(','), opensslSubject(c.pem))
})

t.test('NFD text in the certificate is stored NFC', async (t) => {
  const nfd = 'UBND xã Hòa Thắng'.normalize('NFD')
  t.not(nfd, nfd.normalize('NFC'))
  for (const type of ['utf8', 'bmp'] as const) {
    const c = selfSigned([['C', 'VN'], ['CN', nfd, type]])
    t.equal(c.cert.subject.CN, 'UBND xã Hòa Thắng'.normalize('NFC'), type)
    t.equal(c.cert.subjectDn, 'CN=UBND xã Hòa Thắng,C=VN'.normalize('NFC'))
  }
})

t.test('old-style tone marks are kept as written (they differ in letters, not in normalisation)', async (t) => {
  const old = selfSigned([['CN', 'UBND xã Hoà Thắng']]).cert
  const modern = selfSigned([['CN', 'UBND xã Hòa Thắng']]).cert
  t.equal(old.subject.CN, 'UBND xã Hoà Thắng')
  t.equal(modern.subject.CN, 'UBND xã Hòa Thắng')
  t.not(old.subject.CN, modern.subject.CN)
  const thuy = selfSigned([['CN', 'Phú Thuỷ']]).cert
  t.equal(thuy.subject.CN, 'Phú Thuỷ')
})

t.test('TeletexString is read as Latin-1, PrintableString and IA5String as ASCII', async (t) => {
  const c = selfSigned([['C', 'VN', 'printable'], ['O', 'Société Générale', 'teletex'], ['E', 'vanthu@binhthuan.gov.vn', 'ia5'], ['CN', 'x']])
  t.equal(c.cert.subject.O, 'Société Générale')
  t.equal(c.cert.subject.E, 'vanthu@binhthuan.gov.vn')
  t.equal(c.cert.subjectAttributes.map((a) => `${a.type === 'E' ? 'emailAddress' : a.type}=${a.value}`).join(','), opensslSubject(c.pem))
})

t.test('invalid UTF-8 in a UTF8String is malformed', async (t) => {
  const good = selfSigned([['CN', 'Hà Nội']]).der
  const i = good.indexOf(Buffer.from('Hà Nội', 'utf8'))
  const bad = Buffer.from(good)
  bad[i + 1] = 0xff // break the two-byte sequence of "à"
  t.throws(() => parseCertificate(bad), { code: 'malformed' })
})

t.test('RFC 4514 escaping and repeated attributes', async (t) => {
  const c = selfSigned([['C', 'VN'], ['O', 'Sở Tài chính, tỉnh "Bình Thuận"'], ['OU', '#1'], ['OU', 'a+b'], ['CN', ' lead']]).cert
  t.equal(c.subjectDn, 'CN=\\ lead,OU=a\\+b,OU=\\#1,O=Sở Tài chính\\, tỉnh \\"Bình Thuận\\",C=VN')
  t.same(c.subject.OU, ['#1', 'a+b'])
  t.same(c.subjectAttributes[1], { type: 'O', value: 'Sở Tài chính, tỉnh "Bình Thuận"' })
})

t.test('key algorithms and sizes', async (t) => {
  const cases = [
    [{ type: 'rsa', bits: 2048 }, 'RSA', 2048, undefined],
    [{ type: 'rsa', bits: 4096 }, 'RSA', 4096, undefined],
    [{ type: 'ec', curve: 'P-256' }, 'EC', 256, 'P-256'],
    [{ type: 'ec', curve: 'P-384' }, 'EC', 384, 'P-384'],
  ] as const
  for (const [spec, alg, size, curve] of cases) {
    const r = root([['CN', `k ${alg}${size}`]], {}, key('k', spec))
    t.equal(r.cert.keyAlgorithm, alg)
    t.equal(r.cert.keySize, size)
    t.equal(r.cert.curve, curve)
    t.equal(r.cert.signatureAlgorithm, alg === 'RSA' ? 'sha256WithRSAEncryption' : 'ecdsa-with-SHA256')
    t.ok(r.cert.publicKeyDer.length > 50)
  }
})

t.test('serial numbers are lowercase hex without a leading 00 byte', async (t) => {
  const c = issueCertificate({ subject: [['CN', 's']], key: key('names'), serial: '00ff01', notBefore: Y2020, notAfter: Y2040 }).cert
  t.equal(c.serialNumber, 'ff01')
  t.equal(c.fingerprintSha256.length, 64)
})
