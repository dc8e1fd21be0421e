/**
 * Generates Kyso's seed files for the administrative units through time from the shared data folder:
 *   src/units/seed/vietnam-units.csv    (body of POST /v1/units/import)
 *   src/units/seed/vietnam-lineage.csv  (body of POST /v1/units/lineage)
 *   src/units/seed/SOURCES.md
 *
 *   node --import tsx scripts/generate-units-seed.ts [DIR]     (DIR default ../shared/data/admin-units)
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCsv } from '../src/lib/csv.ts'
import {
  checkLineage, continuationRows, reformCommuneRows, reformProvinceRows, versionsByCode,
  REFORM_FIRST_NEW_DAY, REFORM_LAST_OLD_DAY, type LineageRow, type Version,
} from './units-seed/lineage.ts'
import { countBy, descendantsInForce, inForce, under } from './units-seed/figures.ts'
import { sourcesMarkdown } from './units-seed/sources-md.ts'

/** The inputs this seed was built and checked from. A changed input must be read before it is used. */
const INPUTS = {
  'vietnam-history-2017-2026.csv': '39560773919939f2d980e6b5eab9cdcb552028e53c1bbe3273722b234ea8cc64',
  'reform-2025-mapping-notes.csv': 'daf8861f883066cc4835130b4fd65a5189eaf470bc4abc3d49f171d620dab902',
  'reform-2025-mapping.csv': '16f4d9f864afbc887ce6f3367fb16dc047de57e8f69698d33b7d8f7b8188757e',
  'reform-2025-provinces.csv': '3bd04dd9f54ea0f6497c77c52e9a8f3649dedcaf1777a25b3f2dd17e55109b79',
} as const
type InputName = keyof typeof INPUTS

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'src/units/seed')
const TODAY = '2026-12-02'

