import { LineProblems, readCsvTable, type LineProblem } from '../lib/csv-table.ts'
import { cleanText } from './names.ts'
import { LEVELS, PARENT_LEVELS, TYPES_BY_LEVEL, UNIT_TYPES, type Level, type Unit, type UnitType } from './types.ts'

export type { LineProblem }

const REQUIRED = ['code', 'name', 'type', 'level', 'parent_code'] as const
const OPTIONAL = ['valid_from', 'valid_to'] as const

function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value)
}

/**
 * Reads and checks a units CSV on its own (no database). Parents that are not in the file are
 * returned in `externalParents` for the caller to look up.
 */
export function readUnitsCsv(text: string): { units: (Unit & { line: number })[]; problems: LineProblem[]; externalParents: Map<string, number[]> } {
  const problems = new LineProblems()
  const add = problems.add.bind(problems)
  const table = readCsvTable(text, REQUIRED, OPTIONAL, problems)
  if (!table) return { units: [], problems: problems.items, externalParents: new Map() }

  const units: (Unit & { line: number })[] = []
  const seen = new Map<string, number>()
  for (const { line, get } of table) {
    const code = get('code')
    const name = cleanText(get('name'))
    const type = get('type') as UnitType
    const level = get('level') as Level
    const parentCode = get('parent_code') || null
    const validFrom = get('valid_from') || null
    const validTo = get('valid_to') || null
    let ok = true
    const bad = (c: string, m: string) => { ok = false; add(line, c, m) }
    if (!/^\d{1,10}$/.test(code)) bad('bad_code', `code ${JSON.stringify(code)} is not a GSO code (digits only)`)
    if (!name || name.length > 200) bad('bad_name', 'name is empty or longer than 200 characters')
    if (!(LEVELS as readonly string[]).includes(level)) bad('bad_level', `level ${JSON.stringify(level)} is not one of ${LEVELS.join(', ')}`)
    if (!(UNIT_TYPES as readonly string[]).includes(type)) bad('bad_type', `type ${JSON.stringify(type)} is not one of ${UNIT_TYPES.join(', ')}`)
    else if (ok && !TYPES_BY_LEVEL[level].includes(type)) bad('bad_type', `type ${type} is not a ${level}-level type`)
    if (ok && level === 'province' && parentCode) bad('bad_parent', 'a province has no parent_code')
    if (ok && level !== 'province' && !parentCode) bad('bad_parent', `a ${level} needs a parent_code`)
    if (parentCode && parentCode === code) bad('bad_parent', 'a unit cannot be its own parent')
    if (validFrom && !isDate(validFrom)) bad('bad_date', `valid_from ${JSON.stringify(validFrom)} is not a date (YYYY-MM-DD)`)
    if (validTo && !isDate(validTo)) bad('bad_date', `valid_to ${JSON.stringify(validTo)} is not a date (YYYY-MM-DD)`)
    if (ok && validFrom && validTo && validFrom > validTo) bad('bad_date', 'valid_from is after valid_to')
    if (seen.has(code)) bad('duplicate_code', `code ${code} already appears on line ${seen.get(code)}`)
    else if (code) seen.set(code, line)
    if (ok) units.push({ line, code, name, type, level, parentCode, validFrom, validTo })
  }

  const byCode = new Map(units.map((u) => [u.code, u]))
  const externalParents = new Map<string, number[]>()
  for (const u of units) {
    if (!u.parentCode) continue
    const parent = byCode.get(u.parentCode)
    if (!parent) {
      // Appended in place: copying the list for every row made a file of many rows under one parent quadratic.
      const lines = externalParents.get(u.parentCode)
      if (lines) lines.push(u.line)
      else externalParents.set(u.parentCode, [u.line])
    } else if (!PARENT_LEVELS[u.level].includes(parent.level)) {
      add(u.line, 'bad_parent', `parent ${u.parentCode} is a ${parent.level}; a ${u.level} belongs to a ${PARENT_LEVELS[u.level].join(' or ')}`)
    }
  }
  return { units, problems: problems.items, externalParents }
}

/** Checks the parents found in the database; reports unknown ones and wrong levels. */
export function checkExternalParents(
  units: (Unit & { line: number })[],
  externalParents: Map<string, number[]>,
  known: Map<string, Level>,
): LineProblem[] {
  const problems = new LineProblems()
  for (const u of units) {
    if (!u.parentCode || !externalParents.has(u.parentCode)) continue
    const level = known.get(u.parentCode)
    if (!level) problems.add(u.line, 'unknown_parent', `parent_code ${u.parentCode} is neither in the file nor already recorded`)
    else if (!PARENT_LEVELS[u.level].includes(level)) {
      problems.add(u.line, 'bad_parent', `parent ${u.parentCode} is a ${level}; a ${u.level} belongs to a ${PARENT_LEVELS[u.level].join(' or ')}`)
    }
  }
  return problems.items
}
