import { Type } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { CSV_TYPES, bodyBytes } from '../http/content-types.ts'
import { CsvBody, DateString, StringEnum, UnitCode, errors, notModified } from '../http/schemas.ts'
import { BadRequest } from '../lib/errors.ts'
import { actorOf } from '../auth/hook.ts'
import { isDay, todayVn } from '../lib/dates.ts'
import { LEVELS, UNIT_TYPES } from './types.ts'
import { importUnits } from './import.ts'
import { importLineage } from './lineage.ts'
import { listUnits, requireVersionOn } from './query.ts'
import { neighbours, unitHistory, withLineage } from './history.ts'
import { publicUnit } from './record.ts'
import { SHARES } from './lineage-csv.ts'

const UnitSchema = Type.Object({
  code: Type.String({ description: 'GSO code' }),
  name: Type.String({ description: 'Official name with its unit-type word, NFC' }),
  type: StringEnum(UNIT_TYPES),
  level: StringEnum(LEVELS),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.Union([Type.String(), Type.Null()], { description: 'First day the unit exists (inclusive); null: always' }),
  validTo: Type.Union([Type.String(), Type.Null()], { description: 'Last day the unit exists (inclusive); null: still exists' }),
}, { $id: 'Unit', description: 'One version of a unit: a code names at most one unit on any day, but may name different units at different times.' })

const NeighbourSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  validFrom: Type.Union([Type.String(), Type.Null()]),
  validTo: Type.Union([Type.String(), Type.Null()]),
  share: StringEnum(SHARES, { description: 'whole: all of the old unit went into the new one; part: some of it; unchanged: the same People\'s Committee goes on under a new version' }),
}, { $id: 'UnitNeighbour' })

const UnitWithLineageSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  type: StringEnum(UNIT_TYPES),
  level: StringEnum(LEVELS),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.Union([Type.String(), Type.Null()]),
  validTo: Type.Union([Type.String(), Type.Null()]),
  predecessors: Type.Array(Type.Ref('UnitNeighbour')),
  successors: Type.Array(Type.Ref('UnitNeighbour')),
}, { $id: 'UnitWithLineage' })

export const unitSchemas = [UnitSchema, NeighbourSchema, UnitWithLineageSchema]

/** The options of an admin's all-or-nothing CSV import that answers how many rows it inserted and updated. */
function csvImport(summary: string, description: string) {
  return {
    config: { access: 'admin' as const, accepts: CSV_TYPES },
    schema: {
      tags: ['units'],
      summary,
      description,
      security: [{ bearerAuth: [] }],
      consumes: CSV_TYPES,
      body: CsvBody,
      response: {
        200: Type.Object({ inserted: Type.Integer(), updated: Type.Integer() }),
        ...errors(400, 401, 403, 413, 415, 422, 429, 503),
      },
    },
  }
}

function dayOf(value: string | undefined): string {
  if (value === undefined) return todayVn()
  if (!isDay(value)) throw new BadRequest(`asOf ${value} is not a calendar day between 1900 and 2100 (YYYY-MM-DD).`)
  return value
}

export default async function unitRoutes(app: App, { db }: RouteDeps) {
  app.post('/v1/units/import', csvImport(
    'Import administrative units from CSV (all or nothing)',
    'Body text/csv, UTF-8, header `code,name,type,level,parent_code` and optionally `valid_from,valid_to` (inclusive days, empty = open). A version is identified by code and valid_from; importing it again updates it. Refused whole with 422 and `problems` naming line numbers, nothing stored: overlapping versions of one code (in the file or against the database), a parent missing or of the wrong level for part of a child\'s validity (children already recorded included), a change that leaves a recorded certificate or signing activity without a commune-level unit in force, bad level, type or column count.',
  ), async (request) => importUnits(db, actorOf(request), bodyBytes(request.body)))

  app.post('/v1/units/lineage', csvImport(
    'Import lineage between unit versions (all or nothing)',
    'Body text/csv, UTF-8, header `old_code,old_valid_to,new_code,new_valid_from,share`, share ∈ whole|part|unchanged. The old version is the one of old_code ending on old_valid_to, the new one the version of new_code beginning on new_valid_from. `unchanged` means the same People\'s Committee goes on: a certificate of the old version covers the new one. Importing a pair again updates its share. Any bad row refuses the whole file with 422.',
  ), async (request) => importLineage(db, actorOf(request), bodyBytes(request.body)))

  app.get('/v1/units', {
    config: { access: 'public', cache: true },
    schema: {
      tags: ['units'],
      summary: 'List the administrative units in force on a day',
      description: 'The versions in force on `asOf` (default: today in Vietnam). `parent` is resolved on that day and selects every unit under it (children and grandchildren); a parent with no version that day answers 404 naming its successors. `q` matches names regardless of case, diacritics and tone-mark placement (Thủy = Thuỷ = thuy).',
      querystring: Type.Object({
        parent: Type.Optional(UnitCode('Only units under this unit')),
        level: Type.Optional(StringEnum(LEVELS)),
        q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name' })),
        asOf: Type.Optional(DateString('The day; default today')),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20000, default: 20000 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000, default: 0 })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({ asOf: Type.String(), items: Type.Array(Type.Ref('Unit')), total: Type.Integer({ description: 'Matching units, before limit and offset' }) }),
        ...notModified,
        ...errors(400, 401, 404, 503),
      },
    },
  }, async (request) => {
    const { parent, level, q, limit = 20000, offset = 0 } = request.query
    const asOf = dayOf(request.query.asOf)
    const { items, total } = await listUnits(db, { asOf, parent, level, q, limit, offset })
    return { asOf, items: items.map(publicUnit), total }
  })

  app.get('/v1/units/:code', {
    config: { access: 'public', cache: true },
    schema: {
      tags: ['units'],
      summary: 'The version of a unit in force on a day, with its predecessors and successors',
      description: 'A code with no version on that day answers 404; its `detail` says when the code was last in force and names its successors (also listed in `successors`).',
      params: Type.Object({ code: UnitCode() }),
      querystring: Type.Object({ asOf: Type.Optional(DateString('The day; default today')) }, { additionalProperties: false }),
      response: { 200: Type.Ref('UnitWithLineage'), ...notModified, ...errors(400, 401, 404, 503) },
    },
  }, async (request) => {
    const unit = await requireVersionOn(db, request.params.code, dayOf(request.query.asOf))
    return withLineage(unit, (await neighbours(db, [unit.id])).get(unit.id))
  })

  app.get('/v1/units/:code/history', {
    config: { access: 'public', cache: true },
    schema: {
      tags: ['units'],
      summary: 'Every version of a code, oldest first, each with its predecessors and successors',
      params: Type.Object({ code: UnitCode() }),
      response: { 200: Type.Array(Type.Ref('UnitWithLineage')), ...notModified, ...errors(400, 401, 404, 503) },
    },
  }, async (request) => unitHistory(db, request.params.code))
}
