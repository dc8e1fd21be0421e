import { sql, type SQL } from 'drizzle-orm'
import { validAtSql } from '../units/rules.ts'
import { placedInSql } from '../auth/scope.ts'

/** Shared SQL pieces of the set-based enqueue statements. */

/** A timestamptz as an ISO 8601 UTC string with milliseconds, as the JSON payloads carry it. */
export const iso = (expr: SQL) => sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * The unit version `u` lies in the subscription `s`'s scope: itself, under a listed district or province, or
 * descending through lineage from one (admin_units.place_codes), as a registrar's scope does.
 */
export const unitInScope = placedInSql('u', sql`s.scope`)

/** The unit `u` has an organisation certificate of its committee valid at `at` (the coverage rule). */
export const unitCoveredAt = (at: SQL) => sql`exists (select 1 from certificates c where c.committee_id = u.committee_id and c.kind = 'organization'
  and ${validAtSql('c', at)})`

/** Vietnam keeps UTC+7 all year (no summer time), so local times need no time-zone database. */
export const VN_OFFSET = sql`interval '7 hours'`
