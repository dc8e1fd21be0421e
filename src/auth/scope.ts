import type { Actor } from './actor.ts'

/** The codes that place a unit: itself and its ancestors. */
export type UnitPlace = { code: string; districtCode: string | null; provinceCode: string | null }

/**
 * A registrar with a scope may write only for the listed units and everything under them; scope null
 * means everywhere. An empty list (refused when a token is created) allows nothing.
 */
export function inScope(actor: Actor, unit: UnitPlace): boolean {
  if (actor.role === 'viewer') return false
  if (actor.role === 'admin' || actor.scope === null) return true
  return [unit.code, unit.districtCode, unit.provinceCode].some((c) => c !== null && actor.scope!.includes(c))
}
