import { Type } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { ExactIntegerSchema, MonthString, StringEnum, UnitCode, errors, notModified } from '../http/schemas.ts'
import { areaForRange } from '../coverage/area.ts'
import { thisMonthVn } from '../lib/dates.ts'
import { COMPONENTS, DEFAULT_COST_PER_DOCUMENT_VND, FORMULA } from './model.ts'
import { savingsFor } from './service.ts'
import { BASES } from '../documents/verified-activity.ts'
import { holdsDemonstration } from '../trust/demonstration.ts'

const Vnd = (description: string) => Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description }))

/** Query parameters that override the model (shared with the ministry report). */
export const ModelOverrides = {
  costPerDocumentVnd: Vnd(`Savings per document in đồng; replaces the sum of the components (default ${DEFAULT_COST_PER_DOCUMENT_VND})`),
  paperVnd: Vnd(`Paper, printing and ink per document (default ${COMPONENTS[0].defaultVnd})`),
  postageVnd: Vnd(`Postage or courier per document (default ${COMPONENTS[1].defaultVnd})`),
  staffTimeVnd: Vnd(`Staff time per document (default ${COMPONENTS[2].defaultVnd})`),
  basis: Type.Optional(StringEnum(BASES, { description: 'Which documents the estimate counts: declared (PUT /v1/activity, the default) or verified (signed documents whose signatures Kyso verified, POST /v1/documents)' })),
}

const AssumptionSchema = Type.Object({
  name: Type.String({ description: 'paperVnd, postageVnd, staffTimeVnd or costPerDocumentVnd' }),
  valueVnd: Type.Integer(),
  unit: Type.String({ description: 'Always "đồng per document"' }),
  source: Type.Union([Type.Literal('sourced'), Type.Literal('assumption')]),
  overridden: Type.Boolean({ description: 'True when the request set this value' }),
  note: Type.String({ description: 'Where the value comes from' }),
})

const AssumptionsSchema = Type.Object({
  formula: Type.String(),
  costPerDocumentFrom: Type.Union([Type.Literal('components'), Type.Literal('request')]),
  parameters: Type.Array(AssumptionSchema, { description: 'Every parameter in force' }),
  reference: Type.Object({ name: Type.String(), source: Type.String(), note: Type.String() }),
}, { $id: 'SavingsAssumptions' })

const SavingsSchema = Type.Object({
  from: Type.String(), to: Type.String(),
  parent: Type.Ref('CoverageParent'),
  documentsSigned: ExactIntegerSchema('Documents declared signed (PUT /v1/activity)'),
  documentsVerified: ExactIntegerSchema('Documents whose signatures were verified (POST /v1/documents)'),
  communesWithVerifiedDocuments: Type.Integer({ description: 'Communes with at least one verified document in the range' }),
  basis: StringEnum(BASES, { description: 'The figure the estimate uses' }),
  costPerDocumentVnd: Type.Integer(),
  estimatedSavingsVnd: ExactIntegerSchema('documentsSigned (or documentsVerified, by basis) × costPerDocumentVnd'),
  byProvince: Type.Array(Type.Ref('DocumentsRow'), { description: 'Provinces with recorded activity, each month under the province of its month end, by code' }),
  byDistrict: Type.Array(Type.Ref('DocumentsRow'), { description: 'Districts with recorded activity in months that had districts (before 2025-07-01), by code' }),
  byType: Type.Array(Type.Ref('DocumentsRow'), { description: 'Per commune-level type (code and name are the type: xa, phuong, thi_tran, dac_khu), over the whole range' }),
  byMonth: Type.Array(Type.Object({
    month: Type.String(),
    structure: StringEnum(['districts', 'provinces'] as const, { description: 'districts: the month end had districts (three levels); provinces: communes directly under provinces (from 2025-07-01)' }),
    documentsSigned: ExactIntegerSchema(),
    documentsVerified: ExactIntegerSchema(),
  }), { description: 'Every month of the range, with the structure its activity was counted under' }),
  assumptions: Type.Ref('SavingsAssumptions'),
  demonstration: Type.Boolean({ description: 'True when this database holds the demonstration data of `npm run demo` (its figures are illustrative); the same flag as the ministry report\'s' }),
}, { $id: 'Savings' })

const DocumentsRowSchema = Type.Object({
  code: Type.String(), name: Type.String(),
  documentsSigned: ExactIntegerSchema(), documentsVerified: ExactIntegerSchema(), estimatedSavingsVnd: ExactIntegerSchema(),
}, { $id: 'DocumentsRow' })

export const savingsSchemas = [AssumptionsSchema, DocumentsRowSchema, SavingsSchema]

export default async function savingsRoutes(app: App, { db }: RouteDeps) {
  app.get('/v1/savings', {
    config: { access: 'public', cache: true },
    schema: {
      tags: ['activity'],
      summary: 'Estimated savings from documents signed electronically',
      description: `Documents signed by the commune-level units under \`parent\` (whole country when absent; or, with \`successorsOf\`, the units descending from a former unit) from \`from\` to \`to\` (months, both included; at most 240), and the savings estimated by the model: ${FORMULA}. Defaults: paperVnd ${COMPONENTS[0].defaultVnd}, postageVnd ${COMPONENTS[1].defaultVnd}, staffTimeVnd ${COMPONENTS[2].defaultVnd} đồng per document (all three are assumptions; see docs/savings-model.md). Every parameter in force is echoed in \`assumptions.parameters\` with its source; overridden ones carry \`overridden: true\`. \`to\` defaults to the current month, \`from\` to January of \`to\`'s year. Each month's activity counts under the parent as it stood at that month's end; \`parent\` itself is taken as it stands at the end of the range (or at its start, if it ended within the range). Counts and amounts (\`documentsSigned\`, \`documentsVerified\`, \`estimatedSavingsVnd\`: totals, rows and months) are computed exactly in integers and written as a JSON number up to 9007199254740991 (2^53 − 1), as a string of decimal digits beyond.`,
      querystring: Type.Object({
        from: Type.Optional(MonthString('First month')),
        to: Type.Optional(MonthString('Last month')),
        parent: Type.Optional(UnitCode('A province or district; absent: the whole country')),
        successorsOf: Type.Optional(UnitCode('Instead of parent: the territory of a former province or district, followed through lineage')),
        ...ModelOverrides,
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('Savings'), ...notModified, ...errors(400, 401, 404, 503) },
    },
  }, async (request) => {
    const { parent, successorsOf, from: f, to: t, basis, ...parameters } = request.query
    const to = t ?? thisMonthVn()
    const from = f ?? `${to.slice(0, 4)}-01`
    const area = await areaForRange(db, { parent, successorsOf }, from, to)
    const [savings, demonstration] = await Promise.all([savingsFor(db, { from, to, area, parameters, basis }), holdsDemonstration(db)])
    return { ...savings, demonstration }
  })
}
