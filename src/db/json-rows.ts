/**
 * Many rows in one statement and one parameter: the rows travel as JSON, and jsonb_to_recordset reads them
 * back as the table's columns, names and types taken from the schema. A thousand rows cost one round trip
 * and no per-row parameter building.
 */
import { getTableColumns, sql, type SQL } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'

/** A value as its column's input reads it back from JSON: bytes as bytea hex, instants as ISO 8601. */
function jsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`
  if (value instanceof Date) return value.toISOString()
  return value ?? null
}

/** `insert into <table> (…) select … from <rows>`, for the columns the rows give; the caller adds ON CONFLICT and RETURNING. */
export function insertRowsSql<T extends PgTable>(table: T, rows: T['$inferInsert'][]): SQL {
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => rows.some((row) => key in row))
  const payload = rows.map((row) => Object.fromEntries(columns.map(([key, column]) => [column.name, jsonValue((row as Record<string, unknown>)[key])])))
  const names = sql.join(columns.map(([, column]) => sql.identifier(column.name)), sql`, `)
  const types = sql.join(columns.map(([, column]) => sql`${sql.identifier(column.name)} ${sql.raw(column.getSQLType())}`), sql`, `)
  return sql`insert into ${table} (${names}) select ${names} from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as r(${types})`
}
