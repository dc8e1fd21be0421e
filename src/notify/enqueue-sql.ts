import { sql, type SQL } from 'drizzle-orm'

/** Shared SQL pieces of the set-based enqueue statements. */

/** A timestamptz as an ISO 8601 UTC string with milliseconds, as the JSON payloads carry it. */
export const iso = (expr: SQL) => sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** The admin unit `u` lies in the subscription `s`'s scope (itself or under a listed district or province). */
export const unitInScope = sql`(u.code = any(s.scope) or u.district_code = any(s.scope) or u.province_code = any(s.scope))`

/** The unit `u` exists on the day. */
export const unitExistsOn = (day: SQL) => sql`(u.valid_from is null or u.valid_from <= ${day}) and (u.valid_to is null or u.valid_to >= ${day})`

/** The unit `u` has an organisation certificate valid and not revoked at `at`. */
export const unitCoveredAt = (at: SQL) => sql`exists (select 1 from certificates c where c.unit_code = u.code and c.kind = 'organization'
  and c.not_before <= ${at} and c.not_after > ${at} and (c.revoked_at is null or c.revoked_at > ${at}))`

/** Vietnam keeps UTC+7 all year (no summer time), so local times need no time-zone database. */
export const VN_OFFSET = sql`interval '7 hours'`
