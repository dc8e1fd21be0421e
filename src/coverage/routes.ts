import { Type } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { DateString, MonthString, StringEnum, UnitCode, errors, notModified } from '../http/schemas.ts'
import { BadRequest } from '../lib/errors.ts'
import { addMonths, isDay, thisMonthVn, todayVn } from '../lib/dates.ts'
import { COVERAGE_KINDS, MAX_TIMELINE_MONTHS } from './kinds.ts'
import { coverageOn } from './snapshot.ts'
import { coverageTimeline } from './timeline.ts'
import { areaForRange, resolveArea } from './area.ts'

const ParentSchema = Type.Object({
  code: Type.Union([Type.String(), Type.Null()], { description: 'GSO code of the parent; null for the whole country' }),
  name: Type.String({ description: 'Its name; "Việt Nam" for the whole country' }),
}, { $id: 'CoverageParent' })

const Counts = Type.Object({ total: Type.Integer(), covered: Type.Integer() })
const GroupCounts = Type.Object({ code: Type.String(), name: Type.String(), total: Type.Integer(), covered: Type.Integer(), percent: Type.Number() })

const CoverageSchema = Type.Object({
  asOf: Type.String({ description: 'The day (YYYY-MM-DD); coverage is taken at its end, 23:59:59.999 +07:00' }),
  parent: Type.Ref('CoverageParent'),
  successorsOf: Type.Optional(Type.String({ description: 'With successorsOf: the former unit whose territory the figures follow (also in parent)' })),
  kind: StringEnum(COVERAGE_KINDS),
  total: Type.Integer({ description: 'Commune-level units of the area in force on asOf' }),
  covered: Type.Integer({ description: 'Of those, the units holding a valid, unrevoked certificate of the kind at the end of asOf' }),
  percent: Type.Number({ description: '100 × covered / total with two decimals, rounded down (100 only when every unit is covered; 0 when there is no unit)' }),
  byType: Type.Object({ xa: Counts, phuong: Counts, thi_tran: Counts, dac_khu: Counts }, {
    additionalProperties: Counts, description: 'Per commune-level type, every type always present',
  }),
  byProvince: Type.Optional(Type.Array(GroupCounts, { description: 'Without parent only: per province in force on asOf, by code' })),
  byDistrict: Type.Array(GroupCounts, { description: 'Per district in force on asOf, by code; empty where the structure on asOf has no districts (from 2025-07-01)' }),
  uncovered: Type.Array(Type.Object({
    code: Type.String(), name: Type.String(), type: Type.String(), parentCode: Type.Union([Type.String(), Type.Null()]),
  }), { description: 'The units not covered, by code' }),
  expiringWithin90Days: Type.Array(Type.Object({
    unitCode: Type.String({ description: 'The unit in force on asOf that the certificate covers' }),
    certificateId: Type.String(),
    notAfter: Type.String({ description: 'ISO 8601' }),
    recordedFor: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()], {
      description: 'When the certificate names a former version of the unit (recorded before a rename or a change of province): that version. Its renewal should name the unit as it is now.',
    }),
  }), { description: 'Certificates of the kind, valid at asOf, whose notAfter falls within 90 days after the end of asOf; by notAfter' }),
}, { $id: 'Coverage' })

const TimelineSchema = Type.Object({
  from: Type.String(), to: Type.String(),
  parent: Type.Ref('CoverageParent'),
  kind: StringEnum(COVERAGE_KINDS),
  points: Type.Array(Type.Object({
    month: Type.String({ description: 'YYYY-MM' }),
    asOf: Type.String({ description: 'The month\'s last day; coverage is taken at its end (Vietnam time)' }),
    total: Type.Integer(), covered: Type.Integer(), percent: Type.Number(),
  })),
  reached100At: Type.Union([Type.String(), Type.Null()], { description: 'The first month (YYYY-MM) of the range whose end finds every unit covered, or null' }),
}, { $id: 'CoverageTimeline' })

export const coverageSchemas = [ParentSchema, CoverageSchema, TimelineSchema]

const KindParam = Type.Optional(StringEnum(COVERAGE_KINDS, { description: 'Which certificates count (default organization)', default: 'organization' }))
const ParentParam = Type.Optional(UnitCode('A province or district as it stands on the day: the commune-level units under it. Absent: the whole country'))
const SuccessorsParam = Type.Optional(UnitCode('Instead of parent: the units in force on the day that descend, through lineage, from the commune-level units under this code on its last day (the territory of a former province or district)'))

export default async function coverageRoutes(app: App, { db }: RouteDeps) {
  app.get('/v1/coverage', {
    config: { access: 'public', cache: true },
    schema: {
      tags: ['coverage'],
      summary: 'Coverage on a day',
      description: 'Over the commune-level units under `parent` as it stands on `asOf` (the whole country when absent; `parent` in the answer is then `{"code":null,"name":"Việt Nam"}`) that are in force on `asOf`, a unit is covered when it holds a certificate of `kind` with notBefore ≤ asOf < notAfter that is not revoked at asOf (revokedAt absent or after asOf), asOf being the end of that day in Vietnam time (23:59:59.999 +07:00). A certificate covers the unit version it was recorded for and that version\'s successors through `unchanged` lineage (the same People\'s Committee), never a unit formed by a merger. `asOf` defaults to today in Vietnam time. A parent with no version on asOf is 404 naming its successors; a commune-level parent is 400.',
      querystring: Type.Object({
        asOf: Type.Optional(DateString('The day')),
        parent: ParentParam,
        successorsOf: SuccessorsParam,
        kind: KindParam,
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('Coverage'), ...notModified, ...errors(400, 401, 404, 503) },
    },
  }, async (request) => {
    const { asOf = todayVn(), kind = 'organization' } = request.query
    if (!isDay(asOf)) throw new BadRequest(`asOf ${JSON.stringify(asOf)} is not a calendar date between 1900 and 2100.`)
    return coverageOn(db, { asOf, area: await resolveArea(db, request.query, asOf), kind })
  })

  app.get('/v1/coverage/timeline', {
    config: { access: 'public', cache: true },
    schema: {
      tags: ['coverage'],
      summary: 'Coverage at the end of each month',
      description: `Coverage (as \`GET /v1/coverage\` defines it) at the end of the last day of each month from \`from\` to \`to\` (both included, at most ${MAX_TIMELINE_MONTHS} months), each month end on the units in force on its own day (a range across 2025-07-01 counts the former units before it and the new ones after). \`parent\` is taken as it stands at the end of the range (or at its start, if it ended within the range). \`reached100At\` is the first month of the range at 100%, or null. Defaults: \`to\` the current month (Vietnam time), \`from\` 11 months before \`to\`.`,
      querystring: Type.Object({
        from: Type.Optional(MonthString('First month')),
        to: Type.Optional(MonthString('Last month')),
        parent: ParentParam,
        successorsOf: SuccessorsParam,
        kind: KindParam,
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('CoverageTimeline'), ...notModified, ...errors(400, 401, 404, 503) },
    },
  }, async (request) => {
    const { kind = 'organization' } = request.query
    const to = request.query.to ?? thisMonthVn()
    const from = request.query.from ?? addMonths(to, -11)
    return coverageTimeline(db, { from, to, area: await areaForRange(db, request.query, from, to), kind })
  })
}
