import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { inForceOnSql } from '../units/rules.ts'
import { iso, unitCoveredAt, unitInScope, VN_OFFSET } from './enqueue-sql.ts'

/**
 * Coverage alerts in one statement: compares every watched unit's coverage at `now` with what the
 * subscription saw last time (notify_unit_state), records the new state, and enqueues a notice for each
 * unit that went from covered to uncovered and one when a scope that was not complete reaches 100 %.
 * The first look at a unit only records its state. Run it under the scheduler's lock (see scheduler.ts),
 * so that two instances do not both see the same change.
 */
export async function enqueueCoverageAlerts(db: DbOrTx, now: Date): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`
  const day = sql`((${at} at time zone 'UTC') + ${VN_OFFSET})::date`
  const rows = await queryRows<{ n: number }>(db, sql`
    with cur as materialized (
      select s.id as sid, u.code, u.name, ${unitCoveredAt(at)} as covered
      from notify_subscriptions s
      join admin_units u on u.level = 'commune' and ${unitInScope} and ${inForceOnSql('u', day)}
      where s.coverage_alerts and s.deleted_at is null
    ), changed as materialized (
      select cur.sid, cur.code, cur.name, cur.covered, st.covered as was
      from cur left join notify_unit_state st on st.subscription_id = cur.sid and st.unit_code = cur.code
      where st.covered is distinct from cur.covered
    ), saved as (
      insert into notify_unit_state (subscription_id, unit_code, covered, since)
      select sid, code, covered, ${at} from changed
      on conflict (subscription_id, unit_code) do update set covered = excluded.covered, since = excluded.since
      returning 1
    ), totals as (
      select sid, count(*)::int as total, (count(*) filter (where covered))::int as covered, array_agg(code order by code) as codes
      from cur group by sid
    ), notices as (
      select sid, 'uncovered:' || code || ':' || ${iso(at)} as key, 'coverage.unit_uncovered' as type,
        jsonb_build_object('unitCode', code, 'unitName', name, 'since', ${iso(at)}) as data
      from changed where was and not covered
      union all
      select t.sid, 'complete:' || ${iso(at)}, 'coverage.complete', jsonb_build_object('total', t.total, 'units', to_jsonb(t.codes))
      from totals t
      where t.covered = t.total and exists (select 1 from changed c where c.sid = t.sid and c.was = false)
    ), inserted as (
      insert into notify_jobs (subscription_id, key, type, payload, due_at, enqueued_at, next_attempt_at)
      select sid, key, type, jsonb_build_object('type', type, 'timestamp', ${iso(at)}, 'data', data || jsonb_build_object('subscriptionId', sid)),
        ${at}, ${at}, ${at}
      from notices
      on conflict (subscription_id, key) do nothing
      returning 1
    )
    select (select count(*) from inserted)::int as n, (select count(*) from saved)::int as saved`)
  return rows[0]?.n ?? 0
}
