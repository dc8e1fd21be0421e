import { Type } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { CSV_TYPES, bodyBytes } from '../http/content-types.ts'
import { DateString, StringEnum, UnitCode, errors } from '../http/schemas.ts'
import { actorOf } from '../auth/hook.ts'
import { LEVELS, UNIT_TYPES } from './types.ts'
import { getUnit, importUnits, listUnits } from './service.ts'

const UnitSchema = Type.Object({
  code: Type.String({ description: 'GSO code' }),
  name: Type.String({ description: 'Official name with its unit-type word, NFC' }),
  type: StringEnum(UNIT_TYPES),
  level: StringEnum(LEVELS),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.Union([Type.String(), Type.Null()], { description: 'First day the unit exists (inclusive); null: always' }),
  validTo: Type.Union([Type.String(), Type.Null()], { description: 'Last day the unit exists (inclusive); null: still exists' }),
}, { $id: 'Unit' })

export const unitSchemas = [UnitSchema]

export default async function unitRoutes(app: App, { db }: RouteDeps) {
  app.post('/v1/units/import', {
    config: { access: 'admin', accepts: CSV_TYPES },
    schema: {
      tags: ['units'],
      summary: 'Import administrative units from CSV (all or nothing)',
      description: 'Body text/csv, UTF-8, header `code,name,type,level,parent_code` and optionally `valid_from,valid_to` (inclusive dates, empty = open). Upserts by code. Any bad row refuses the whole file with 422 and `problems` naming line numbers; nothing is stored.',
      security: [{ bearerAuth: [] }],
      consumes: CSV_TYPES,
      body: Type.Unsafe<Buffer>({ contentMediaType: 'text/csv', description: 'The CSV file' }),
      response: {
        200: Type.Object({ inserted: Type.Integer(), updated: Type.Integer() }),
        ...errors(400, 401, 403, 413, 415, 422, 429, 503),
      },
    },
  }, async (request) => importUnits(db, actorOf(request), bodyBytes(request.body)))

  app.get('/v1/units', {
    config: { access: 'public' },
    schema: {
      tags: ['units'],
      summary: 'List administrative units',
      description: '`parent` selects every unit under that code (children and grandchildren); `q` matches names regardless of case, diacritics and tone-mark placement (Thủy = Thuỷ = thuy).',
      querystring: Type.Object({
        parent: Type.Optional(UnitCode('Only units under this unit')),
        level: Type.Optional(StringEnum(LEVELS)),
        q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name' })),
        asOf: Type.Optional(DateString('Only units that exist on this day')),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20000, default: 20000 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Ref('Unit')), total: Type.Integer({ description: 'Matching units, before limit and offset' }) }),
        ...errors(400, 401, 503),
      },
    },
  }, async (request) => {
    const { parent, level, q, asOf, limit = 20000, offset = 0 } = request.query
    return listUnits(db, { parent, level, q, asOf, limit, offset })
  })

  app.get('/v1/units/:code', {
    config: { access: 'public' },
    schema: {
      tags: ['units'],
      summary: 'One administrative unit',
      params: Type.Object({ code: UnitCode() }),
      response: { 200: Type.Ref('Unit'), ...errors(400, 401, 404, 503) },
    },
  }, async (request) => {
    const { districtCode: _d, provinceCode: _p, ...unit } = await getUnit(db, request.params.code)
    return unit
  })
}
