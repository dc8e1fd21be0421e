/*
 * Chains made by openssl across key types, hashes, RSASSA-PSS, constraints, name encodings,
 * validity, CRLs and certificate policies, alone and combined. Kyso must give RFC 5280's verdict
 * on every one; `openssl verify -x509_strict` must give the same verdict wherever the RFC and
 * OpenSSL agree, and the other one exactly in the documented disagreements
 * (docs/rfc5280-vs-openssl.md, which names the RFC section of each).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import t, { type Test } from 'tap'
import {
  BASE, CONSTRAINTS, CRLS, HASHES, KEYS, NAMES, POLICIES, SECTIONS, SIGS, VALIDITIES,
  build, expected, kysoLine, makeKeys, opensslVerify, tempBase, type Built, type Variation,
} from '../helpers/openssl-chains.ts'

const base = tempBase()
t.teardown(() => fs.rmSync(base, { recursive: true, force: true }))
const keys = makeKeys(base)
const BIN = path.resolve(import.meta.dirname, '../../bin/kyso.js')

function kyso(built: Built[]): { ok: boolean; problems: string[] }[] {
  const r = spawnSync(process.execPath, [BIN, 'verify', '--jsonl'], { input: built.map((b, i) => kysoLine(b, String(i))).join('\n') + '\n', encoding: 'utf8' })
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l))
}

const label = (v: Variation) => Object.entries(v).filter(([k, x]) => BASE[k as keyof Variation] !== x).map(([k, x]) => `${k}:${x}`).join(' ') || 'baseline'

function judge(t: Test, built: Built[]): void {
  const answers = kyso(built)
  t.equal(answers.length, built.length, 'kyso answers every line')
  built.forEach((b, i) => {
    const e = expected(b.variation)
    const o = opensslVerify(b)
    const what = `${label(b.variation)} (RFC 5280 ${e.rfc ? 'accepts' : 'refuses'}${e.disagreements.length ? `; OpenSSL differs on ${e.disagreements.join(', ')}` : ''})`
    t.equal(answers[i].ok, e.rfc, `kyso: ${what} ${answers[i].problems.join(',')}`)
    t.equal(o.ok, e.openssl, `openssl: ${what}`)
  })
}

const DIMENSIONS: [keyof Variation, readonly string[]][] = [
  ['key', KEYS], ['sig', SIGS], ['hash', HASHES], ['constraint', CONSTRAINTS], ['name', NAMES],
  ['validity', VALIDITIES], ['crl', CRLS], ['policy', POLICIES],
]

t.test('every variation alone', async (t) => {
  const vs: Variation[] = []
  for (const [k, values] of DIMENSIONS) for (const x of values) if (BASE[k] !== x) vs.push({ ...BASE, [k]: x })
  judge(t, vs.map((v) => build(base, keys, v)))
})

t.test('variations combined (fast-check)', async (t) => {
  const pick = <K extends keyof Variation>(values: readonly Variation[K][]) => fc.constantFrom(...values)
  const variation = fc.record({
    key: pick<'key'>(KEYS), sig: pick<'sig'>(SIGS), hash: pick<'hash'>(HASHES), constraint: pick<'constraint'>(CONSTRAINTS),
    name: pick<'name'>(NAMES), validity: pick<'validity'>(VALIDITIES), crl: pick<'crl'>(CRLS), policy: pick<'policy'>(POLICIES),
  }) as fc.Arbitrary<Variation>
  const samples = fc.sample(variation, { numRuns: Number(process.env.CHAIN_RUNS ?? 25), seed: Number(process.env.CHAIN_SEED ?? 5280) })
  judge(t, samples.map((v) => build(base, keys, v)))
})

t.test('the disagreements are the documented ones', async (t) => {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/rfc5280-vs-openssl.md'), 'utf8')
  for (const [k, values] of DIMENSIONS) {
    for (const x of values) {
      const e = expected({ ...BASE, [k]: x })
      if (e.disagreements.length === 0) continue
      t.ok(doc.includes(`\`${k}:${x}\``), `${k}:${x} is listed`)
      t.ok(doc.includes(SECTIONS[`${k}:${x}`]), `with its section ${SECTIONS[`${k}:${x}`]}`)
    }
  }
})
