/** Column types the schema uses beyond drizzle's own. */
import { customType, timestamp } from 'drizzle-orm/pg-core'

export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
})

export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })
