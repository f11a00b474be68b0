-- One risk vocabulary: none / attention / high / acute (src/server/core/risk.ts, ARCHITECTURE.md "Risk").
-- Safety signals speak it, a help request keeps its risk level, a referral the level that was shared when it was
-- sent, and the lists sorted by urgency put acute and high risk first.

-- Rows of these tables are changed below by the migration's role, which may own them without BYPASSRLS: forced
-- row-level security would hide every row from it, so the backfill runs with the owner's exemption (not forced)
-- and the force comes back at the end of this same transaction.
alter table safety_signals no force row level security;
alter table screenings no force row level security;
alter table help_requests no force row level security;

-- Safety signals: a moderate signal raised by a screening came from a suicide-risk flag (PHQ-9 item 9, a yes on the
-- C-SSRS screener): high now. A high one raised by a screening was the C-SSRS high risk: acute now. A worker's
-- moderate signal becomes attention, a worker's high signal stays high.
alter table safety_signals drop constraint safety_signals_level_check;
update safety_signals set level = case
    when source = 'screening' and level = 'high' then 'acute'
    when source = 'screening' then 'high'
    when level = 'moderate' then 'attention'
    else level
  end;
alter table safety_signals add constraint safety_signals_level_check check (level in ('attention', 'high', 'acute'));

-- The risk level of a help request, kept by the intake service whenever a screening or a signal is added (the
-- rule is core/risk.ts helpRequestRisk), so lists can show and sort by it. `risk_rank` is the urgency order:
-- acute risk 0, high risk 1, everything else 2 (a closed request is no longer work to do, so it sorts with the rest).
alter table help_requests add column risk_level text not null default 'none'
  check (risk_level in ('none', 'attention', 'high', 'acute'));
alter table help_requests add column risk_rank smallint generated always as (
  case when status = 'closed' then 2 when risk_level = 'acute' then 0 when risk_level = 'high' then 1 else 2 end
) stored;
-- the intake list: risk first, then the newest
create index help_requests_org_risk_idx on help_requests(organization_id, risk_rank, created_at desc);

-- Existing help requests: the same rule as core/risk.ts at the time of this migration — the highest of every
-- signal and of the flags of the latest screening of each instrument.
update help_requests h set risk_level = (
  select case max(x.rank) when 3 then 'acute' when 2 then 'high' when 1 then 'attention' else 'none' end
  from (
    select case s.level when 'acute' then 3 when 'high' then 2 else 1 end as rank
      from safety_signals s where s.help_request_id = h.id
    union all
    select case f.flag when 'cssrs-high-risk' then 3 when 'suicide-risk' then 2 when 'cssrs-positive' then 2 else 1 end
      from (select distinct on (sc.instrument_id) sc.flags from screenings sc
             where sc.help_request_id = h.id order by sc.instrument_id, sc.administered_at desc) latest
      cross join lateral unnest(latest.flags) as f(flag)
  ) x
);

alter table safety_signals force row level security;
alter table screenings force row level security;
alter table help_requests force row level security;

-- A referral carries the risk level the sender's screening and safety section showed when it was sent, when the
-- consent shares it (the help request summary or the screening results); null: not shared (or sent before this, or
-- the consent was withdrawn since: the withdrawal clears it). It may be seen until the consent's last valid day,
-- kept here (a consent's end date never changes), so lists need no consent lookup per row.
alter table referrals add column risk_level text check (risk_level in ('none', 'attention', 'high', 'acute'));
alter table referrals add column risk_shared_until date;
alter table referrals add column risk_rank smallint generated always as (
  case risk_level when 'acute' then 0 when 'high' then 1 else 2 end
) stored;

-- The open inboxes in their new order (risk, then priority, then the deadline): the first page still comes
-- straight from the index.
drop index if exists referrals_incoming_open_idx;
drop index if exists referrals_outgoing_open_idx;
create index referrals_incoming_open_idx on referrals(receiver_organization_id, risk_rank, priority_rank, answer_due_at, id)
  where status in ('requested', 'received', 'accepted', 'waitlisted', 'scheduled', 'first-contact', 'missed');
create index referrals_outgoing_open_idx on referrals(sender_organization_id, risk_rank, priority_rank, answer_due_at, id)
  where status in ('requested', 'received', 'accepted', 'waitlisted', 'scheduled', 'first-contact', 'missed');

-- The network's overdue overview: acute and high risk first. The level goes out only as the receiver would see it
-- (shared, not withdrawn, not past the consent's end); the result gains risk_level, so the function is made again
-- (owner and grants as in 005/006).
drop function if exists kl_network_overdue_referrals();
create function kl_network_overdue_referrals()
  returns table (id uuid, status text, priority text, answer_due_at timestamptz, first_contact_due_at timestamptz,
                 expected_date date, sender_organization_id uuid, receiver_organization_id uuid, risk_level text)
  language sql stable security definer set search_path = public
  as $$
    select r.id, r.status, r.priority, r.answer_due_at, r.first_contact_due_at, r.expected_date, r.sender_organization_id,
           r.receiver_organization_id, v.risk_level
    from referrals r
    cross join lateral (
      select case when r.risk_shared_until is null or r.risk_shared_until >= kl_brussels_date()
             then r.risk_level end as risk_level
    ) v
    where kl_current_org() is null and current_setting('app.role', true) in ('network-coordinator', 'network-admin')
      and r.network_id = kl_current_network()
      and ((r.status in ('requested', 'received') and r.answer_due_at < now())
        or (r.status in ('accepted', 'scheduled', 'missed') and r.first_contact_due_at < now())
        or (r.status = 'waitlisted' and r.expected_date < kl_brussels_date()))
    order by case v.risk_level when 'acute' then 0 when 'high' then 1 else 2 end,
             case r.priority when 'acute' then 0 when 'urgent' then 1 else 2 end, r.answer_due_at
    limit 500
  $$;
alter function kl_network_overdue_referrals() owner to kortelijn_definer;
revoke all on function kl_network_overdue_referrals() from public;
grant execute on function kl_network_overdue_referrals() to kortelijn_app;
