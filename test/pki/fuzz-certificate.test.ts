/*
 * Structured mutation of valid certificates made by openssl: one field changed at a time
 * (an OID with huge or invalid arcs, a length, a string type, a time, the extension set,
 * the serial number). Whatever the change, the reader answers a certificate or a
 * PkiInputError, and verification of what it read answers a verdict: never an exception.
 */
import fs from 'node:fs'
import fc from 'fast-check'
import t from 'tap'
import { verifyLine } from '../../src/cli/verify.ts'
import { PkiInputError, readCertificates, verifyCertificate } from '../../src/pki/index.ts'
import { BASE, build, makeKeys, tempBase } from '../helpers/openssl-chains.ts'

type Tlv = { tag: number; kids?: Tlv[]; content: Buffer; wrapped?: boolean; length?: 'short' | 'long' | 'nonminimal' | 'indefinite' | number }

function decodeAll(buf: Buffer): Tlv[] {
  const out: Tlv[] = []
  let pos = 0
  while (pos < buf.length) {
    const tag = buf[pos]
    let len = buf[pos + 1]
    let p = pos + 2
    if (len & 0x80) {
      const n = len & 0x7f
      len = 0
      for (let i = 0; i < n; i++) len = len * 256 + buf[p++]
    }
    const content = buf.subarray(p, p + len)
    const node: Tlv = { tag, content }
    if (tag & 0x20) node.kids = decodeAll(content)
    else if (tag === 0x04 && content.length > 1 && (content[0] === 0x30 || content[0] === 0x03 || content[0] === 0x04)) {
      // An OCTET STRING holding DER (an extension value): descend, to mutate inside it.
      try { node.kids = decodeAll(content); node.wrapped = true } catch { /* plain bytes */ }
    }
    out.push(node)
    pos = p + len
  }
  if (pos !== buf.length) throw new Error('not DER')
  return out
}

function lengthBytes(n: number, mode: Tlv['length']): Buffer {
  if (mode === 'indefinite') return Buffer.from([0x80])
  if (typeof mode === 'number') n = Math.max(0, n + mode)
  if (mode === 'nonminimal') return Buffer.from([0x82, n >> 8, n & 0xff])
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function encode(node: Tlv): Buffer {
  const content = node.kids ? Buffer.concat(node.kids.map(encode)) : node.content
  return Buffer.concat([Buffer.from([node.tag]), lengthBytes(content.length, node.length), content])
}

function all(node: Tlv, out: Tlv[] = []): Tlv[] {
  out.push(node)
  for (const k of node.kids ?? []) all(k, out)
  return out
}

function oidContent(arcs: bigint[]): Buffer {
  const [a, b, ...rest] = arcs
  const out: number[] = []
  for (const arc of [a * 40n + b, ...rest]) {
    const chunk: number[] = []
    let v = arc
    do { chunk.unshift(Number(v & 0x7fn)); v >>= 7n } while (v > 0n)
    out.push(...chunk.map((c, i) => (i < chunk.length - 1 ? c | 0x80 : c)))
  }
  return Buffer.from(out)
}

const STRING_TAGS = [0x0c, 0x13, 0x14, 0x16, 0x1e, 0x1c, 0x12, 0x1a, 0x04, 0x05]
const arc = fc.oneof(fc.bigInt({ min: 0n, max: 200n }), fc.bigInt({ min: 1n << 53n, max: 1n << 200n }))
const oid = fc.oneof(
  fc.tuple(fc.constantFrom(0n, 1n, 2n), fc.bigInt({ min: 0n, max: 39n }), fc.array(arc, { maxLength: 6 })).map(([a, b, r]) => oidContent([a, b, ...r])),
  fc.constantFrom(Buffer.alloc(0), Buffer.from([0x2a, 0x80]), Buffer.from([0x80, 0x01]), Buffer.from([0x55, 0x1d, 0x80, 0x0f]), Buffer.from('ffffffffffffffffffffffffffffffffff7f', 'hex')),
)

type Mutation = (root: Tlv) => void
const pickOf = (nodes: Tlv[], i: number) => nodes.length ? nodes[i % nodes.length] : undefined

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), oid).map(([i, content]) => (root: Tlv) => { const n = pickOf(all(root).filter((x) => x.tag === 0x06), i); if (n) n.content = content }),
  fc.tuple(fc.nat(), fc.constantFrom<Tlv['length']>('nonminimal', 'indefinite', 1, -1, 2, -2, 1000)).map(([i, mode]) => (root: Tlv) => { const n = pickOf(all(root), i); if (n) n.length = mode }),
  fc.tuple(fc.nat(), fc.constantFrom(...STRING_TAGS)).map(([i, tag]) => (root: Tlv) => { const n = pickOf(all(root).filter((x) => STRING_TAGS.slice(0, 8).includes(x.tag)), i); if (n) n.tag = tag }),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom('491231235960Z', '20241301000000Z', '240229000000Z', '250229000000Z', '2401010000Z', '240101000000+0700', '240101000000.5Z', '99991231235959Z', ''), fc.stringMatching(/^[0-9]{10,15}Z?$/)), fc.boolean())
    .map(([i, text, swap]) => (root: Tlv) => { const n = pickOf(all(root).filter((x) => x.tag === 0x17 || x.tag === 0x18), i); if (n) { n.content = Buffer.from(text, 'latin1'); if (swap) n.tag ^= 0x0f } }),
  fc.tuple(fc.nat(), fc.constantFrom('duplicate', 'remove', 'critical', 'random-value', 'add'), oid, fc.uint8Array({ maxLength: 40 }), fc.boolean())
    .map(([i, op, newOid, bytes, critical]) => (root: Tlv) => {
      const list = root.kids?.[0]?.kids?.find((k) => k.tag === 0xa3)?.kids?.[0]
      if (!list?.kids?.length) return
      const ext = list.kids[i % list.kids.length]
      const clone = (x: Tlv): Tlv => ({ ...x, kids: x.kids?.map(clone) })
      if (op === 'duplicate') list.kids.push(clone(ext))
      else if (op === 'remove') list.kids.splice(i % list.kids.length, 1)
      else if (op === 'critical') {
        if (ext.kids!.length === 3) ext.kids!.splice(1, 1)
        else ext.kids!.splice(1, 0, { tag: 0x01, content: Buffer.from([0xff]) })
      } else if (op === 'random-value') ext.kids![ext.kids!.length - 1] = { tag: 0x04, content: Buffer.from(bytes) }
      else list.kids.push({ tag: 0x30, content: Buffer.alloc(0), kids: [{ tag: 0x06, content: newOid }, ...(critical ? [{ tag: 0x01, content: Buffer.from([0xff]) }] : []), { tag: 0x04, content: Buffer.from(bytes) }] })
    }),
  fc.uint8Array({ maxLength: 30 }).map((bytes) => (root: Tlv) => { const serial = root.kids?.[0]?.kids?.find((k) => k.tag === 0x02); if (serial) serial.content = Buffer.from(bytes) }),
)

