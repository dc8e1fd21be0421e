import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { inForceOnSql } from '../units/rules.ts'
import { iso, unitCoveredAt, unitInScope, VN_OFFSET } from './enqueue-sql.ts'

/** Largest lists a digest carries; the totals are always complete. */
const DIGEST_EXPIRING_MAX = 200
const DIGEST_UNCOVERED_MAX = 500

/**
 * Enqueues the digest of every subscription whose digest hour (Vietnam time) has come in the current
 * day or week (weeks start on Monday) and that has no digest for that period yet. Only the current
 * period is sent: a digest missed during an outage is replaced by the next one, not replayed.
 */
export async function enqueueDigests(db: DbOrTx, now: Date): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`
  const local = sql`((${at} at time zone 'UTC') + ${VN_OFFSET})`
  const rows = await queryRows<{ id: string }>(db, sql`
    with due as (
      select s.id as sid, s.scope, s.digest_every, p.period_start,
        ((p.period_start + make_interval(hours => s.digest_hour)) - ${VN_OFFSET}) at time zone 'UTC' as due_at
      from notify_subscriptions s
      cross join lateral (select date_trunc(s.digest_every, ${local}) as period_start) p
      where s.digest_every is not null and s.deleted_at is null
        and ${local} >= p.period_start + make_interval(hours => s.digest_hour)
        and not exists (select 1 from notify_jobs j where j.subscription_id = s.id
          and j.key = 'digest:' || to_char(p.period_start, 'YYYY-MM-DD'))
    ), units as materialized (
      select d.sid, u.code, u.name, u.committee_id, ${unitCoveredAt(at)} as covered
      from due d join notify_subscriptions s on s.id = d.sid
      join admin_units u on u.level = 'commune' and ${unitInScope} and ${inForceOnSql('u', sql`${local}::date`)}
    )
    insert into notify_jobs (subscription_id, key, type, payload, due_at, enqueued_at, next_attempt_at)
    select d.sid, 'digest:' || to_char(d.period_start, 'YYYY-MM-DD'), 'digest',
      jsonb_build_object('type', 'digest', 'timestamp', ${iso(sql`d.due_at`)}, 'data', jsonb_build_object(
        'subscriptionId', d.sid, 'every', d.digest_every, 'period', to_char(d.period_start, 'YYYY-MM-DD'),
        'total', (select count(*) from units x where x.sid = d.sid),
        'covered', (select count(*) filter (where covered) from units x where x.sid = d.sid),
        'uncovered', coalesce((select jsonb_agg(jsonb_build_object('code', x.code, 'name', x.name) order by x.code)
          from (select * from units x where x.sid = d.sid and not x.covered order by x.code limit ${DIGEST_UNCOVERED_MAX}) x), '[]'::jsonb),
        'expiring', coalesce((select jsonb_agg(jsonb_build_object('unitCode', e.unit_code, 'unitName', e.name,
              'certificateId', e.id, 'notAfter', ${iso(sql`e.not_after`)}) order by e.not_after, e.id)
          from (select x.code as unit_code, x.name, c.id, c.not_after from units x
                join certificates c on c.committee_id = x.committee_id and c.kind = 'organization' and c.not_before <= ${at}
                  and c.not_after > ${at} and c.not_after <= ${at} + interval '90 days' and (c.revoked_at is null or c.revoked_at > ${at})
                where x.sid = d.sid order by c.not_after, c.id limit ${DIGEST_EXPIRING_MAX}) e), '[]'::jsonb))),
      d.due_at, ${at}, ${at}
    from due d
    on conflict (subscription_id, key) do nothing
    returning id`)
  return rows.length
}
