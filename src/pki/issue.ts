import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { isIP } from 'node:net'
import forge from 'node-forge'
import { parseCertificate, type Certificate } from './certificate.ts'
import { parseCrl, type Crl } from './crl.ts'
import { ATTRIBUTE_OIDS, CRL_REASONS, EKU_NAMES, EXT, KEY_USAGE_BITS } from './oids.ts'
import { toPem } from './pem.ts'

/*
 * A small certificate and CRL issuer for tests and demonstration hierarchies.
 * Structures are built with forge.asn1; signatures are made with node:crypto.
 */

const asn1 = forge.asn1
const { Class, Type } = asn1
type Node = forge.asn1.Asn1

export type KeySpec = { type: 'rsa'; bits: number } | { type: 'ec'; curve: 'P-256' | 'P-384' | 'P-521' }
export type KeyPair = { publicKey: KeyObject; privateKey: KeyObject }
export type StringType = 'utf8' | 'bmp' | 'printable' | 'teletex' | 'ia5'
export type NameSpec = [string, string, StringType?][]
export type GeneralNameSpec = { dns: string } | { email: string } | { ip: string /* address or CIDR */ } | { dn: NameSpec } | { uri: string }
export type Hash = 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5'

export type IssueOptions = {
  subject: NameSpec
  /** The subject's key pair (or only its public key when an issuer signs). */
  key: KeyPair | KeyObject
  /** Absent: self-signed with `key`. */
  issuer?: { cert: Certificate; key: KeyObject }
  serial?: string /* hex */
  notBefore: Date
  notAfter: Date
  hash?: Hash
  basicConstraints?: { cA: boolean; pathLen?: number; critical?: boolean }
  keyUsage?: (typeof KEY_USAGE_BITS[number])[]
  keyUsageCritical?: boolean
  extKeyUsage?: string[] /* OIDs or names such as 'clientAuth' */
  /** true (default): derived from the key; false: none; Buffer: this value. */
  subjectKeyId?: boolean | Buffer
  /** true (default when the issuer has one): the issuer's SKI; false: none; Buffer: this value. */
  authorityKeyId?: boolean | Buffer
  subjectAltName?: GeneralNameSpec[]
  nameConstraints?: { permitted?: GeneralNameSpec[]; excluded?: GeneralNameSpec[]; critical?: boolean }
  extensions?: { oid: string; critical?: boolean; value: Buffer }[]
  version?: 1 | 3
}

export type Issued = { cert: Certificate; der: Buffer; pem: string }

export function generateKey(spec: KeySpec = { type: 'rsa', bits: 2048 }): KeyPair {
  if (spec.type === 'rsa') return generateKeyPairSync('rsa', { modulusLength: spec.bits })
  const namedCurve = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[spec.curve]
  return generateKeyPairSync('ec', { namedCurve })
}

const bin = (b: Buffer) => b.toString('binary')
const node = (der: Buffer): Node => (asn1.fromDer as unknown as (b: string, o: object) => Node)(bin(der), { decodeBitStrings: false })
const der = (n: Node): Buffer => Buffer.from(asn1.toDer(n).getBytes(), 'binary')
const seq = (items: Node[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items)
const oid = (o: string) => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(o).getBytes())
const octets = (b: Buffer) => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, bin(b))
const bool = (v: boolean) => asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, v ? '\xff' : '\x00')
const bits = (b: Buffer, unused = 0) => asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, String.fromCharCode(unused) + bin(b))
const ctx = (n: number, constructed: boolean, value: Node[] | string) => asn1.create(Class.CONTEXT_SPECIFIC, n, constructed, value)

function integer(hex: string): Node {
  let h = hex.replace(/^0+/, '') || '0'
  if (h.length % 2) h = '0' + h
  if (parseInt(h.slice(0, 2), 16) & 0x80) h = '00' + h
  return asn1.create(Class.UNIVERSAL, Type.INTEGER, false, bin(Buffer.from(h, 'hex')))
}

function time(d: Date): Node {
  const y = d.getUTCFullYear()
  if (y >= 1950 && y < 2050) return asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, asn1.dateToUtcTime(d))
  return asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d))
}

function stringValue(value: string, type: StringType): Node {
  switch (type) {
    case 'utf8': return asn1.create(Class.UNIVERSAL, Type.UTF8, false, bin(Buffer.from(value, 'utf8')))
    case 'bmp': return asn1.create(Class.UNIVERSAL, Type.BMPSTRING, false, value)
    case 'printable': return asn1.create(Class.UNIVERSAL, Type.PRINTABLESTRING, false, value)
    case 'teletex': return asn1.create(Class.UNIVERSAL, 20 as forge.asn1.Type, false, bin(Buffer.from(value, 'latin1')))
    case 'ia5': return asn1.create(Class.UNIVERSAL, Type.IA5STRING, false, value)
  }
}

