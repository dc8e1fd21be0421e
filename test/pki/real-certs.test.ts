import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { readFileSync, readdirSync } from 'node:fs'
import t from 'tap'
import { readCertificates, verifyCertificate, type Certificate } from '../../src/pki/index.ts'

const DIR = path.resolve(import.meta.dirname, '../fixtures/real-certs') + path.sep
const files = readdirSync(DIR).filter((f) => f.endsWith('.pem')).sort()
const certs: Record<string, Certificate> = {}
for (const f of files) certs[f.replace(/\.pem$/, '')] = readCertificates(readFileSync(DIR + f))[0]

const OPENSSL_NAMES: Record<string, string> = { E: 'emailAddress' }

function opensslName(file: string, which: 'subject' | 'issuer'): string {
  const out = execFileSync('openssl', ['x509', '-in', DIR + file, '-noout', `-${which}`, '-nameopt', 'utf8,sep_comma_plus'], { encoding: 'utf8' })
  return out.trim().replace(new RegExp(`^${which}=`), '')
}

t.test('27 certificates, each read once, fingerprints as in SOURCES.md', async (t) => {
  t.equal(files.length, 27)
  const sources = readFileSync(DIR + 'SOURCES.md', 'utf8')
  for (const [name, c] of Object.entries(certs)) {
    t.match(sources, `| \`${name}.pem\``)
    t.ok(sources.includes(`\`${c.fingerprintSha256}\``), `${name} fingerprint listed`)
  }
})

t.test('subjects and issuers decode exactly as openssl prints them', async (t) => {
  for (const f of files) {
    const c = certs[f.replace(/\.pem$/, '')]
    const derOrder = c.subjectAttributes.map((a) => `${OPENSSL_NAMES[a.type] ?? a.type}=${a.value}`).join(',')
    t.equal(derOrder, opensslName(f, 'subject'), `${f} subject`)
    // issuerDn is RFC 4514 (reversed); none of these names needs escaping.
    t.equal(c.issuerDn.split(',').reverse().join(','), opensslName(f, 'issuer'), `${f} issuer`)
    t.equal(c.subjectDn.normalize('NFC'), c.subjectDn)
  }
})

