import { auditLog } from '../db/schema.ts'
import type { Tx } from '../db/open.ts'
import type { Actor } from './actor.ts'

export type AuditEntry = {
  action: string
  entityType: string
  entityId?: string | null
  details?: Record<string, unknown>
}

/** Records a write. Call it inside the write's own transaction so that both land or neither does. */
export async function audit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: actor.id,
    actorName: actor.name,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    details: entry.details ?? {},
  })
}
