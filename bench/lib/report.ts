/** The benchmark's table (markdown, printed) and its JSON results (bench/results/, ignored by git). */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export type Row = {
  figure: string
  kyso: string
  baseline: string
  ratio: string
  /** e.g. "≥ 5,000/s"; empty when the issues set none. */
  target: string
  /** false when a target was set and missed. */
  met: boolean | null
}

export const fmt = (n: number, digits = 0) => Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a'
export const ms = (n: number) => `${fmt(n, n < 10 ? 2 : 1)} ms`
export const ratio = (a: number, b: number, digits = 2) => (b > 0 && Number.isFinite(a) ? `${fmt(a / b, digits)}×` : '')

export function table(rows: Row[]): string {
  const lines = [
    '| figure | Kyso | baseline in the same run | ratio | target |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.figure} | ${r.kyso} | ${r.baseline} | ${r.ratio} | ${r.target ? `${r.target} ${r.met === false ? '**✗ MISS**' : '✓'}` : ''} |`),
  ]
  return lines.join('\n')
}

export function machine() {
  return {
    host: os.hostname(), cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? '', memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  }
}

/** Writes bench/results/<ISO timestamp><suffix>.json; returns its path. */
export function writeResults(data: unknown, suffix = ''): string {
  const dir = path.resolve(import.meta.dirname, '../results')
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${new Date().toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z')}${suffix}.json`)
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`)
  return file
}
