import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Actor } from './actor.ts'
import { Unprocessable } from '../lib/errors.ts'

/**
 * The codes that place a unit version for access control: its own, its ancestors', and those of the versions
 * it descends from through lineage (admin_units.place_codes).
 */
export type ScopedUnit = { placeCodes: readonly string[] }

/**
  * A registrar with a scope may write only for the listed units and everything under them, including the
 * units that descend from them through lineage: a token scoped to Bình Thuận (60) before 2025-07-01 keeps the
 * communes of Lâm Đồng (68) formed from Bình Thuận's communes, and no others. Scope null means everywhere;
 * an empty list (refused when a token is created) allows nothing.
 */
export function inScope(actor: Actor, unit: ScopedUnit): boolean {
  const codes = writableCodes(actor)
  return codes === null || unit.placeCodes.some((c) => codes.includes(c))
}

/** The codes under which an actor may write: null for everywhere, none for a viewer. */
function writableCodes(actor: Actor): readonly string[] | null {
  if (actor.role === 'viewer') return []
  if (actor.role === 'admin' || actor.scope === null) return null
  return actor.scope
}

/** The rule of `inScope` in SQL, for a listed scope: the unit version `alias` lies in `scope` (a SQL text[]). */
export function placedInSql(alias: string, scope: SQL): SQL {
  return sql`(${sql.raw(alias)}.place_codes && ${scope})`
}

/** `inScope` in SQL, for a row that holds its unit version's id in `unitId` (certificates). */
export function unitIdInScopeSql(actor: Actor, unitId: SQLWrapper): SQL {
  const codes = writableCodes(actor)
  if (codes === null) return sql`true`
  return sql`exists (select 1 from admin_units u where u.id = ${unitId} and ${placedInSql('u', codesSql(codes))})`
}

/** Unit codes as a SQL text[], sent as one parameter however many they are. */
export function codesSql(codes: readonly string[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`
}

/** The refusal of a scope (of a token, of a subscription) that lists codes no unit has. */
export function unknownScopeCodes(missing: string[]): Unprocessable {
  return new Unprocessable(`Unknown unit codes in scope: ${missing.join(', ')}.`,
    missing.map((code) => ({ code: 'unit_not_found', message: `No administrative unit has the code ${code}.` })))
}