/** Name from [shortName or OID, value, string type]; C defaults to PrintableString, the rest to UTF8String. */
export function encodeName(spec: NameSpec): Buffer {
  return der(nameNode(spec))
}

function nameNode(spec: NameSpec): Node {
  return seq(spec.map(([type, value, st]) => {
    const o = ATTRIBUTE_OIDS[type] ?? type
    const kind = st ?? (type === 'C' ? 'printable' : (type === 'E' || type === 'emailAddress' || type === 'DC') ? 'ia5' : 'utf8')
    return asn1.create(Class.UNIVERSAL, Type.SET, true, [seq([oid(o), stringValue(value, kind)])])
  }))
}

function ipBytes(text: string): Buffer {
  const [addr, prefix] = text.split('/')
  const v = isIP(addr)
  if (!v) throw new Error(`not an IP address: ${addr}`)
  const bytes = v === 4
    ? Buffer.from(addr.split('.').map(Number))
    : (() => {
        const [head, tail = ''] = addr.split('::')
        const h = head ? head.split(':') : []
        const t = tail ? tail.split(':') : []
        const groups = addr.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h
        return Buffer.from(groups.map((g) => g.padStart(4, '0')).join(''), 'hex')
      })()
  if (prefix === undefined) return bytes
  const mask = Buffer.alloc(bytes.length)
  for (let i = 0; i < Number(prefix); i++) mask[i >> 3] |= 0x80 >> (i & 7)
  return Buffer.concat([bytes, mask])
}

function generalName(g: GeneralNameSpec): Node {
  if ('dns' in g) return ctx(2, false, g.dns)
  if ('email' in g) return ctx(1, false, g.email)
  if ('uri' in g) return ctx(6, false, g.uri)
  if ('ip' in g) return ctx(7, false, bin(ipBytes(g.ip)))
  return ctx(4, true, [nameNode(g.dn)])
}

function extension(o: string, critical: boolean, value: Buffer): Node {
  return seq(critical ? [oid(o), bool(true), octets(value)] : [oid(o), octets(value)])
}

function keyIdOf(spki: Buffer): Buffer {
  // RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING contents.
  const parts = node(spki).value as Node[]
  return createHash('sha1').update(Buffer.from((parts[1].value as string).slice(1), 'binary')).digest()
}

