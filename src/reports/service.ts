import { sql } from 'drizzle-orm'
import type { Tx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { coverageOn, coverageTimeline, percentOf, resolveParent, type CoverageResult } from '../coverage/service.ts'
import { savingsFor, type SavingsResult } from '../savings/service.ts'
import type { SavingsParameters } from '../savings/model.ts'
import { thisMonthVn, todayVn } from '../lib/dates.ts'
import type { Basis } from '../documents/verified-activity.ts'

export type DistrictRow = {
  code: string
  name: string
  total: number
  covered: number
  percent: number
  documentsSigned: number
  documentsVerified: number
  estimatedSavingsVnd: number
}

export type MinistryReport = {
  title: string
  year: number
  asOf: string
  generatedAt: string
  parent: { code: string | null; name: string }
  coverage: { total: number; covered: number; percent: number; byType: CoverageResult['byType'] }
  reached100At: string | null
  districts: DistrictRow[]
  uncovered: CoverageResult['uncovered']
  documentsSigned: number
  documentsVerified: number
  communesWithVerifiedDocuments: number
  basis: Basis
  costPerDocumentVnd: number
  estimatedSavingsVnd: number
  assumptions: SavingsResult['assumptions']
  demonstration: boolean
}

/**
 * The report to the Ministry for a year: organisation-certificate coverage at the end of the year's
 * last day (for the current year: at the end of today), the first month-end of the year at 100%,
 * documents signed and savings over the year's months (up to the current month), per district.
 */
export async function ministryReport(db: Tx, options: { year: number; parent?: string | null; parameters?: SavingsParameters; basis?: Basis; now?: Date }): Promise<MinistryReport> {
  const { year } = options
  const now = options.now ?? new Date()
  const parent = await resolveParent(db, options.parent)
  const yearEnd = `${year}-12-31`
  const today = todayVn(now)
  const asOf = yearEnd < today ? yearEnd : today
  const lastMonth = `${year}-12` < thisMonthVn(now) ? `${year}-12` : thisMonthVn(now)
  const months = lastMonth >= `${year}-01` ? { from: `${year}-01`, to: lastMonth } : null

  // Independent statements: on a pool they run side by side.
  const [coverage, timeline, savings, demonstration] = await Promise.all([
    coverageOn(db, { asOf, parent, kind: 'organization' }),
    months ? coverageTimeline(db, { ...months, parent, kind: 'organization' }) : Promise.resolve(null),
    savingsFor(db, { from: `${year}-01`, to: `${year}-12`, parent, parameters: options.parameters, basis: options.basis }),
    holdsDemonstration(db),
  ])

  const byCode = new Map<string, DistrictRow>()
  for (const d of coverage.byDistrict) byCode.set(d.code, { ...d, documentsSigned: 0, documentsVerified: 0, estimatedSavingsVnd: 0 })
  for (const s of savings.byDistrict) {
    const row = byCode.get(s.code) ?? { code: s.code, name: s.name, total: 0, covered: 0, percent: percentOf(0, 0), documentsSigned: 0, documentsVerified: 0, estimatedSavingsVnd: 0 }
    row.documentsSigned = s.documentsSigned
    row.documentsVerified = s.documentsVerified
    row.estimatedSavingsVnd = s.estimatedSavingsVnd
    byCode.set(s.code, row)
  }
  const districts = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))

  return {
    title: `Báo cáo triển khai chữ ký số cho UBND cấp xã năm ${year} — ${parent.name}`,
    year,
    asOf,
    generatedAt: now.toISOString(),
    parent: coverage.parent,
    coverage: { total: coverage.total, covered: coverage.covered, percent: coverage.percent, byType: coverage.byType },
    reached100At: timeline?.reached100At ?? null,
    districts,
    uncovered: coverage.uncovered,
    documentsSigned: savings.documentsSigned,
    documentsVerified: savings.documentsVerified,
    communesWithVerifiedDocuments: savings.communesWithVerifiedDocuments,
    basis: savings.basis,
    costPerDocumentVnd: savings.costPerDocumentVnd,
    estimatedSavingsVnd: savings.estimatedSavingsVnd,
    assumptions: savings.assumptions,
    demonstration,
  }
}

/** Common name marker of the demonstration CA hierarchy that `npm run demo` registers (see src/demo). */
export const DEMO_CA_MARKER = 'Kyso DEMO'

/** True when this database holds the demonstration CA hierarchy: its reports are then labelled as such. */
export async function holdsDemonstration(db: Tx): Promise<boolean> {
  const rows = await queryRows<{ demo: boolean }>(db,
    sql`select exists (select 1 from ca_certificates where subject_dn like ${`%${DEMO_CA_MARKER}%`}) as demo`)
  return Boolean(rows[0]?.demo)
}
