/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most self time, and the
 * files with the most self time. Not a test: node --import tsx bench/lib/profile-summary.ts FILE.cpuprofile [N]
 */
import fs from 'node:fs'

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] }
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const file = process.argv[2]
const limit = Number(process.argv.slice(3).find((a) => /^\d+$/.test(a)) ?? 30)
const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const self = new Map<number, number>()
p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)))
const total = [...self.values()].reduce((a, b) => a + b, 0)
const fn = new Map<string, number>()
const files = new Map<string, number>()
for (const [id, us] of self) {
  const n = byId.get(id)!
  const url = n.callFrame.url.replace(/^file:\/\/\/work\/main\//, '')
  const key = `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`
  fn.set(key, (fn.get(key) ?? 0) + us)
  const f = url.replace(/(node_modules\/(@[^/]+\/)?[^/]+).*/, '$1') || n.callFrame.functionName
  files.set(f, (files.get(f) ?? 0) + us)
}
// Inclusive time of project functions (src/): a function's own samples and those of everything it called.
const parent = new Map<number, number>()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const inclusive = new Map<string, number>()
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^file:\/\/\/work\/main\//, '')}`
for (const [id, us] of self) {
  const seen = new Set<string>()
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur)!
    if (!n.callFrame.url.includes('/work/main/src/')) continue
    const k = label(n)
    if (seen.has(k)) continue
    seen.add(k)
    inclusive.set(k, (inclusive.get(k) ?? 0) + us)
  }
}
const show = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
  .map(([k, us]) => `${(100 * us / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`).join('\n')
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\nself time by function:\n${show(fn, limit)}\n\nself time by file or package:\n${show(files, 15)}\n\ninclusive time of src/ functions:\n${show(inclusive, limit)}`)
