import type { DbOrTx } from '../db/open.ts'
import { BadRequest } from '../lib/errors.ts'
import { areaForRange } from '../coverage/area.ts'
import { percentOf } from '../coverage/kinds.ts'
import { coverageOn, type CoverageResult, type GroupCount } from '../coverage/snapshot.ts'
import { coverageTimeline } from '../coverage/timeline.ts'
import { holdsDemonstration } from '../trust/demonstration.ts'
import { savingsFor, type DocumentsRow, type SavingsResult, type SavingsTotals } from '../savings/service.ts'
import type { SavingsParameters } from '../savings/model.ts'
import { thisMonthVn, todayVn } from '../lib/dates.ts'
import type { Basis } from '../documents/verified-activity.ts'

export type GroupRow = DocumentsRow & { total: number; covered: number; percent: number }

/** What the report's rows are: provinces nationally, districts where the structure of asOf has them, else commune types. */
export type GroupBy = 'province' | 'district' | 'type'

export type MinistryReport = SavingsTotals & {
  title: string
  year: number
  asOf: string
  generatedAt: string
  parent: { code: string | null; name: string }
  coverage: { total: number; covered: number; percent: number; byType: CoverageResult['byType'] }
  reached100At: string | null
  groupBy: GroupBy
  groups: GroupRow[]
  /** The district rows (empty where asOf has no districts): kept for readers of the earlier report. */
  districts: GroupRow[]
  uncovered: CoverageResult['uncovered']
  months: SavingsResult['byMonth']
  assumptions: SavingsResult['assumptions']
  demonstration: boolean
}

function joinGroups(coverage: GroupCount[], documents: DocumentsRow[]): GroupRow[] {
  const byCode = new Map<string, GroupRow>()
  for (const g of coverage) byCode.set(g.code, { ...g, documentsSigned: 0, documentsVerified: 0, estimatedSavingsVnd: 0 })
  for (const d of documents) {
    const row = byCode.get(d.code) ?? { code: d.code, name: d.name, total: 0, covered: 0, percent: percentOf(0, 0), documentsSigned: 0, documentsVerified: 0, estimatedSavingsVnd: 0 }
    row.documentsSigned = d.documentsSigned
    row.documentsVerified = d.documentsVerified
    row.estimatedSavingsVnd = d.estimatedSavingsVnd
    byCode.set(d.code, row)
  }
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
}

/**
 * The report to the Ministry for a year: organisation-certificate coverage at the end of the year's
 * last day (for the current year: at the end of today), the first month-end of the year at 100%,
 * documents signed and savings over the year's months up to the current one, each on the structure
 * of its own date. A future year has nothing to report yet: 400.
 */
export async function ministryReport(db: DbOrTx, options: { year: number; parent?: string | null; parameters?: SavingsParameters; basis?: Basis; now?: Date }): Promise<MinistryReport> {
  const { year } = options
  const now = options.now ?? new Date()
  const today = todayVn(now)
  if (`${year}-01-01` > today) throw new BadRequest(`The year ${year} has not begun; a report covers a year up to today (${today}).`)
  const yearEnd = `${year}-12-31`
  const asOf = yearEnd < today ? yearEnd : today
  const lastMonth = `${year}-12` < thisMonthVn(now) ? `${year}-12` : thisMonthVn(now)
  const area = await areaForRange(db, { parent: options.parent }, `${year}-01`, asOf.slice(0, 7))

  // Independent statements: on a pool they run side by side.
  const [coverage, timeline, savings, demonstration] = await Promise.all([
    coverageOn(db, { asOf, area, kind: 'organization' }),
    coverageTimeline(db, { from: `${year}-01`, to: lastMonth, area, kind: 'organization' }),
    savingsFor(db, { from: `${year}-01`, to: lastMonth, area, parameters: options.parameters, basis: options.basis }),
    holdsDemonstration(db),
  ])

  const typeCoverage = Object.entries(coverage.byType)
    .filter(([, t]) => t.total > 0)
    .map(([code, t]) => ({ code, name: code, total: t.total, covered: t.covered, percent: percentOf(t.covered, t.total) }))
  const groupBy: GroupBy = area.code === null ? 'province' : coverage.byDistrict.length ? 'district' : 'type'
  const districts = joinGroups(coverage.byDistrict, coverage.byDistrict.length ? savings.byDistrict : [])
  const groups = groupBy === 'province'
    ? joinGroups(coverage.byProvince ?? [], savings.byProvince)
    : groupBy === 'district'
      ? districts
      : joinGroups(typeCoverage, savings.byType)

  return {
    title: `Báo cáo triển khai chữ ký số cho UBND cấp xã năm ${year} — ${area.name}`,
    year,
    asOf,
    generatedAt: now.toISOString(),
    parent: coverage.parent,
    coverage: { total: coverage.total, covered: coverage.covered, percent: coverage.percent, byType: coverage.byType },
    reached100At: timeline.reached100At,
    groupBy,
    groups,
    districts,
    uncovered: coverage.uncovered,
    documentsSigned: savings.documentsSigned,
    documentsVerified: savings.documentsVerified,
    communesWithVerifiedDocuments: savings.communesWithVerifiedDocuments,
    basis: savings.basis,
    costPerDocumentVnd: savings.costPerDocumentVnd,
    estimatedSavingsVnd: savings.estimatedSavingsVnd,
    months: savings.byMonth,
    assumptions: savings.assumptions,
    demonstration,
  }
}