t.test('field values of a G1 leaf', async (t) => {
  const c = certs['org-chi-cuc-thue-q12-hoc-mon']
  t.same(c.subject, {
    C: 'VN', O: 'Bộ Tài chính', OU: ['Tổng Cục thuế', 'Cục thuế Thành phố Hồ Chí Minh'], L: 'Hà Nội',
    CN: 'Chi cục thuế Khu vực Quận 12 - Huyện Hóc Môn', UID: 'MST:0301519977-029',
  })
  t.equal(c.subjectDn, 'UID=MST:0301519977-029,CN=Chi cục thuế Khu vực Quận 12 - Huyện Hóc Môn,L=Hà Nội,OU=Cục thuế Thành phố Hồ Chí Minh,OU=Tổng Cục thuế,O=Bộ Tài chính,C=VN')
  t.equal(c.serialNumber, '6b6c55')
  t.equal(c.keyAlgorithm, 'RSA')
  t.equal(c.keySize, 2048)
  t.equal(c.signatureAlgorithm, 'sha256WithRSAEncryption')
  t.same(c.keyUsage, ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment'])
  t.same(c.extKeyUsage, ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.4', '1.3.6.1.4.1.311.20.2.2'])
  t.equal(c.basicConstraints?.cA, false)
  t.equal(c.authorityKeyId, '9e389ad62995896a057f2aff5f0197b4573066b2')
  t.equal(c.notBefore.toISOString(), '2020-09-15T07:53:56.000Z')
  t.equal(certs['vgca-g2-root'].notAfter.toISOString(), '2048-08-14T07:36:39.000Z')
  t.equal(certs['org-cuc-thue'].keySize, 3072)
  t.equal(certs['vgca-g1-bng'].keySize, 4096)
  t.equal(certs['vgca-g1-root'].serialNumber, 'ff303ae4e90ac1ed')
  t.equal(certs['vgca-g1-cp'].serialNumber, '04') // whole bytes, as `openssl x509 -serial` prints it
  t.ok(certs['vgca-g1-root'].isSelfIssued)
  t.notOk(certs['vgca-g1-cp'].isSelfIssued)
})

type Chain = [leaf: string, anchor: string, intermediates: string[]]
const G1 = 'vgca-g1-root'
const G2 = 'vgca-g2-root'
const MIC = 'nonvgca-mic-national-root-ca'
const chains: Chain[] = [
  ['org-tong-cuc-thue', G2, ['vgca-g2-ca-nha-nuoc']],
  ['org-cuc-thue', G2, ['vgca-g2-ca-nha-nuoc']],
  ['org-chi-cuc-thue-tp-thu-duc', G2, ['vgca-g2-ca-nha-nuoc']],
  ['org-chi-cuc-thue-q12-hoc-mon', G1, ['vgca-g1-btc']],
  ['org-chi-cuc-thue-hong-bang-an-duong', G1, ['vgca-g1-btc']],
  ['org-vgca-license-key-generator', G1, ['vgca-g1-cp']],
  ['test-vgca-mobile-test-03', G1, ['vgca-g1-cp']],
]
const allCas = Object.keys(certs).filter((n) => certs[n].basicConstraints?.cA && !certs[n].isSelfIssued)
const allRoots = Object.keys(certs).filter((n) => certs[n].isSelfIssued)

t.test('every leaf chain verifies at its notBefore, as a signing certificate', async (t) => {
  for (const [leaf, anchor, inter] of chains) {
    for (const [anchors, intermediates] of [[[anchor], inter], [allRoots, allCas]] as const) {
      const r = verifyCertificate(certs[leaf], { anchors: anchors.map((a) => certs[a]), intermediates: intermediates.map((i) => certs[i]), at: certs[leaf].notBefore, profile: 'signing' })
      t.ok(r.ok, `${leaf} verifies with ${anchors.length} anchors`)
      t.same(r.problems, [])
      t.same(r.path.map((c) => c.fingerprintSha256), [leaf, ...inter, anchor].map((n) => certs[n].fingerprintSha256))
      const sha1 = r.warnings.filter((w) => w.code === 'weak_signature_algorithm')
      if (anchor === G1) t.ok(sha1.length > 0, `${leaf}: SHA-1 in the G1 chain is a warning`)
      else t.equal(sha1.length, 0)
    }
  }
})

t.test('the leaf chain sent along with the leaf, as one PEM upload', async (t) => {
  const pem = ['org-chi-cuc-thue-q12-hoc-mon', 'vgca-g1-btc'].map((n) => readFileSync(`${DIR}${n}.pem`, 'utf8')).join('\n')
  const [leaf, ...chain] = readCertificates(pem)
  const r = verifyCertificate(leaf, { anchors: [certs[G1]], intermediates: chain, at: leaf.notBefore, profile: 'signing' })
  t.ok(r.ok)
  t.equal(r.path.length, 3)
})

t.test('every subordinate CA verifies under its root (rfc5280 profile)', async (t) => {
  const subs: [string, string][] = [
    ['vgca-g1-cp', G1], ['vgca-g1-btc', G1], ['vgca-g1-bca', G1], ['vgca-g1-dcs', G1], ['vgca-g1-bng', G1],
    ['vgca-g2-ca-nha-nuoc', G2], ['vgca-g2-ca-dang', G2],
    ['nonvgca-vnpt-ca-sha2', 'nonvgca-vietnam-national-root-ca'],
    ['nonvgca-vnpt-ca', MIC], ['nonvgca-viettel-ca', MIC], ['nonvgca-bkav-ca', MIC], ['nonvgca-fpt-ca', MIC],
    ['nonvgca-ca2-nacencomm', MIC], ['nonvgca-newtel-ca', MIC], ['nonvgca-smartsign', MIC], ['nonvgca-safe-ca', MIC],
  ]
  for (const [sub, anchor] of subs) {
    const r = verifyCertificate(certs[sub], { anchors: [certs[anchor]], intermediates: [], at: certs[sub].notBefore, profile: 'rfc5280' })
    t.ok(r.ok, `${sub} under ${anchor}`)
    t.same(r.problems, [])
  }
  for (const r of allRoots) {
    const res = verifyCertificate(certs[r], { anchors: [certs[r]], intermediates: [], at: certs[r].notBefore, profile: 'rfc5280' })
    t.ok(res.ok, `${r} as its own anchor`)
  }
})

t.test('a CA certificate is refused as a signing certificate', async (t) => {
  const r = verifyCertificate(certs['vgca-g1-cp'], { anchors: [certs[G1]], intermediates: [], at: certs['vgca-g1-cp'].notBefore, profile: 'signing' })
  t.notOk(r.ok)
  t.ok(r.problems.some((p) => p.code === 'ca_certificate'))
  t.ok(r.problems.some((p) => p.code === 'key_usage'))
})

t.test('negative controls from SOURCES.md fail', async (t) => {
  const cases: [string, string[], string[], Date | null, string][] = [
    ['org-tong-cuc-thue', [G1], ['vgca-g1-cp'], null, 'untrusted_issuer'],
    ['org-chi-cuc-thue-q12-hoc-mon', [G1], ['vgca-g1-cp'], null, 'untrusted_issuer'],
    ['vgca-g2-ca-nha-nuoc', ['nonvgca-vietnam-national-root-ca'], [], new Date('2026-11-26T00:00:00Z'), 'untrusted_issuer'],
    ['vgca-g1-cp', [MIC], [], new Date('2026-11-26T00:00:00Z'), 'untrusted_issuer'],
    ['org-tong-cuc-thue', [G2], ['vgca-g2-ca-nha-nuoc'], new Date('2026-11-26T00:00:00Z'), 'expired'],
  ]
  for (const [leaf, anchors, inter, at, code] of cases) {
    const r = verifyCertificate(certs[leaf], { anchors: anchors.map((a) => certs[a]), intermediates: inter.map((i) => certs[i]), at: at ?? certs[leaf].notBefore, profile: 'rfc5280' })
    t.notOk(r.ok, `${leaf} under ${anchors.join(',')}`)
    t.ok(r.problems.some((p) => p.code === code), `${leaf}: ${code}`)
    t.ok(r.problems.every((p) => p.message.length > 20 && !p.message.includes('undefined')))
  }
  // The G1 root's subordinates are not found under G2 even when all CAs are offered.
  const r = verifyCertificate(certs['org-chi-cuc-thue-q12-hoc-mon'], { anchors: [certs[G2], certs[MIC]], intermediates: allCas.map((n) => certs[n]), at: certs['org-chi-cuc-thue-q12-hoc-mon'].notBefore, profile: 'signing' })
  t.notOk(r.ok)
  t.equal(r.problems[0].code, 'untrusted_issuer')
})
