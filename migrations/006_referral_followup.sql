-- Referral follow-up: `first-contact` counts as open (the receiver still has to complete), one Brussels "today"
-- for consents and waiting lists, and waitlisted referrals past their expected date are overdue.

-- The calendar date in Brussels of an instant (default: now). The app's TS side (working-days.ts brusselsDate)
-- reckons the same way, so a consent valid until today ends at the same moment in both. `at time zone` on a
-- timestamptz does not depend on the session's TimeZone setting.
create or replace function kl_brussels_date(instant timestamptz default now()) returns date
  language sql stable parallel safe
  as $$ select (instant at time zone 'Europe/Brussels')::date $$;

-- The open-inbox indexes again, now with `first-contact` (lifecycle.ts OPEN_STATUSES): the inbox keeps reading
-- its first page in index order (priority_rank, answer_due_at, id).
drop index if exists referrals_incoming_open_idx;
drop index if exists referrals_outgoing_open_idx;
create index referrals_incoming_open_idx on referrals(receiver_organization_id, priority_rank, answer_due_at, id)
  where status in ('requested', 'received', 'accepted', 'waitlisted', 'scheduled', 'first-contact', 'missed');
create index referrals_outgoing_open_idx on referrals(sender_organization_id, priority_rank, answer_due_at, id)
  where status in ('requested', 'received', 'accepted', 'waitlisted', 'scheduled', 'first-contact', 'missed');

-- Consent ends after its last valid day in Brussels, not after the server's (UTC) date.
create or replace function kl_referral_consent_active(consent uuid) returns boolean
  language sql stable security definer set search_path = public
  as $$
    select exists (
      select 1 from consents c
      where c.id = consent and c.withdrawn_at is null and (c.valid_until is null or c.valid_until >= kl_brussels_date())
        and exists (select 1 from referrals r where r.consent_id = c.id
                    and (r.sender_organization_id = kl_current_org() or r.receiver_organization_id = kl_current_org())))
  $$;
alter function kl_referral_consent_active(uuid) owner to kortelijn_definer;
revoke all on function kl_referral_consent_active(uuid) from public;
grant execute on function kl_referral_consent_active(uuid) to kortelijn_app;

-- The network overview: a waitlisted referral whose expected start date has passed is overdue too. The result
-- gains expected_date, so the function is dropped and made again (same owner and grants as in 005).
drop function if exists kl_network_overdue_referrals();
create function kl_network_overdue_referrals()
  returns table (id uuid, status text, priority text, answer_due_at timestamptz, first_contact_due_at timestamptz,
                 expected_date date, sender_organization_id uuid, receiver_organization_id uuid)
  language sql stable security definer set search_path = public
  as $$
    select r.id, r.status, r.priority, r.answer_due_at, r.first_contact_due_at, r.expected_date, r.sender_organization_id, r.receiver_organization_id
    from referrals r
    where kl_current_org() is null and current_setting('app.role', true) in ('network-coordinator', 'network-admin')
      and r.network_id = kl_current_network()
      and ((r.status in ('requested', 'received') and r.answer_due_at < now())
        or (r.status in ('accepted', 'scheduled', 'missed') and r.first_contact_due_at < now())
        or (r.status = 'waitlisted' and r.expected_date < kl_brussels_date()))
    order by case r.priority when 'acute' then 0 when 'urgent' then 1 else 2 end, r.answer_due_at
    limit 500
  $$;
alter function kl_network_overdue_referrals() owner to kortelijn_definer;
revoke all on function kl_network_overdue_referrals() from public;
grant execute on function kl_network_overdue_referrals() to kortelijn_app;
