import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'

/** Common name marker of the demonstration CA hierarchy that `npm run demo` registers (see src/demo). */
export const DEMO_CA_MARKER = 'Kyso DEMO'

/** True when this database holds the demonstration CA hierarchy: its reports are then labelled as such. */
export async function holdsDemonstration(db: DbOrTx): Promise<boolean> {
  const rows = await queryRows<{ demo: boolean }>(db,
    sql`select exists (select 1 from ca_certificates where subject_dn like ${`%${DEMO_CA_MARKER}%`}) as demo`)
  return Boolean(rows[0]?.demo)
}
