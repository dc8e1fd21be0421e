/*
 * Measures how often `kyso verify --jsonl` (profile rfc5280) and `openssl verify -x509_strict`
 * give RFC 5280's verdict on chains made by openssl: every variation alone, then random
 * combinations. By class of variation, for one or more Kyso checkouts:
 *
 *   node --import tsx scripts/rfc5280-agreement.ts [--combined N] [--seed S] [--kyso DIR…]
 *
 * A Kyso that stops answering (a crash) counts as wrong on that line and is restarted on the next.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {
  BASE, CLASSES, CONSTRAINTS, CRLS, HASHES, KEYS, NAMES, POLICIES, SIGS, VALIDITIES,
  build, expected, kysoLine, makeKeys, opensslVerify, tempBase, type Built, type Variation,
} from '../test/helpers/openssl-chains.ts'

const args = process.argv.slice(2)
const opt = (name: string, fallback: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback }
const kysos = args.flatMap((a, i) => (args[i - 1] === '--kyso' ? [path.resolve(a)] : []))
if (kysos.length === 0) kysos.push(path.resolve(import.meta.dirname, '..'))
const combined = Number(opt('--combined', '100'))
const seed = Number(opt('--seed', '5280'))

const DIMENSIONS: [keyof Variation, readonly string[]][] = [
  ['key', KEYS], ['sig', SIGS], ['hash', HASHES], ['constraint', CONSTRAINTS], ['name', NAMES],
  ['validity', VALIDITIES], ['crl', CRLS], ['policy', POLICIES],
]
const variations: Variation[] = []
for (const [k, values] of DIMENSIONS) for (const x of values) if (BASE[k] !== x) variations.push({ ...BASE, [k]: x })
const pick = <K extends keyof Variation>(values: readonly Variation[K][]) => fc.constantFrom(...values)
variations.push(...fc.sample(fc.record({
  key: pick<'key'>(KEYS), sig: pick<'sig'>(SIGS), hash: pick<'hash'>(HASHES), constraint: pick<'constraint'>(CONSTRAINTS),
  name: pick<'name'>(NAMES), validity: pick<'validity'>(VALIDITIES), crl: pick<'crl'>(CRLS), policy: pick<'policy'>(POLICIES),
}), { numRuns: combined, seed }))

const base = tempBase()
const keys = makeKeys(base)
const started = Date.now()
const built: Built[] = variations.map((v) => build(base, keys, v))
const lines = built.map((b, i) => kysoLine(b, String(i)))
process.stderr.write(`${built.length} chains made in ${Date.now() - started} ms\n`)

function runKyso(dir: string): (boolean | null)[] {
  const out: (boolean | null)[] = []
  while (out.length < lines.length) {
    const rest = lines.slice(out.length)
    const r = spawnSync(process.execPath, [path.join(dir, 'bin/kyso.js'), 'verify', '--jsonl'], { input: rest.join('\n') + '\n', encoding: 'utf8', cwd: dir, maxBuffer: 1 << 28 })
    const answers = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { ok: boolean }).ok)
    out.push(...answers)
    if (answers.length < rest.length) out.push(null)
  }
  return out
}

const verdicts = built.map((b) => ({ rfc: expected(b.variation).rfc, openssl: opensslVerify(b).ok }))
type Score = { n: number; right: number; falseAccept: number; falseReject: number; crash: number }
const zero = (): Score => ({ n: 0, right: 0, falseAccept: 0, falseReject: 0, crash: 0 })
function score(answers: (boolean | null)[]) {
  const byClass = new Map<string, Score>()
  const all = zero()
  answers.forEach((a, i) => {
    const v = built[i].variation
    const tags = CLASSES.filter((c) => v[c] !== BASE[c])
    for (const tag of [...(tags.length === 0 ? ['baseline'] : tags), '*']) {
      const s = tag === '*' ? all : (byClass.get(tag) ?? byClass.set(tag, zero()).get(tag)!)
      s.n++
      const rfc = verdicts[i].rfc
      if (a === null) s.crash++
      else if (a === rfc) s.right++
      else if (a) s.falseAccept++
      else s.falseReject++
    }
  })
  return { byClass, all }
}

const pct = (s: Score) => `${(100 * s.right / s.n).toFixed(1)} % (${s.right}/${s.n}; ${s.falseAccept} FA, ${s.falseReject} FR${s.crash ? `, ${s.crash} crash` : ''})`
const results = [
  { name: 'openssl verify -x509_strict', ...score(verdicts.map((v) => v.openssl)) },
  ...kysos.map((dir) => ({ name: `kyso ${dir}`, ...score(runKyso(dir)) })),
]
const tags = [...new Set(results.flatMap((r) => [...r.byClass.keys()]))].sort()
process.stdout.write(`${built.length} chains (${variations.length - combined} single variations, ${combined} combined, seed ${seed}); agreement with RFC 5280:\n\n`)
process.stdout.write(`| class (cases containing it) | ${results.map((r) => r.name).join(' | ')} |\n| --- |${results.map(() => ' --- |').join('')}\n`)
for (const tag of tags) process.stdout.write(`| ${tag} | ${results.map((r) => (r.byClass.get(tag) ? pct(r.byClass.get(tag)!) : '-')).join(' | ')} |\n`)
process.stdout.write(`| **all** | ${results.map((r) => pct(r.all)).join(' | ')} |\n`)
fs.rmSync(base, { recursive: true, force: true })