function fail(message: string): never {
  console.error(`generate-units-seed: ${message}`)
  process.exit(1)
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

function readInput(dir: string, name: InputName): { rows: Record<string, string>[]; count: number } {
  let bytes: Buffer
  try { bytes = readFileSync(join(dir, name)) } catch (err) { fail(`cannot read ${join(dir, name)}: ${(err as Error).message}`) }
  const actual = sha256(bytes)
  if (actual !== INPUTS[name]) fail(`${name} has changed (sha256 ${actual}, expected ${INPUTS[name]}). Read what changed in ${dir} before updating INPUTS.`)
  const [head, ...body] = parseCsv(bytes.toString('utf8'))
  const rows = body.map(({ line, fields }) => {
    if (fields.length !== head.fields.length) fail(`${name} line ${line}: ${fields.length} fields, header has ${head.fields.length}`)
    return Object.fromEntries(head.fields.map((h, i) => [h, fields[i].normalize('NFC')]))
  })
  return { rows, count: rows.length }
}

function requireColumns(name: string, rows: Record<string, string>[], columns: string[]) {
  for (const c of columns) if (rows.length && !(c in rows[0])) fail(`${name} lacks column ${c}`)
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
const csvText = (header: string[], rows: string[][]) => [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n'

/** Old units of the 2025 mapping that have a `whole` pair and also other pairs. */
function wholeAndMore(rows: LineageRow[]): string[] {
  const byOld = new Map<string, LineageRow[]>()
  for (const r of rows) byOld.set(r.oldCode, [...(byOld.get(r.oldCode) ?? []), r])
  return [...byOld.entries()]
    .filter(([, rs]) => rs.length > 1 && rs.some((r) => r.share === 'whole'))
    .map(([old, rs]) => `${old} → ${rs.map((r) => `${r.newCode} ${r.share}`).join(', ')}`)
}

function main() {
  const dir = resolve(process.argv[2] ?? join(ROOT, '../shared/data/admin-units'))
  const hist = readInput(dir, 'vietnam-history-2017-2026.csv')
  const notes = readInput(dir, 'reform-2025-mapping-notes.csv')
  const mapping = readInput(dir, 'reform-2025-mapping.csv')
  const provinces = readInput(dir, 'reform-2025-provinces.csv')
  requireColumns('history', hist.rows, ['code', 'name', 'type', 'level', 'parent_code', 'valid_from', 'valid_to'])
  requireColumns('mapping notes', notes.rows, ['old_code', 'new_code', 'note'])
  requireColumns('mapping', mapping.rows, ['old_code', 'new_code', 'old_province_code', 'new_province_code'])
  requireColumns('provinces', provinces.rows, ['old_code', 'new_code'])

  const history: Version[] = hist.rows.map((r) => ({
    code: r.code, name: r.name, type: r.type, level: r.level, parentCode: r.parent_code, validFrom: r.valid_from, validTo: r.valid_to,
  }))
  const byCode = versionsByCode(history)
  const problems: string[] = []

  // The two mapping files must hold the same pairs, and agree with the province mapping.
  const pairKey = (r: Record<string, string>) => `${r.old_code}→${r.new_code}`
  const notePairs = new Set(notes.rows.map(pairKey))
  const mapPairs = new Set(mapping.rows.map(pairKey))
  if (notePairs.size !== notes.count) problems.push('reform-2025-mapping-notes.csv repeats a pair')
  for (const k of mapPairs) if (!notePairs.has(k)) problems.push(`pair ${k} is in the mapping but not in the notes`)
  for (const k of notePairs) if (!mapPairs.has(k)) problems.push(`pair ${k} is in the notes but not in the mapping`)
  const newProvinceOf = new Map(provinces.rows.map((r) => [r.old_code, r.new_code]))
  for (const r of mapping.rows) {
    if (newProvinceOf.get(r.old_province_code) !== r.new_province_code) problems.push(`mapping ${pairKey(r)}: province ${r.old_province_code} → ${r.new_province_code} disagrees with reform-2025-provinces.csv`)
  }

  const communes = reformCommuneRows(notes.rows.map((r) => ({ oldCode: r.old_code, newCode: r.new_code, note: r.note })))
  const provinceRows = reformProvinceRows(provinces.rows.map((r) => ({ oldCode: r.old_code, newCode: r.new_code })), byCode, problems)
  const continuation = continuationRows(byCode)
  const lineage: LineageRow[] = [...communes.rows, ...provinceRows.rows, ...continuation.rows]
  problems.push(...checkLineage(lineage, byCode))
  if (problems.length) fail(`${problems.length} problem(s):\n  ${problems.slice(0, 50).join('\n  ')}`)

  // Write.
  mkdirSync(OUT, { recursive: true })
  const unitsCsv = csvText(['code', 'name', 'type', 'level', 'parent_code', 'valid_from', 'valid_to'],
    history.map((v) => [v.code, v.name, v.type, v.level, v.parentCode, v.validFrom, v.validTo]))
  const lineageCsv = csvText(['old_code', 'old_valid_to', 'new_code', 'new_valid_from', 'share'],
    lineage.map((r) => [r.oldCode, r.oldValidTo, r.newCode, r.newValidFrom, r.share]))
  writeFileSync(join(OUT, 'vietnam-units.csv'), unitsCsv)
  writeFileSync(join(OUT, 'vietnam-lineage.csv'), lineageCsv)

  // Figures, from what was written.
  const reparsed = parseCsv(readFileSync(join(OUT, 'vietnam-units.csv'), 'utf8')).slice(1).map(({ fields: f }) => ({
    code: f[0], name: f[1], type: f[2], level: f[3], parentCode: f[4], validFrom: f[5], validTo: f[6],
  }))
  const reform = inForce(reparsed, REFORM_FIRST_NEW_DAY)
  const reformCommunes = reform.filter((v) => v.level === 'commune')
  const bt = under(reparsed, REFORM_LAST_OLD_DAY, '60', 'commune')
  const btToday = descendantsInForce(reparsed, lineage, bt, TODAY)
  const types = countBy(reformCommunes, (v) => v.type)
  const figures = [
    `in force on 2025-07-01: ${reform.filter((v) => v.level === 'province').length} provinces, ${reform.filter((v) => v.level === 'district').length} districts, ${reformCommunes.length} communes (${types.xa ?? 0} xã, ${types.phuong ?? 0} phường, ${types.dac_khu ?? 0} đặc khu)`,
    `communes under 60 (Bình Thuận): ${under(reparsed, '2017-12-31', '60', 'commune').length} on 2017-12-31, ${under(reparsed, '2020-01-01', '60', 'commune').length} on 2020-01-01, ${under(reparsed, '2025-01-01', '60', 'commune').length} on 2025-01-01, ${bt.length} on 2025-06-30`,
    `communes under 68 (Lâm Đồng) on 2025-07-01: ${under(reparsed, REFORM_FIRST_NEW_DAY, '68', 'commune').length}`,
    `the ${bt.length} communes under 60 on 2025-06-30 descend through the lineage to ${btToday.length} communes in force on ${TODAY}`,
    `in force on ${TODAY}: ${inForce(reparsed, TODAY).filter((v) => v.level === 'province').length} provinces, ${inForce(reparsed, TODAY).filter((v) => v.level === 'commune').length} communes`,
  ]

  // Every note other than the three plain values, with the rule that decided it.
  const otherNotes = [...communes.byNote.entries()]
    .map(([k, v]) => ({ note: k.split('\u0000')[0], ...v }))
    .filter((o) => !['Giữ nguyên', 'Nhập toàn bộ', 'Nhập một phần'].includes(o.note))
    .sort((a, b) => b.count - a.count || (a.note < b.note ? -1 : 1))
  const sources = sourcesMarkdown({
    inputs: (Object.keys(INPUTS) as InputName[]).map((file) => ({ file, sha256: INPUTS[file], rows: { 'vietnam-history-2017-2026.csv': hist, 'reform-2025-mapping-notes.csv': notes, 'reform-2025-mapping.csv': mapping, 'reform-2025-provinces.csv': provinces }[file].count })),
    outputs: [
      { file: 'vietnam-units.csv', sha256: sha256(unitsCsv), rows: history.length },
      { file: 'vietnam-lineage.csv', sha256: sha256(lineageCsv), rows: lineage.length },
    ],
    unitsByLevel: countBy(history, (v) => v.level),
    distinctCodes: byCode.size,
    lineageByOrigin: countBy(lineage, (r) => r.origin),
    lineageByShare: countBy(lineage, (r) => r.share),
    reformByShare: countBy(communes.rows, (r) => r.share),
    otherNotes,
    wholeAndMore: wholeAndMore(communes.rows),
    gaps: continuation.gaps,
    provincesContinuing: provinceRows.continuing,
    figures,
  })
  writeFileSync(join(OUT, 'SOURCES.md'), sources)

  console.log(`units:   ${history.length} versions, ${byCode.size} codes → src/units/seed/vietnam-units.csv`)
  console.log(`lineage: ${lineage.length} rows → src/units/seed/vietnam-lineage.csv`)
  console.log(`  by origin: ${JSON.stringify(countBy(lineage, (r) => r.origin))}`)
  console.log(`  by share:  ${JSON.stringify(countBy(lineage, (r) => r.share))}`)
  console.log(`  2025 communes by share: ${JSON.stringify(countBy(communes.rows, (r) => r.share))}`)
  console.log(`  same code with a gap between versions (no row): ${continuation.gaps.join(', ')}`)
  console.log(`  old units with a whole pair beside other pairs: ${wholeAndMore(communes.rows).join('; ')}`)
  console.log('  2025 notes:')
  for (const [k, v] of [...communes.byNote.entries()].sort((a, b) => b[1].count - a[1].count)) console.log(`    ${String(v.count).padStart(5)}  ${v.share.padEnd(9)} ${v.rule.padEnd(19)} ${k.split('\u0000')[0]}`)
  for (const f of figures) console.log(`figure: ${f}`)
}

main()
