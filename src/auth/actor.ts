import type { Access } from '../http/access.ts'

export type Role = 'admin' | 'registrar' | 'viewer'
export const ROLES = ['admin', 'registrar', 'viewer'] as const

/** Who is making a request. `scope` null means everywhere. */
export type Actor = {
  id: string | null
  name: string
  role: Role
  scope: string[] | null
}

/** The process itself (seed, command line tools), for the audit log. */
export const SYSTEM_ACTOR: Actor = { id: null, name: 'system', role: 'admin', scope: null }

const RANK: Record<Role, number> = { viewer: 1, registrar: 2, admin: 3 }

export function roleAllows(role: Role, access: Access): boolean {
  if (access === 'open' || access === 'public' || access === 'viewer') return true
  return RANK[role] >= RANK[access]
}
