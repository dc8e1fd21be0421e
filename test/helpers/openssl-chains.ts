/**
 * Chains made by the openssl command line, one variation of each class at a time or several
 * combined, with the verdict RFC 5280 gives and the one OpenSSL is known to give. Used by the
 * property test (test/pki/rfc5280-openssl.test.ts) and by scripts/rfc5280-agreement.ts.
 * Every certificate and CRL is made here, at run time; nothing is a fixed blob.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const KEYS = ['ec', 'rsa', 'mixed', 'rsa-pss-leaf'] as const
export const SIGS = ['pkcs1', 'pss'] as const
export const HASHES = ['sha256', 'sha384', 'sha512'] as const
export const CONSTRAINTS = ['none', 'ica-no-ku', 'root-pathlen0', 'leaf-pathlen', 'nc-noncritical', 'nc-ok', 'nc-violated', 'ica-not-ca', 'unknown-critical', 'huge-oid-ext', 'huge-oid-eku', 'huge-oid-name', 'leaf-no-ku'] as const
export const NAMES = ['plain', 'ascii-case', 'casefold-vi', 'nfd'] as const
export const VALIDITIES = ['ok', 'expired', 'at-notafter', 'not-yet'] as const
export const CRLS = ['none', 'good', 'revoked', 'v1-good', 'v1-revoked', 'stale', 'bad-sig', 'no-crlsign', 'serial-sign', 'pss-revoked'] as const
export const POLICIES = ['none', 'same', 'require-explicit-missing', 'mapping', 'inhibit-any', 'user-mismatch', 'user-match'] as const

export type Variation = {
  key: typeof KEYS[number]
  sig: typeof SIGS[number]
  hash: typeof HASHES[number]
  constraint: typeof CONSTRAINTS[number]
  name: typeof NAMES[number]
  validity: typeof VALIDITIES[number]
  crl: typeof CRLS[number]
  policy: typeof POLICIES[number]
}

export const BASE: Variation = { key: 'ec', sig: 'pkcs1', hash: 'sha256', constraint: 'none', name: 'plain', validity: 'ok', crl: 'none', policy: 'none' }

/** [RFC 5280 accepts, OpenSSL 3.0 verify -x509_strict accepts] for each value; differing pairs are the documented disagreements. */
const VERDICTS: Record<string, [boolean, boolean]> = {
  'constraint:none': [true, true],
  'constraint:ica-no-ku': [false, false],
  'constraint:root-pathlen0': [false, false],
  'constraint:leaf-pathlen': [false, false],
  'constraint:nc-noncritical': [false, true],
  'constraint:nc-ok': [true, true],
  'constraint:nc-violated': [false, false],
  'constraint:ica-not-ca': [false, false],
  'constraint:unknown-critical': [false, false],
  'constraint:huge-oid-ext': [true, true],
  'constraint:huge-oid-eku': [true, true],
  'constraint:huge-oid-name': [true, true],
  'constraint:leaf-no-ku': [true, true],
  'name:plain': [true, true],
  'name:ascii-case': [true, true],
  'name:casefold-vi': [true, false],
  'name:nfd': [true, false],
  'validity:ok': [true, true],
  'validity:expired': [false, false],
  'validity:at-notafter': [true, false],
  'validity:not-yet': [false, false],
  'crl:none': [true, true],
  'crl:good': [true, true],
  'crl:revoked': [false, false],
  'crl:v1-good': [true, true],
  'crl:v1-revoked': [false, false],
  'crl:stale': [false, false],
  'crl:bad-sig': [false, false],
  'crl:no-crlsign': [false, false],
  'crl:serial-sign': [true, true],
  'crl:pss-revoked': [false, false],
  'policy:none': [true, true],
  'policy:same': [true, true],
  'policy:require-explicit-missing': [false, false],
  'policy:mapping': [true, true],
  'policy:inhibit-any': [false, false],
  'policy:user-mismatch': [false, false],
  'policy:user-match': [true, true],
}

