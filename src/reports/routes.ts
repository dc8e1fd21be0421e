import { Type } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { ExactIntegerSchema, StringEnum, UnitCode, errors, notModified } from '../http/schemas.ts'
import { ModelOverrides } from '../savings/routes.ts'
import { ministryReport } from './service.ts'
import { todayVn } from '../lib/dates.ts'
import { BadRequest } from '../lib/errors.ts'
import { reportCsv, reportHtml, CSV_COLUMNS } from './render.ts'

const Counts = Type.Object({ total: Type.Integer(), covered: Type.Integer() })

const MinistryReportSchema = Type.Object({
  title: Type.String(),
  year: Type.Integer(),
  asOf: Type.String({ description: 'The day coverage is taken at (its end, Vietnam time): 31 December, or today for the current year' }),
  generatedAt: Type.String(),
  parent: Type.Ref('CoverageParent'),
  coverage: Type.Object({
    total: Type.Integer(), covered: Type.Integer(), percent: Type.Number(),
    byType: Type.Object({}, { additionalProperties: Counts }),
  }, { description: 'Organisation-certificate coverage of the commune-level units at asOf' }),
  reached100At: Type.Union([Type.String(), Type.Null()], { description: 'The first month (YYYY-MM) of the year whose end found every unit covered, or null' }),
  groupBy: StringEnum(['province', 'district', 'type'] as const, {
    description: 'What groups holds: provinces for the whole country; districts where the structure on asOf has them; commune-level types where it has none (from 2025-07-01)',
  }),
  groups: Type.Array(Type.Ref('ReportGroup')),
  districts: Type.Array(Type.Ref('ReportGroup'), { description: 'The district rows; empty where the structure on asOf has no districts' }),
  months: Type.Array(Type.Object({
    month: Type.String(),
    structure: StringEnum(['districts', 'provinces'] as const),
    documentsSigned: ExactIntegerSchema(),
    documentsVerified: ExactIntegerSchema(),
  }), { description: 'Each month of the year so far, with the structure its activity was counted under (the units in force at the month\'s end)' }),
  uncovered: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), type: Type.String(), parentCode: Type.Union([Type.String(), Type.Null()]) })),
  documentsSigned: ExactIntegerSchema('Documents signed in the year\'s months, as declared'),
  documentsVerified: ExactIntegerSchema('Documents of the year whose signatures Kyso verified (POST /v1/documents)'),
  communesWithVerifiedDocuments: Type.Integer({ description: 'Communes that sent at least one verified document in the year' }),
  basis: StringEnum(['declared', 'verified'] as const, { description: 'The figure the estimate uses (query basis; default declared)' }),
  costPerDocumentVnd: Type.Integer(),
  estimatedSavingsVnd: ExactIntegerSchema('documentsSigned (or documentsVerified, by basis) × costPerDocumentVnd'),
  assumptions: Type.Ref('SavingsAssumptions'),
  demonstration: Type.Boolean({ description: 'True when this database holds the demonstration data of `npm run demo`' }),
}, { $id: 'MinistryReport' })

const ReportGroupSchema = Type.Object({
  code: Type.String({ description: 'GSO code, or the commune type (xa, phuong, thi_tran, dac_khu) when groupBy is type' }),
  name: Type.String(), total: Type.Integer(), covered: Type.Integer(), percent: Type.Number(),
  documentsSigned: ExactIntegerSchema(), documentsVerified: ExactIntegerSchema(), estimatedSavingsVnd: ExactIntegerSchema(),
}, { $id: 'ReportGroup' })

export const reportSchemas = [ReportGroupSchema, MinistryReportSchema]

export default async function reportRoutes(app: App, { db }: RouteDeps) {
  app.get('/v1/reports/ministry', {
    config: { access: 'public', cache: true },
    schema: {
      tags: ['reports'],
      summary: 'The report to the Ministry for a year',
      description: `Organisation-certificate coverage of the commune-level units under \`parent\` (the whole country when absent) at the end of the year's last day (for the current year: the end of today), the first month-end of the year at 100%, the units without a certificate, documents signed in the year (up to the current month) and the savings estimate with its assumptions, per province (whole country), per district (where the structure at the year's end has districts) or per commune type (where it has none); each month counts under the structure of its own end. A year that has not begun is 400. \`format\`: \`json\` (default); \`csv\`: one UTF-8 table with a byte-order mark, columns ${CSV_COLUMNS.join(',')}, \`row\` = total | province | district | type | uncovered, sent as an attachment; \`html\`: a printable page in Vietnamese with no external assets. The savings parameters may be overridden as in \`GET /v1/savings\`. Counts and amounts are exact, as there: in JSON a number up to 9007199254740991 (2^53 − 1) and a string of decimal digits beyond; in CSV and HTML all their digits.`,
      querystring: Type.Object({
        year: Type.Integer({ minimum: 2000, maximum: 2100 }),
        parent: Type.Optional(UnitCode('A province or district; absent: the whole country')),
        format: Type.Optional(StringEnum(['json', 'csv', 'html'] as const, { default: 'json' })),
        ...ModelOverrides,
      }, { additionalProperties: false }),
      response: {
        200: {
          description: 'The report',
          content: {
            'application/json': { schema: Type.Ref('MinistryReport') },
            'text/csv': { schema: Type.String({ description: 'UTF-8 with BOM' }) },
            'text/html': { schema: Type.String({ description: 'Printable page in Vietnamese' }) },
          },
        },
        ...notModified,
        ...errors(400, 401, 404, 503),
      },
    },
  }, async (request, reply) => {
    const { year, parent, format = 'json', basis, ...parameters } = request.query
    const thisYear = Number(todayVn().slice(0, 4))
    if (year > thisYear) throw new BadRequest(`year ${year} has not begun: a report covers a year up to today (${thisYear} at most).`)
    const report = await ministryReport(db, { year, parent, parameters, basis })
    if (format === 'csv') {
      const name = `kyso-bao-cao-${year}-${report.parent.code ?? 'viet-nam'}.csv`
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(reportCsv(report))
    }
    if (format === 'html') return reply.type('text/html; charset=utf-8').send(reportHtml(report))
    return report
  })
}