const base = tempBase()
t.teardown(() => fs.rmSync(base, { recursive: true, force: true }))
const keys = makeKeys(base)
// Sources with many kinds of fields: name constraints and a SAN, policies and a mapping, an EKU with a UUID OID, RSASSA-PSS.
const sources = [
  build(base, keys, { ...BASE, constraint: 'nc-ok', policy: 'mapping' }),
  build(base, keys, { ...BASE, key: 'rsa-pss-leaf', sig: 'pss', constraint: 'huge-oid-eku', name: 'casefold-vi' }),
  build(base, keys, { ...BASE, constraint: 'huge-oid-name' }),
  build(base, keys, { ...BASE, constraint: 'huge-oid-ext', policy: 'inhibit-any' }),
]
const pemToDer = (file: string) => Buffer.from(fs.readFileSync(file, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64')

t.test('one field changed: a certificate or a PkiInputError, then a verdict (fast-check)', async (t) => {
  let read = 0
  let refused = 0
  const targets = sources.flatMap((s) => [{ s, file: s.leaf }, { s, file: s.ica }])
  fc.assert(fc.property(fc.nat({ max: targets.length - 1 }), mutation, (which, mutate) => {
    const { s, file } = targets[which]
    const [root] = decodeAll(pemToDer(file))
    mutate(root)
    const der = encode(root)
    let certs
    try {
      certs = readCertificates(der)
    } catch (e) {
      if (!(e instanceof PkiInputError)) throw e
      refused++
      return
    }
    read++
    const anchors = readCertificates(fs.readFileSync(s.root))
    const ica = readCertificates(fs.readFileSync(s.ica))
    for (const profile of ['signing', 'rfc5280'] as const) {
      const r = verifyCertificate(certs[0], { anchors, intermediates: [...ica, ...certs], at: s.at, profile })
      if (typeof r.ok !== 'boolean' || !Array.isArray(r.problems)) throw new Error('no verdict')
    }
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 16) })
  t.ok(read > 0 && refused > 0, `both outcomes seen (${read} read, ${refused} refused)`)
})

t.test('OIDs with arcs above 2^53 are read, in an extension, an EKU and a name attribute (X.667)', async (t) => {
  const [eku] = readCertificates(fs.readFileSync(sources[1].leaf))
  t.ok(eku.extKeyUsage?.includes('2.25.329800735698586629295641978511506172918'))
  const [named] = readCertificates(fs.readFileSync(sources[2].leaf))
  t.ok(named.subjectAttributes.some((a) => a.type.includes('2.25.329800735698586629295641978511506172918')), JSON.stringify(named.subjectAttributes))
  // kyso verify --jsonl answers a line with such a certificate, and the lines after it
  const line = (id: string, leaf: string) => JSON.stringify({ id, trusted: [fs.readFileSync(sources[2].root, 'utf8')], intermediates: [fs.readFileSync(sources[2].ica, 'utf8')], leaf, at: sources[2].at.toISOString(), profile: 'rfc5280' })
  const answers = [line('uuid-name', fs.readFileSync(sources[2].leaf, 'utf8')), line('after', fs.readFileSync(sources[2].leaf, 'utf8').replace('MII', 'MIX'))].map(verifyLine)
  t.same(answers, [{ id: 'uuid-name', ok: true, problems: [] }, { id: 'after', ok: false, problems: ['malformed'] }])
  const [ext] = readCertificates(fs.readFileSync(sources[3].leaf))
  t.ok(ext.extensions.some((e) => e.oid === '2.25.329800735698586629295641978511506172918'))
})