/** The RFC 5280 sections each rejecting or disagreeing value rests on. */
export const SECTIONS: Record<string, string> = {
  'constraint:ica-no-ku': '4.2.1.3', 'constraint:root-pathlen0': '4.2.1.9, 6.1.4 (m)', 'constraint:leaf-pathlen': '4.2.1.9',
  'constraint:nc-noncritical': '4.2.1.10', 'constraint:nc-violated': '4.2.1.10, 6.1.3 (b)', 'constraint:ica-not-ca': '6.1.4 (k)',
  'constraint:unknown-critical': '4.2, 6.1.4 (o)', 'constraint:huge-oid-ext': '4.1.2.9 (X.667 arcs)', 'name:casefold-vi': '7.1 (RFC 4518 case folding)',
  'name:nfd': '7.1 (RFC 4518 normalisation)', 'validity:at-notafter': '4.1.2.5 (the validity period includes notAfter)',
  'validity:expired': '6.1.3 (a)(2)', 'validity:not-yet': '6.1.3 (a)(2)', 'crl:revoked': '6.3.3', 'crl:v1-revoked': '5, 6.3.3',
  'crl:v1-good': '5 (version 1 CRLs)', 'crl:stale': '6.3.3 (a)(2)', 'crl:bad-sig': '6.3.3 (g)', 'crl:no-crlsign': '6.3.3 (f), 4.2.1.3',
  'crl:serial-sign': '4.1.2.2, 5.1.2.6', 'crl:pss-revoked': 'RFC 4055, 6.3.3', 'policy:require-explicit-missing': '6.1.4 (i), 6.1.3 (f)',
  'policy:mapping': '6.1.4 (b)', 'policy:inhibit-any': '6.1.4 (j), 6.1.3 (d)(2)', 'policy:user-mismatch': '6.1.5 (g)', 'policy:user-match': '6.1.5 (g)',
}

export const CLASSES = ['key', 'sig', 'hash', 'constraint', 'name', 'validity', 'crl', 'policy'] as const

/** Makes the variation consistent: PSS needs RSA issuers; a PSS-signed CRL needs an RSA CA. */
export function normalise(v: Variation): Variation {
  const out = { ...v }
  const rsaIssuers = out.key === 'rsa' || out.key === 'rsa-pss-leaf'
  if (!rsaIssuers) {
    if (out.sig === 'pss') out.sig = 'pkcs1'
    if (out.crl === 'pss-revoked') out.key = 'rsa'
  }
  return out
}

export function expected(v: Variation): { rfc: boolean; openssl: boolean; disagreements: string[] } {
  let rfc = true
  let openssl = true
  const disagreements: string[] = []
  for (const cls of ['constraint', 'name', 'validity', 'crl', 'policy'] as const) {
    const k = `${cls}:${v[cls]}`
    const [r, o] = VERDICTS[k]
    rfc &&= r
    openssl &&= o
    if (r !== o) disagreements.push(k)
  }
  return { rfc, openssl, disagreements }
}

export const P1 = '1.3.6.1.4.1.55555.1'
export const P2 = '1.3.6.1.4.1.55555.2'
export const HUGE_OID = '2.25.329800735698586629295641978511506172918'

type Keys = { ec: string; ec384: string; rsa: string[]; rsaPss: string }

const run = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })

/** Keys are the slow part: made once per directory and reused by every case. */
export function makeKeys(dir: string): Keys {
  const f = (n: string) => path.join(dir, n)
  if (!fs.existsSync(f('ec.key'))) {
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('ec.key')], dir)
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', f('ec384.key')], dir)
    for (const i of [0, 1, 2]) run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', f(`rsa${i}.key`)], dir)
    run(['genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', f('pss.key')], dir)
  }
  return { ec: f('ec.key'), ec384: f('ec384.key'), rsa: [0, 1, 2].map((i) => f(`rsa${i}.key`)), rsaPss: f('pss.key') }
}

export type Built = {
  variation: Variation
  dir: string
  root: string
  ica: string
  leaf: string
  crls: string[]
  at: Date
  policies: string[]
  explicitPolicy: boolean
}

function keysFor(v: Variation, k: Keys): { root: string; ica: string; leaf: string } {
  switch (v.key) {
    case 'ec': return { root: k.ec384, ica: k.ec, leaf: k.ec }
    case 'rsa': return { root: k.rsa[0], ica: k.rsa[1], leaf: k.rsa[2] }
    case 'mixed': return { root: k.ec384, ica: k.rsa[1], leaf: k.ec }
    case 'rsa-pss-leaf': return { root: k.rsa[0], ica: k.rsa[1], leaf: k.rsaPss }
  }
}

