import { Type } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { CSV_TYPES, JSON_TYPES, bodyBytes } from '../http/content-types.ts'
import { CsvBody, MonthString, UnitCode, errors } from '../http/schemas.ts'
import { actorOf } from '../auth/hook.ts'
import { importActivity, putActivity } from './service.ts'

const ActivitySchema = Type.Object({
  unitCode: Type.String(),
  month: Type.String({ description: 'YYYY-MM' }),
  documentsSigned: Type.Integer({ minimum: 0 }),
  updatedAt: Type.String({ description: 'ISO 8601' }),
}, { $id: 'SigningActivity' })

export const activitySchemas = [ActivitySchema]

export default async function activityRoutes(app: App, { db }: RouteDeps) {
  app.put('/v1/activity/:unitCode/:month', {
    config: { access: 'registrar', accepts: JSON_TYPES },
    schema: {
      tags: ['activity'],
      summary: 'Record the documents a commune-level unit signed in a month (upsert)',
      description: 'Registrar or admin. Signing activity is recorded for commune-level units only (422 `unprocessable` with problem `not_a_commune` otherwise). A registrar limited to a scope gets 403 `forbidden` for a unit outside it. Unknown unit: 404. Audited.',
      security: [{ bearerAuth: [] }],
      params: Type.Object({ unitCode: UnitCode(), month: MonthString('The month') }),
      body: Type.Object({ documentsSigned: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('SigningActivity'), ...errors(400, 401, 403, 404, 413, 415, 422, 429, 503) },
    },
  }, async (request) => {
    const { unitCode, month } = request.params
    return putActivity(db, actorOf(request), unitCode, month, request.body.documentsSigned)
  })

  app.post('/v1/activity/import', {
    config: { access: 'registrar', accepts: CSV_TYPES },
    schema: {
      tags: ['activity'],
      summary: 'Import signing activity from CSV (all or nothing)',
      description: 'Registrar or admin. Body text/csv, UTF-8, header `unit_code,month,documents_signed` (month YYYY-MM, documents_signed a whole number ≥ 0). Upserts by unit and month. The file is stored whole or not at all: bad rows (column count, code, month, count, a unit and month twice, unknown unit, a unit that is not commune-level) give 422 `unprocessable`; rows for units outside a registrar\'s scope give 403 `forbidden`. Both answers list `problems` with line numbers (at most 100). Rows are written in multi-row statements of 5,000.',
      security: [{ bearerAuth: [] }],
      consumes: CSV_TYPES,
      body: CsvBody,
      response: {
        200: Type.Object({ rows: Type.Integer(), inserted: Type.Integer(), updated: Type.Integer() }),
        ...errors(400, 401, 403, 413, 415, 422, 429, 503),
      },
    },
  }, async (request) => importActivity(db, actorOf(request), bodyBytes(request.body)))
}
