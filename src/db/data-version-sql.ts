/**
 * The data version (table data_version, one row) and the triggers that advance it. Every statement that
 * writes a table listed here advances the version in the writing transaction, so a reader that sees the old
 * version cannot see the new data and one that sees the new data sees the new version. The cached reads
 * (http/read-cache-hook.ts) depend on it: a table that a cached answer reads must be listed here.
 *
 * A new table that cached reads depend on needs one line in its migration (and its name below):
 *
 *   CREATE TRIGGER "my_table_data_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "my_table" FOR EACH STATEMENT EXECUTE FUNCTION "advance_data_version"();
 *
 * which dataVersionTrigger('my_table') prints. BEFORE, not AFTER: a transaction then takes the version row's
 * lock at its first write, before any row lock on these tables, so that two writers cannot deadlock on it.
 */
export const DATA_VERSION_TABLES = [
  'admin_units', 'unit_lineage', 'certificates', 'crls', 'crl_entries', 'ca_certificates', 'signing_activity', 'verified_documents',
] as const

export function dataVersionTrigger(table: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`)
  return `CREATE TRIGGER "${table}_data_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "advance_data_version"();`
}
