/**
 * What must hold across the whole units table after a write, checked in the database inside the
 * importing transaction (so a refused import rolls back), and the columns derived from the tree and
 * the lineage: ancestor codes, committees and place codes.
 */
import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import type { ProblemCode } from '../lib/problem-codes.ts'
import { inForceOnSql } from './rules.ts'

export type Violation = { problem: ProblemCode; code: string; validFrom: string | null; message: string }

/** The Vietnam-time day of a timestamptz column, as a SQL date. */
const vnDay = (column: string) => sql.raw(`((${column} + interval '7 hours') at time zone 'UTC')::date`)

/**
 * Problems the versions of `codes` (just written) cause: overlapping versions, a parent of the wrong level
 * or missing for part of a child's validity (the children of those codes included), recorded certificates
 * whose unit is no longer a commune in force on their notBefore, activity whose unit no longer exists in its month.
 */
export async function violations(tx: DbOrTx, codes: string[]): Promise<Violation[]> {
  const list = JSON.stringify(codes)
  const rows = await queryRows<{ problem: ProblemCode; code: string; valid_from: string | null; message: string }>(tx, sql`
    with touched as materialized (select value as code from json_array_elements_text(${list}::json))
    select 'overlapping_versions' as problem, a.code, a.valid_from::text, 'overlaps the version from ' || coalesce(b.valid_from::text, 'the beginning') || ' to ' || coalesce(b.valid_to::text, 'now') as message
    from admin_units a join admin_units b on b.code = a.code and b.id <> a.id
    where a.code in (select code from touched)
      and daterange(a.valid_from, a.valid_to, '[]') && daterange(b.valid_from, b.valid_to, '[]')
      and a.id > b.id
    union all
    select case when exists (select 1 from admin_units p where p.code = v.parent_code) then 'bad_parent' else 'unknown_parent' end,
      v.code, v.valid_from::text,
      'its parent ' || v.parent_code || ' is not a ' || case v.level when 'district' then 'province' else 'district or province' end
        || ' in force for the whole of ' || coalesce(v.valid_from::text, 'the beginning') || ' … ' || coalesce(v.valid_to::text, 'now')
    from admin_units v
    left join lateral (
      select range_agg(daterange(p.valid_from, p.valid_to, '[]')) as span from admin_units p
      where p.code = v.parent_code and p.level <> 'commune' and (v.level <> 'district' or p.level = 'province')
    ) parents on true
    where (v.code in (select code from touched) or v.parent_code in (select code from touched))
      and v.parent_code is not null
      and not coalesce(parents.span @> daterange(v.valid_from, v.valid_to, '[]'), false)
    union all
    select 'unit_in_use', u.code, u.valid_from::text, 'a recorded certificate (' || c.id || ') begins on ' || ${vnDay('c.not_before')}::text
      || ', when this unit is not a commune-level unit in force'
    from certificates c join admin_units u on u.id = c.unit_id
    where u.code in (select code from touched)
      and (u.level <> 'commune' or not (${inForceOnSql('u', vnDay('c.not_before'))}))
    union all
    select 'unit_in_use', u.code, u.valid_from::text, 'signing activity is recorded for ' || to_char(a.month, 'YYYY-MM') || ', when this unit is not a commune-level unit in force'
    from signing_activity a join admin_units u on u.id = a.unit_id
    where u.code in (select code from touched)
      and (u.level <> 'commune' or not daterange(u.valid_from, u.valid_to, '[]') && daterange(a.month, (a.month + interval '1 month')::date, '[)'))
    limit 100`)
  return rows.map((r) => ({ problem: r.problem, code: r.code, validFrom: r.valid_from, message: r.message }))
}

/**
 * A version's ancestors, from its parent's version in force on the version's first day (for a version that
 * began before the records, the parent's first version): the join condition and the two derived codes, for a
 * child aliased `c` and its parent `p`. Written once for the import's insert and for the recomputation below.
 */
export const parentVersionJoin = sql`p.code = c.parent_code and daterange(p.valid_from, p.valid_to, '[]') @> coalesce(c.valid_from, '-infinity'::date)`
export const derivedAncestors = sql`
  case when c.level = 'province' then c.code when p.level = 'province' then p.code else p.parent_code end as province_code,
  case when p.level = 'district' then p.code end as district_code`

/** Refills district_code and province_code where a version's parent changed (set-based; rows already right are not written). */
export async function recomputeAncestors(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`
    update admin_units u set province_code = x.province_code, district_code = x.district_code
    from (
      select distinct on (c.id) c.id, ${derivedAncestors}
      from admin_units c left join admin_units p on ${parentVersionJoin}
      order by c.id
    ) x
    where x.id = u.id and (u.province_code is distinct from x.province_code or u.district_code is distinct from x.district_code)`)
}

/**
 * Gives every version the id of the first version of its chain of `unchanged` lineage, and copies it to
 * the certificates recorded for those versions.
 */
export async function recomputeCommittees(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`
    with recursive chain(id, root) as (
      select u.id, u.id from admin_units u
      where not exists (select 1 from unit_lineage l where l.new_id = u.id and l.share = 'unchanged')
      union all
      select l.new_id, chain.root from chain join unit_lineage l on l.old_id = chain.id and l.share = 'unchanged'
    )
    update admin_units u set committee_id = chain.root from chain where chain.id = u.id and u.committee_id <> chain.root`)
  await tx.execute(sql`
    update certificates c set committee_id = u.committee_id from admin_units u
    where u.id = c.unit_id and c.committee_id <> u.committee_id`)
}

/** Recomputes every version's place codes (see adminUnits.placeCodes): its own and its lineage ancestors'. */
export async function recomputePlaceCodes(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`
    with recursive up(id, code) as (
      select u.id, c.code from admin_units u cross join lateral unnest(array[u.code, u.district_code, u.province_code]) as c(code)
      where c.code is not null
      union
      select l.new_id, up.code from up join unit_lineage l on l.old_id = up.id
    ), codes as (select id, array_agg(code order by code) as codes from up group by id)
    update admin_units u set place_codes = codes.codes from codes
    where codes.id = u.id and not (u.place_codes @> codes.codes and codes.codes @> u.place_codes)`)
}
