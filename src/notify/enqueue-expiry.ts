import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { iso, unitInScope } from './enqueue-sql.ts'

/**
 * Enqueues, in one statement, every expiry notice that is due at `now` for every subscription:
 * a certificate in the scope, valid now, whose end is within one of the subscription's day counts.
 * Only the nearest threshold reached is sent: after an outage a 7-day notice supersedes a 30-day one
 * not yet sent. A certificate already followed by a renewal of the same unit and kind that takes over
 * before it ends is not announced. The key (certificate + days) makes the notice unique per subscription.
 */
export async function enqueueExpiryNotices(db: DbOrTx, now: Date): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`
  const rows = await queryRows<{ id: string }>(db, sql`
    with subs as (
      select s.id, s.scope, s.expiry_days, (select max(x) from unnest(s.expiry_days) x) as max_days
      from notify_subscriptions s where s.deleted_at is null and cardinality(s.expiry_days) > 0
    ), due as (
      select s.id as sid, c.id as cid, c.unit_code, u.name as unit_name, c.kind, c.not_after, d.days,
        c.not_after - make_interval(days => d.days) as due_at
      from subs s
      join certificates c on c.not_after > ${at} and c.not_after <= ${at} + make_interval(days => s.max_days)
        and c.not_before <= ${at} and (c.revoked_at is null or c.revoked_at > ${at})
      join admin_units u on u.id = c.unit_id and ${unitInScope}
      cross join lateral (
        select min(x) as days from unnest(s.expiry_days) x where c.not_after - make_interval(days => x) <= ${at}
      ) d
      where d.days is not null
        and not exists (
          select 1 from certificates r where r.committee_id = c.committee_id and r.kind = c.kind and r.id <> c.id
            and r.not_before <= c.not_after and r.not_after > c.not_after and r.revoked_at is null)
    )
    insert into notify_jobs (subscription_id, key, type, payload, due_at, enqueued_at, next_attempt_at, certificate_id)
    select sid, 'expiry:' || cid || ':' || days, 'certificate.expiring',
      jsonb_build_object('type', 'certificate.expiring', 'timestamp', ${iso(sql`due_at`)}, 'data', jsonb_build_object(
        'subscriptionId', sid, 'certificateId', cid, 'unitCode', unit_code, 'unitName', unit_name, 'kind', kind,
        'notAfter', ${iso(sql`not_after`)}, 'daysBefore', days,
        'daysLeft', ceil(extract(epoch from (not_after - ${at})) / 86400)::int)),
      due_at, ${at}, ${at}, cid
    from due
    on conflict (subscription_id, key) do nothing
    returning id`)
  return rows.length
}
