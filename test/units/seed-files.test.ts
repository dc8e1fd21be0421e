import t from 'tap'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseCsv } from '../../src/lib/csv.ts'

// Reads only the committed seed files: it must pass in a clone without the shared data folder.
const seedDir = fileURLToPath(new URL('../../src/units/seed/', import.meta.url))
const read = (name: string) => readFileSync(seedDir + name, 'utf8')

type V = { code: string; name: string; type: string; level: string; parent: string; from: string; to: string }
type L = { oldCode: string; oldTo: string; newCode: string; newFrom: string; share: string }

function table(name: string, header: string): string[][] {
  const [head, ...rows] = parseCsv(read(name))
  if (head.fields.join(',') !== header) throw new Error(`${name}: header ${head.fields.join(',')}`)
  return rows.map((r) => r.fields)
}

const units: V[] = table('vietnam-units.csv', 'code,name,type,level,parent_code,valid_from,valid_to')
  .map(([code, name, type, level, parent, from, to]) => ({ code, name, type, level, parent, from, to }))
const lineage: L[] = table('vietnam-lineage.csv', 'old_code,old_valid_to,new_code,new_valid_from,share')
  .map(([oldCode, oldTo, newCode, newFrom, share]) => ({ oldCode, oldTo, newCode, newFrom, share }))

const on = (v: V, day: string) => (v.from === '' || v.from <= day) && (v.to === '' || v.to >= day)
const inForce = (day: string) => units.filter((v) => on(v, day))

/** Units in force on `day` under `parent` (at any depth), each parent taken as it stands on that day. */
function under(day: string, parent: string, level: string): V[] {
  const today = inForce(day)
  const parentOf = new Map(today.map((v) => [v.code, v.parent]))
  return today.filter((v) => {
    if (v.level !== level) return false
    for (let p = parentOf.get(v.code); p; p = parentOf.get(p)) if (p === parent) return true
    return false
  })
}

const versionKey = (code: string, from: string) => `${code}|${from}`
const endingOn = new Map(units.map((v) => [`${v.code}|${v.to}`, v]))
const startingOn = new Map(units.map((v) => [`${v.code}|${v.from}`, v]))

t.test('the units file is a clean version history', async (t) => {
  t.equal(units.length, 16582, 'every version of the history')
  t.ok(units.every((v) => v.name === v.name.normalize('NFC')), 'names are NFC')
  t.ok(units.every((v) => v.to === '' || v.from === '' || v.from <= v.to), 'no version ends before it starts')

  const byCode = new Map<string, V[]>()
  for (const v of units) byCode.set(v.code, [...(byCode.get(v.code) ?? []), v])
  const overlaps: string[] = []
  for (const [code, vs] of byCode) {
    vs.sort((a, b) => (a.from < b.from ? -1 : 1))
    for (let i = 1; i < vs.length; i++) if (vs[i - 1].to === '' || vs[i - 1].to >= vs[i].from) overlaps.push(code)
  }
  t.same(overlaps, [], 'versions of one code never overlap')

  const orphans: string[] = []
  units.forEach((v, i) => {
    if (!v.parent) return
    const day = v.from || '2017-12-31'
    const parentRow = units.findIndex((p) => p.code === v.parent && on(p, day))
    if (parentRow < 0 || parentRow > i) orphans.push(`${v.code}@${v.from}`)
  })
  t.same(orphans, [], 'the parent in force on a version\'s first day comes earlier in the file')
})

t.test('every lineage row joins two versions of the units file', async (t) => {
  t.ok(lineage.length > 10571, 'the reform pairs and the other rows')
  t.same([...new Set(lineage.map((r) => r.share))].sort(), ['part', 'unchanged', 'whole'])
  const bad = lineage.filter((r) => !endingOn.has(`${r.oldCode}|${r.oldTo}`) || !startingOn.has(`${r.newCode}|${r.newFrom}`))
  t.same(bad, [], 'old version ends on old_valid_to, new version starts on new_valid_from')
  const pairs = lineage.map((r) => `${r.oldCode}|${r.oldTo}|${r.newCode}|${r.newFrom}`)
  t.equal(new Set(pairs).size, pairs.length, 'no pair twice')
  t.equal(lineage.filter((r) => r.oldTo === '2025-06-30' && r.newFrom === '2025-07-01' && r.oldCode.length === 5).length, 10566, 'every commune pair of the 2025 mapping')
})

t.test('the structure in force on 2025-07-01: 34 provinces, 3,321 communes', async (t) => {
  const day = inForce('2025-07-01')
  t.equal(day.filter((v) => v.level === 'province').length, 34)
  t.equal(day.filter((v) => v.level === 'district').length, 0, 'no districts')
  const communes = day.filter((v) => v.level === 'commune')
  t.equal(communes.length, 3321)
  t.equal(communes.filter((v) => v.type === 'xa').length, 2621)
  t.equal(communes.filter((v) => v.type === 'phuong').length, 687)
  t.equal(communes.filter((v) => v.type === 'dac_khu').length, 13)
})

t.test('Bình Thuận (60) through time, and the new Lâm Đồng (68)', async (t) => {
  t.equal(under('2017-12-31', '60', 'commune').length, 127)
  t.equal(under('2020-01-01', '60', 'commune').length, 124)
  t.equal(under('2025-01-01', '60', 'commune').length, 121)
  t.equal(under('2025-07-01', '68', 'commune').length, 124)
  t.equal(under('2026-12-02', '60', 'commune').length, 0, 'province 60 no longer exists')
})

t.test('the former Bình Thuận descends to 45 communes in force today', async (t) => {
  const next = new Map<string, string[]>()
  for (const r of lineage) {
    const from = endingOn.get(`${r.oldCode}|${r.oldTo}`)!
    const key = versionKey(from.code, from.from)
    next.set(key, [...(next.get(key) ?? []), versionKey(r.newCode, r.newFrom)])
  }
  const reached = new Set<string>()
  const queue = under('2025-06-30', '60', 'commune').map((v) => versionKey(v.code, v.from))
  t.equal(queue.length, 121)
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
    if (reached.has(key)) continue
    reached.add(key)
    queue.push(...(next.get(key) ?? []))
  }
  const today = [...reached].map((k) => startingOn.get(k)!).filter((v) => on(v, '2026-12-02'))
  t.equal(today.length, 45)
  t.ok(today.every((v) => v.parent === '68' && v.level === 'commune'), 'all of them communes of Lâm Đồng')

  const last60 = units.filter((v) => v.code === '60').at(-1)!
  t.equal(last60.to, '2025-06-30')
  t.same(lineage.filter((r) => r.oldCode === '60').map((r) => [r.newCode, r.newFrom, r.share]), [['68', '2025-07-01', 'whole']], 'province 60 went whole into 68')
})

t.test('SOURCES.md describes these very files', async (t) => {
  const sources = read('SOURCES.md')
  for (const name of ['vietnam-units.csv', 'vietnam-lineage.csv']) {
    const sha = createHash('sha256').update(readFileSync(seedDir + name)).digest('hex')
    t.match(sources, new RegExp(`\`${name.replace('.', '\\.')}\` \\| [\\d,]+ \\| \`${sha}\``), `${name} with its sha256`)
  }
})
