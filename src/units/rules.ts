/**
 * The three rules every figure of Kyso rests on, each written once in TypeScript and once in SQL, side
 * by side; test/units/rules.test.ts checks that both forms agree.
 *
 * - A unit version is in force on a day when the day lies in [validFrom, validTo] (inclusive, null open).
 * - A unit is under a parent when the parent is its parent, district or province (not itself).
 * - A certificate is valid at an instant when notBefore <= at < notAfter and it is not revoked at or before `at`.
 *
 * SQL forms take a table alias: aliases are constants of the calling query, never input.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'

export type Validity = { validFrom: string | null; validTo: string | null }
export type Placed = { code: string; parentCode: string | null; districtCode: string | null; provinceCode: string | null }
export type Dated = { notBefore: Date; notAfter: Date; revokedAt: Date | null }

export function inForceOn(unit: Validity, day: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= day) && (unit.validTo === null || unit.validTo >= day)
}

/** `day` is a SQL date expression. */
export function inForceOnSql(alias: string, day: SQL): SQL {
  const a = sql.raw(alias)
  return sql`(${a}.valid_from is null or ${a}.valid_from <= ${day}) and (${a}.valid_to is null or ${a}.valid_to >= ${day})`
}

export function isUnder(unit: Placed, parentCode: string): boolean {
  return unit.code !== parentCode && (unit.parentCode === parentCode || unit.districtCode === parentCode || unit.provinceCode === parentCode)
}

export function underSql(alias: string, parentCode: string): SQL {
  const a = sql.raw(alias)
  return sql`(${a}.code <> ${parentCode} and (${a}.parent_code = ${parentCode} or ${a}.district_code = ${parentCode} or ${a}.province_code = ${parentCode}))`
}

/** The unit itself or a unit under it (`underSql`), as listings filter by a place. */
export function atOrUnderSql(alias: string, code: string): SQL {
  return sql`(${sql.raw(alias)}.code = ${code} or ${underSql(alias, code)})`
}

/** `atOrUnderSql` for a row that holds its unit version's id in `unitId` (certificates, documents). */
export function unitIdAtOrUnderSql(unitId: SQLWrapper, code: string): SQL {
  return sql`${unitId} in (select u.id from admin_units u where ${atOrUnderSql('u', code)})`
}

export function validAt(cert: Dated, at: Date): boolean {
  const t = at.getTime()
  return cert.notBefore.getTime() <= t && t < cert.notAfter.getTime() && (cert.revokedAt === null || cert.revokedAt.getTime() > t)
}

/** `at` is a SQL timestamptz expression. */
export function validAtSql(alias: string, at: SQL): SQL {
  const a = sql.raw(alias)
  return sql`(${a}.not_before <= ${at} and ${a}.not_after > ${at} and (${a}.revoked_at is null or ${a}.revoked_at > ${at}))`
}