function signatureAlgorithmOid(key: KeyObject, hash: Hash): string {
  const type = key.asymmetricKeyType
  if (type === 'rsa') {
    return { md5: '1.2.840.113549.1.1.4', sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12', sha512: '1.2.840.113549.1.1.13' }[hash]
  }
  if (type === 'ec') {
    if (hash === 'md5') throw new Error('ECDSA with MD5 does not exist')
    return { sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4' }[hash]
  }
  throw new Error(`unsupported signing key type ${type}`)
}

function algorithmIdentifier(key: KeyObject, hash: Hash): Node {
  const o = signatureAlgorithmOid(key, hash)
  return key.asymmetricKeyType === 'rsa' ? seq([oid(o), asn1.create(Class.UNIVERSAL, Type.NULL, false, '')]) : seq([oid(o)])
}

function signed(tbs: Node, key: KeyObject, hash: Hash): Buffer {
  const tbsDer = der(tbs)
  const signature = sign(hash, tbsDer, key)
  return der(seq([node(tbsDer), algorithmIdentifier(key, hash), bits(signature)]))
}

function keyUsageBits(usages: string[]): Buffer {
  const idx = usages.map((u) => KEY_USAGE_BITS.indexOf(u as typeof KEY_USAGE_BITS[number]))
  if (idx.some((i) => i < 0)) throw new Error(`unknown key usage in ${usages.join(',')}`)
  const max = Math.max(-1, ...idx)
  const bytes = Buffer.alloc(max < 0 ? 0 : (max >> 3) + 1)
  for (const i of idx) bytes[i >> 3] |= 0x80 >> (i & 7)
  const last = bytes.length ? bytes[bytes.length - 1] : 0
  let unused = 0
  if (bytes.length) while (unused < 7 && !(last & (1 << unused))) unused++
  return der(bits(bytes, unused))
}

export function issueCertificate(o: IssueOptions): Issued {
  const pair = 'privateKey' in o.key ? o.key : null
  const publicKey = pair ? pair.publicKey : (o.key as KeyObject).type === 'private' ? createPublicKey(o.key as KeyObject) : o.key as KeyObject
  const signingKey = o.issuer?.key ?? pair?.privateKey
  if (!signingKey) throw new Error('a self-signed certificate needs the private key')
  const hash = o.hash ?? 'sha256'
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  const subjectDer = encodeName(o.subject)
  const issuerDer = o.issuer ? o.issuer.cert.subjectDer : subjectDer
  const ski = o.subjectKeyId === false ? null : Buffer.isBuffer(o.subjectKeyId) ? o.subjectKeyId : keyIdOf(spki)
  const issuerSki = o.issuer ? (o.issuer.cert.subjectKeyId ? Buffer.from(o.issuer.cert.subjectKeyId, 'hex') : null) : ski
  const aki = o.authorityKeyId === false ? null : Buffer.isBuffer(o.authorityKeyId) ? o.authorityKeyId : issuerSki

  const exts: Node[] = []
  if (o.basicConstraints) {
    const items: Node[] = []
    if (o.basicConstraints.cA) items.push(bool(true))
    if (o.basicConstraints.pathLen !== undefined) items.push(integer(o.basicConstraints.pathLen.toString(16)))
    exts.push(extension(EXT.basicConstraints, o.basicConstraints.critical ?? true, der(seq(items))))
  }
  if (o.keyUsage) exts.push(extension(EXT.keyUsage, o.keyUsageCritical ?? true, keyUsageBits(o.keyUsage)))
  if (o.extKeyUsage) exts.push(extension(EXT.extKeyUsage, false, der(seq(o.extKeyUsage.map((e) => oid(EKU_NAMES[e] ?? e))))))
  if (ski) exts.push(extension(EXT.subjectKeyIdentifier, false, der(octets(ski))))
  if (aki) exts.push(extension(EXT.authorityKeyIdentifier, false, der(seq([ctx(0, false, bin(aki))]))))
  if (o.subjectAltName) exts.push(extension(EXT.subjectAltName, false, der(seq(o.subjectAltName.map(generalName)))))
  if (o.nameConstraints) {
    const parts: Node[] = []
    const subtrees = (list: GeneralNameSpec[]) => list.map((g) => seq([generalName(g)]))
    if (o.nameConstraints.permitted?.length) parts.push(ctx(0, true, subtrees(o.nameConstraints.permitted)))
    if (o.nameConstraints.excluded?.length) parts.push(ctx(1, true, subtrees(o.nameConstraints.excluded)))
    exts.push(extension(EXT.nameConstraints, o.nameConstraints.critical ?? true, der(seq(parts))))
  }
  for (const e of o.extensions ?? []) exts.push(extension(e.oid, e.critical ?? false, e.value))

  const version3 = (o.version ?? 3) === 3
  const tbs = seq([
    ...(version3 ? [ctx(0, true, [integer('2')])] : []),
    integer(o.serial ?? randomSerial()),
    algorithmIdentifier(signingKey, hash),
    node(issuerDer),
    seq([time(o.notBefore), time(o.notAfter)]),
    node(subjectDer),
    node(spki),
    ...(version3 && exts.length ? [ctx(3, true, [seq(exts)])] : []),
  ])
  const out = signed(tbs, signingKey, hash)
  return { cert: parseCertificate(out), der: out, pem: toPem(out) }
}

function randomSerial(): string {
  const b = createHash('sha256').update(String(Math.random()) + process.hrtime.bigint()).digest().subarray(0, 16)
  b[0] &= 0x7f
  return b.toString('hex')
}

export type IssueCrlOptions = {
  issuer: Certificate
  key: KeyObject
  thisUpdate: Date
  nextUpdate?: Date
  revoked: { serial: string; date: Date; reason?: string }[]
  crlNumber?: number | null /* null: leave it out */
  hash?: Hash
  extensions?: { oid: string; critical?: boolean; value: Buffer }[]
}

export type IssuedCrl = { crl: Crl; der: Buffer; pem: string }

export function issueCrl(o: IssueCrlOptions): IssuedCrl {
  const entries = o.revoked.map((r) => {
    const reason = r.reason ? CRL_REASONS.indexOf(r.reason) : -1
    const entryExts = reason >= 0 ? [seq([extension(EXT.reasonCode, false, der(asn1.create(Class.UNIVERSAL, Type.ENUMERATED, false, String.fromCharCode(reason))))])] : []
    return seq([integer(r.serial), time(r.date), ...entryExts])
  })
  const exts: Node[] = []
  if (o.issuer.subjectKeyId) exts.push(extension(EXT.authorityKeyIdentifier, false, der(seq([ctx(0, false, bin(Buffer.from(o.issuer.subjectKeyId, 'hex')))]))))
  if (o.crlNumber !== null) exts.push(extension(EXT.crlNumber, false, der(integer((o.crlNumber ?? 1).toString(16)))))
  for (const e of o.extensions ?? []) exts.push(extension(e.oid, e.critical ?? false, e.value))
  const hash = o.hash ?? 'sha256'
  const tbs = seq([
    integer('1'),
    algorithmIdentifier(o.key, hash),
    node(o.issuer.subjectDer),
    time(o.thisUpdate),
    ...(o.nextUpdate ? [time(o.nextUpdate)] : []),
    ...(entries.length ? [seq(entries)] : []),
    ...(exts.length ? [ctx(0, true, [seq(exts)])] : []),
  ])
  const out = signed(tbs, o.key, hash)
  return { crl: parseCrl(out), der: out, pem: toPem(out, 'X509 CRL') }
}

/** PKCS#8 PEM of a private key (for openssl-based tests and the demo command). */
export function privateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }) as string
}
