/**
 * The commune-level unit a certificate is recorded for, on the day it became valid: the one named by
 * `unitCode`, checked against the subject, or the one the subject names (match.ts). Pure.
 */
import type { ProblemEntry } from '../lib/problem-codes.ts'
import { inForceOn } from '../units/rules.ts'
import { chooseUnit, explicitUnitConflicts, type Mention, type UnitRow } from './match.ts'
import type { MatchedBy, Warning } from './record.ts'
import type { UnitCandidates } from './unit-candidates.ts'

export type FoundUnit = { unit: UnitRow | null; matchedBy: MatchedBy; problems: ProblemEntry[]; warnings: Warning[] }

export function findUnit(unitCode: string | undefined, mentions: Mention[], units: UnitCandidates, day: string): FoundUnit {
  const problems: ProblemEntry[] = []
  const warnings: Warning[] = []
  if (unitCode !== undefined) {
    const versions = units.byCode.get(unitCode) ?? []
    const found = versions.find((v) => inForceOn(v, day))
    if (!found) {
      problems.push({
        code: 'unit_not_found',
        message: versions.length
          ? `${versions[0].name} (${unitCode}) was not in force on ${day}, the day the certificate became valid.`
          : `No administrative unit has the code ${unitCode}.`,
      })
      return { unit: null, matchedBy: 'explicit', problems, warnings }
    }
    if (found.level !== 'commune') {
      problems.push({ code: 'unit_not_found', message: `${found.name} (${found.code}) is a ${found.level}, not a commune, ward or town; certificates are recorded for commune-level units.` })
      return { unit: null, matchedBy: 'explicit', problems, warnings }
    }
    const { conflicts, warnings: named } = explicitUnitConflicts(found, mentions, units.byKey, day)
    for (const message of conflicts) problems.push({ code: 'unit_mismatch', message })
    for (const message of named) warnings.push({ code: 'former_unit_named', message })
    return { unit: found, matchedBy: 'explicit', problems, warnings }
  }
  const match = chooseUnit(mentions, units.byKey, day)
  if (match.outcome === 'matched') {
    for (const message of match.warnings) {
      warnings.push({ code: message.startsWith('The subject calls') ? 'unit_type_differs' : 'former_unit_named', message })
    }
    return { unit: match.unit, matchedBy: 'subject', problems, warnings }
  }
  if (match.outcome === 'not_found') problems.push({ code: 'unit_not_found', message: match.message })
  else problems.push({ code: 'unit_ambiguous', message: match.message, candidates: match.candidates })
  return { unit: null, matchedBy: 'subject', problems, warnings }
}
