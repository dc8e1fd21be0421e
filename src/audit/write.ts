/** The audit log: every write records who did what, in the write's own transaction. */
import { auditLog } from '../db/schema.ts'
import type { DbOrTx } from '../db/open.ts'

/** Who made the write: a token's id and name, or the process itself (id null). */
export type AuditActor = { id: string | null; name: string }

export type AuditEntry = {
  action: string
  entityType: string
  entityId?: string | null
  details?: Record<string, unknown>
}

/** Records a write (or many, in one statement). Call it inside the write's own transaction so that both land or neither does. */
export async function audit(tx: DbOrTx, actor: AuditActor, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries]
  if (!list.length) return
  await tx.insert(auditLog).values(list.map((entry) => ({
    actorId: actor.id,
    actorName: actor.name,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    details: entry.details ?? {},
  })))
}