function sections(v: Variation): string {
  const c = v.constraint
  const ica = [
    c === 'ica-not-ca' ? 'basicConstraints = critical,CA:false' : 'basicConstraints = critical,CA:true',
    ...(c === 'ica-no-ku' ? [] : [`keyUsage = critical,keyCertSign${v.crl === 'no-crlsign' ? '' : ',cRLSign'}`]),
    'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
    ...(c === 'nc-noncritical' ? ['nameConstraints = permitted;DNS:example.com'] : []),
    ...(c === 'nc-ok' || c === 'nc-violated' ? ['nameConstraints = critical,permitted;DNS:example.com'] : []),
    ...(v.policy === 'same' || v.policy === 'user-mismatch' || v.policy === 'user-match' || v.policy === 'mapping' ? [`certificatePolicies = ${P1}`] : []),
    ...(v.policy === 'require-explicit-missing' ? [`certificatePolicies = ${P1}`, 'policyConstraints = critical,requireExplicitPolicy:0'] : []),
    ...(v.policy === 'mapping' ? [`policyMappings = critical,${P1}:${P2}`] : []),
    ...(v.policy === 'inhibit-any' ? ['certificatePolicies = 2.5.29.32.0', 'inhibitAnyPolicy = critical,0'] : []),
  ]
  const leafPolicy = v.policy === 'mapping' ? P2 : v.policy === 'inhibit-any' ? '2.5.29.32.0' : P1
  const leaf = [
    c === 'leaf-pathlen' ? 'basicConstraints = critical,CA:false,pathlen:0' : 'basicConstraints = critical,CA:false',
    ...(c === 'leaf-no-ku' ? [] : ['keyUsage = critical,digitalSignature,nonRepudiation']),
    'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
    ...(c === 'nc-ok' || c === 'nc-noncritical' ? ['subjectAltName = DNS:a.example.com'] : c === 'nc-violated' ? ['subjectAltName = DNS:evil.example.org'] : []),
    ...(c === 'unknown-critical' ? ['1.3.6.1.4.1.55555.9 = critical,ASN1:NULL'] : []),
    ...(c === 'huge-oid-ext' ? [`${HUGE_OID} = ASN1:UTF8String:x`] : []),
    ...(c === 'huge-oid-eku' ? [`extendedKeyUsage = clientAuth,${HUGE_OID}`] : []),
    ...(v.policy !== 'none' && v.policy !== 'require-explicit-missing' ? [`certificatePolicies = ${leafPolicy}`] : []),
  ]
  return [
    'oid_section = oids', '[req]', 'distinguished_name = dn', 'string_mask = utf8only', '[dn]',
    '[root]', `basicConstraints = critical,CA:true${v.constraint === 'root-pathlen0' ? ',pathlen:0' : ''}`, 'keyUsage = critical,keyCertSign,cRLSign', 'subjectKeyIdentifier = hash',
    '[ica]', ...ica,
    '[leaf]', ...leaf,
    '[ca]', 'default_ca = ca_default', '[ca_default]', 'database = index.txt', `default_md = ${v.hash}`, 'default_crl_days = 30',
    ...(v.crl.startsWith('v1') ? [] : ['crlnumber = crlnumber', 'crl_extensions = crl_ext']),
    '[crl_ext]', 'authorityKeyIdentifier = keyid',
    '[oids]', `hugeAttr = ${HUGE_OID}`,
  ].join('\n') + '\n'
}

function subjects(v: Variation): { ica: string; icaAsIssuer: string; leaf: string } {
  const leaf = v.constraint === 'huge-oid-name' ? '/O=Xã Tân Hà/CN=Leaf/hugeAttr=extra' : '/O=Xã Tân Hà/CN=Leaf'
  switch (v.name) {
    case 'plain': return { ica: '/O=Ban Cơ yếu/CN=Issuing CA', icaAsIssuer: '/O=Ban Cơ yếu/CN=Issuing CA', leaf }
    case 'ascii-case': return { ica: '/O=Ban Co yeu/CN=Issuing CA', icaAsIssuer: '/O=BAN CO YEU/CN=issuing ca', leaf }
    case 'casefold-vi': return { ica: '/O=Ủy Ban Cơ Yếu/CN=Issuing CA', icaAsIssuer: '/O=ủy ban cơ yếu/CN=issuing ca', leaf }
    case 'nfd': return { ica: '/O=Ban Cơ yếu/CN=Issuing CA', icaAsIssuer: '/O=Ban Cơ yếu'.normalize('NFD') + '/CN=Issuing CA', leaf }
  }
}

const ymd = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'

let counter = 0

