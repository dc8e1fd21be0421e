import { LineProblems, readCsvTable, type LineProblem } from '../lib/csv-table.ts'
import type { ProblemCode } from '../lib/problem-codes.ts'
import { isDay } from '../lib/dates.ts'
import { cleanText } from './names.ts'
import { LEVELS, TYPES_BY_LEVEL, UNIT_TYPES, type Level, type Unit, type UnitType } from './types.ts'

export type { LineProblem }

const REQUIRED = ['code', 'name', 'type', 'level', 'parent_code'] as const
const OPTIONAL = ['valid_from', 'valid_to'] as const

/**
 * Reads and checks a units CSV on its own (no database): each row, and the versions of each code
 * against each other. Whether every parent covers its child's validity, and what the change does to
 * recorded certificates and activity, is checked in the database (units/integrity.ts).
 */
export function readUnitsCsv(text: string): { rows: (Unit & { line: number })[]; problems: LineProblem[] } {
  const problems = new LineProblems()
  const add = problems.add.bind(problems)
  const table = readCsvTable(text, REQUIRED, OPTIONAL, problems)
  if (!table) return { rows: [], problems: problems.items }

  const units: (Unit & { line: number })[] = []
  for (const { line, get } of table) {
    const code = get('code')
    const name = cleanText(get('name'))
    const type = get('type') as UnitType
    const level = get('level') as Level
    const parentCode = get('parent_code') || null
    const validFrom = get('valid_from') || null
    const validTo = get('valid_to') || null
    let ok = true
    const bad = (c: ProblemCode, m: string) => { ok = false; add(line, c, m) }
    if (!/^\d{1,10}$/.test(code)) bad('bad_code', `code ${JSON.stringify(code)} is not a GSO code (digits only)`)
    if (!name || name.length > 200) bad('bad_name', 'name is empty or longer than 200 characters')
    if (!(LEVELS as readonly string[]).includes(level)) bad('bad_level', `level ${JSON.stringify(level)} is not one of ${LEVELS.join(', ')}`)
    if (!(UNIT_TYPES as readonly string[]).includes(type)) bad('bad_type', `type ${JSON.stringify(type)} is not one of ${UNIT_TYPES.join(', ')}`)
    else if (ok && !TYPES_BY_LEVEL[level].includes(type)) bad('bad_type', `type ${type} is not a ${level}-level type`)
    if (ok && level === 'province' && parentCode) bad('bad_parent', 'a province has no parent_code')
    if (ok && level !== 'province' && !parentCode) bad('bad_parent', `a ${level} needs a parent_code`)
    if (parentCode && parentCode === code) bad('bad_parent', 'a unit cannot be its own parent')
    if (validFrom && !isDay(validFrom)) bad('bad_date', `valid_from ${JSON.stringify(validFrom)} is not a date (YYYY-MM-DD)`)
    if (validTo && !isDay(validTo)) bad('bad_date', `valid_to ${JSON.stringify(validTo)} is not a date (YYYY-MM-DD)`)
    if (ok && validFrom && validTo && validFrom > validTo) bad('bad_date', 'valid_from is after valid_to')
    if (ok) units.push({ line, code, name, type, level, parentCode, validFrom, validTo })
  }
  checkVersions(units, add)

  return { rows: units, problems: problems.items }
}

/** Versions of one code in the file: one per valid_from, and none overlapping another. */
function checkVersions(units: (Unit & { line: number })[], add: (line: number, code: ProblemCode, message: string) => void): void {
  const byCode = new Map<string, (Unit & { line: number })[]>()
  for (const u of units) {
    const list = byCode.get(u.code)
    if (list) list.push(u)
    else byCode.set(u.code, [u])
  }
  for (const list of byCode.values()) {
    if (list.length < 2) continue
    list.sort((a, b) => (a.validFrom ?? '') < (b.validFrom ?? '') ? -1 : (a.validFrom ?? '') > (b.validFrom ?? '') ? 1 : 0)
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]
      const cur = list[i]
      if ((prev.validFrom ?? '') === (cur.validFrom ?? '')) add(cur.line, 'duplicate_version', `code ${cur.code} with valid_from ${cur.validFrom ?? '(empty)'} already appears on line ${prev.line}`)
      else if (prev.validTo === null || prev.validTo >= (cur.validFrom ?? '')) add(cur.line, 'overlapping_versions', `this version of ${cur.code} overlaps the one on line ${prev.line}; versions of one code must not share a day`)
    }
  }
}