/** Builds one case in a fresh folder under `base`, with keys from `keys`. */
export function build(base: string, keys: Keys, input: Variation): Built {
  const v = normalise(input)
  const dir = fs.mkdtempSync(path.join(base, 'case-'))
  const k = keysFor(v, keys)
  const f = (n: string) => path.join(dir, n)
  fs.writeFileSync(f('ext.cnf'), sections(v))
  const sigopt = v.sig === 'pss' ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'] : []
  const req = (args: string[]) => run(['req', '-x509', '-new', '-utf8', '-config', 'ext.cnf', `-${v.hash}`, ...args], dir)
  const s = subjects(v)
  req(['-key', k.root, '-subj', '/O=Kyso Test/CN=Root CA', '-days', '3650', '-extensions', 'root', '-set_serial', '1', '-out', 'root.pem'])
  req(['-key', k.ica, '-CA', 'root.pem', '-CAkey', k.root, ...sigopt, '-subj', s.ica, '-days', '3650', '-extensions', 'ica', '-set_serial', '2', '-out', 'ica.pem'])
  // The leaf's issuer name comes from the certificate given as -CA: a copy of the CA under the name variant, same key.
  let issuerCert = 'ica.pem'
  if (s.icaAsIssuer !== s.ica) {
    req(['-key', k.ica, '-CA', 'root.pem', '-CAkey', k.root, '-subj', s.icaAsIssuer, '-days', '3650', '-extensions', 'ica', '-set_serial', '3', '-out', 'ica-name.pem'])
    issuerCert = 'ica-name.pem'
  }
  const serial = v.crl === 'serial-sign' ? '-1' : String(4096 + (++counter % 100000))
  const leafDays = v.validity === 'expired' || v.validity === 'at-notafter' ? '2' : '365'
  req(['-key', k.leaf, '-CA', issuerCert, '-CAkey', k.ica, ...sigopt, '-subj', s.leaf, '-days', leafDays, '-extensions', 'leaf', '-set_serial', serial, '-out', 'leaf.pem'])

  const now = Date.now()
  const notAfter = new Date(execFileSync('openssl', ['x509', '-in', f('leaf.pem'), '-noout', '-enddate']).toString().trim().replace('notAfter=', ''))
  const at = v.validity === 'expired'
    ? new Date(notAfter.getTime() + 86400_000)
    : v.validity === 'at-notafter'
      ? notAfter
      : v.validity === 'not-yet'
        ? new Date(now - 86400_000)
        : new Date(Math.floor(now / 1000) * 1000 + 86400_000)

  const crls: string[] = []
  if (v.crl !== 'none') {
    const revokedSerial = v.crl === 'serial-sign' ? 'FF' : (Number(serial) >>> 0).toString(16).toUpperCase().padStart(4, '0')
    const revoked = v.crl === 'revoked' || v.crl === 'v1-revoked' || v.crl === 'pss-revoked' || v.crl === 'serial-sign'
    fs.writeFileSync(f('index.txt'), revoked ? `R\t${ymd(new Date(now + 400 * 86400_000))}\t${ymd(new Date(now))}\t${revokedSerial}\tunknown\t/CN=Leaf\n` : '')
    fs.writeFileSync(f('crlnumber'), '01\n')
    const crlSig = v.crl === 'pss-revoked' ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'] : []
    const hours = v.crl === 'stale' ? ['-crlhours', '1'] : []
    run(['ca', '-gencrl', '-batch', '-config', 'ext.cnf', '-keyfile', k.ica, '-cert', 'ica.pem', ...crlSig, ...hours, '-out', 'crl.pem'], dir)
    if (v.crl === 'bad-sig') {
      const pem = fs.readFileSync(f('crl.pem'), 'utf8')
      const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64')
      der[der.length - 5] ^= 0x01
      fs.writeFileSync(f('crl.pem'), `-----BEGIN X509 CRL-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END X509 CRL-----\n`)
    }
    crls.push(f('crl.pem'))
  }
  const userPolicy = v.policy === 'user-mismatch' ? [P2] : v.policy === 'user-match' || v.policy === 'mapping' ? [P1] : []
  const explicitPolicy = userPolicy.length > 0 || v.policy === 'inhibit-any'
  return { variation: v, dir, root: f('root.pem'), ica: f('ica.pem'), leaf: f('leaf.pem'), crls, at, policies: userPolicy, explicitPolicy }
}

/** `openssl verify -x509_strict`, with -policy_check (RFC 5280 6.1 processing) and -crl_check when CRLs are given. */
export function opensslVerify(b: Built): { ok: boolean; output: string } {
  const args = ['verify', '-x509_strict', '-policy_check', '-attime', String(Math.floor(b.at.getTime() / 1000)), '-CAfile', b.root, '-untrusted', b.ica]
  for (const p of b.policies) args.push('-policy', p)
  if (b.explicitPolicy) args.push('-explicit_policy')
  if (b.crls.length) args.push('-crl_check', ...b.crls.flatMap((c) => ['-CRLfile', c]))
  args.push(b.leaf)
  const r = spawnSync('openssl', args, { encoding: 'utf8' })
  return { ok: r.status === 0, output: (r.stdout + r.stderr).trim() }
}

/** One JSON line for `kyso verify --jsonl` (profile rfc5280). */
export function kysoLine(b: Built, id: string): string {
  const read = (p: string) => fs.readFileSync(p, 'utf8')
  return JSON.stringify({
    id,
    trusted: [read(b.root)],
    intermediates: [read(b.ica)],
    leaf: read(b.leaf),
    at: b.at.toISOString(),
    crls: b.crls.map(read),
    profile: 'rfc5280',
    ...(b.policies.length ? { policies: b.policies } : {}),
    ...(b.explicitPolicy ? { explicitPolicy: true } : {}),
  })
}

export function tempBase(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-chains-'))
}
