-- Reporting: staffing (FTE per module per quarter), submitted quarterly output (frozen versions), output norms
-- on the network, and the aggregate functions network roles read through. Aggregates only leave through
-- functions that return counts: a network role never gets a read policy on a person's trajectory or referral.

-- yearly norm per FTE per module; keys missing here take the defaults in features/reports (45/70/70/45/60)
alter table networks add column output_norms jsonb not null default '{}';

create table report_staffing (
  organization_id uuid not null references organizations(id),
  network_id uuid not null references networks(id),
  quarter text not null check (quarter ~ '^[0-9]{4}-Q[1-4]$'),
  module text not null check (module in ('victim-support-bereavement', 'psychosocial-support', 'relationship-family', 'family-violence', 'youth', 'other')),
  fte numeric(7, 2) not null check (fte >= 0 and fte <= 10000),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now(),
  primary key (organization_id, quarter, module)
);

-- a submitted quarter: every version frozen as it was sent (figures as JSON), who and when
create table report_submissions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  network_id uuid not null references networks(id),
  quarter text not null check (quarter ~ '^[0-9]{4}-Q[1-4]$'),
  version integer not null check (version >= 1),
  figures jsonb not null,
  submitted_by uuid not null references users(id),
  -- who signed it, as it was then: the funder's copy does not depend on the user directory
  submitted_by_name text not null,
  submitted_at timestamptz not null default now(),
  unique (organization_id, quarter, version)
);

-- Staffing and submissions are the organisation's; its network's roles may read them (no person in them).
alter table report_staffing enable row level security;
alter table report_staffing force row level security;
create policy report_staffing_read on report_staffing for select
  using (organization_id = kl_current_org() or (kl_current_org() is null and network_id = kl_current_network()));
create policy report_staffing_insert on report_staffing for insert with check (organization_id = kl_current_org());
create policy report_staffing_update on report_staffing for update
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
alter table report_submissions enable row level security;
alter table report_submissions force row level security;
create policy report_submissions_read on report_submissions for select
  using (organization_id = kl_current_org() or (kl_current_org() is null and network_id = kl_current_network()));
create policy report_submissions_insert on report_submissions for insert with check (organization_id = kl_current_org());
grant select, insert, update on report_staffing to kortelijn_app;
grant select, insert on report_submissions to kortelijn_app;

-- Reports count by date: the cost follows the size of the period, not the years behind it.
create index trajectories_report_end_idx on trajectories(organization_id, end_date) where status = 'finished';
create index trajectories_report_start_idx on trajectories(organization_id, start_date);
-- running trajectories (no end yet): the caseload, bounded however long the history
create index trajectories_report_open_idx on trajectories(organization_id, start_date) where end_date is null;
create index trajectories_network_end_idx on trajectories(network_id, end_date) where status = 'finished';
create index trajectories_network_open_idx on trajectories(network_id, start_date) where end_date is null;
create index referrals_network_created_idx on referrals(network_id, created_at);
create index referrals_network_answered_idx on referrals(network_id, answered_at) where status = 'declined';
create index referrals_network_accepted_idx on referrals(network_id, accepted_at) where accepted_at is not null;
create index help_requests_network_received_idx on help_requests(network_id, received_at);

-- kortelijn_definer (migration 005) may count trajectories and help requests, through the functions below only.
grant select on trajectories, help_requests, organizations to kortelijn_definer;
create policy trajectories_definer on trajectories for select to kortelijn_definer using (true);
create policy help_requests_definer on help_requests for select to kortelijn_definer using (true);
create policy organizations_definer on organizations for select to kortelijn_definer using (true);

-- Who may see an organisation's counts: the organisation itself, or its network's coordinators, analysts, admins.
create or replace function kl_report_may_read(organization uuid) returns boolean
  language sql stable security definer set search_path = public
  as $$
    select organization = kl_current_org()
      or (kl_current_org() is null
          and current_setting('app.role', true) in ('network-coordinator', 'analyst', 'network-admin')
          and exists (select 1 from organizations o where o.id = organization and o.network_id = kl_current_network()))
  $$;
alter function kl_report_may_read(uuid) owner to kortelijn_definer;
revoke all on function kl_report_may_read(uuid) from public;
grant execute on function kl_report_may_read(uuid) to kortelijn_app;

-- One organisation's trajectories in a period, per module: active (started by the end, not ended before the
-- start; planned and cancelled ones never ran), new (started in it), finished in it by outcome. Counts only.
create or replace function kl_report_trajectory_counts(organization uuid, period_start date, period_end date)
  returns table (module text, active bigint, started bigint, finished_fully bigint, finished_partly bigint, finished_not bigint)
  language sql stable security definer set search_path = public
  as $$
    with ran as (
      select t.module, t.start_date, t.end_date, t.status, t.outcome
      from trajectories t
      where t.organization_id = organization and t.status = 'finished' and t.end_date >= period_start
        and t.start_date <= period_end
      union all
      select t.module, t.start_date, t.end_date, t.status, t.outcome
      from trajectories t
      where t.organization_id = organization and t.end_date is null and t.start_date <= period_end
        and t.status in ('active', 'on-hold')
    )
    select r.module,
           count(*),
           count(*) filter (where r.start_date >= period_start),
           count(*) filter (where r.end_date <= period_end and r.outcome = 'fully'),
           count(*) filter (where r.end_date <= period_end and r.outcome = 'partly'),
           count(*) filter (where r.end_date <= period_end and r.outcome = 'not')
    from ran r
    where kl_report_may_read(organization)
    group by r.module
  $$;
alter function kl_report_trajectory_counts(uuid, date, date) owner to kortelijn_definer;
revoke all on function kl_report_trajectory_counts(uuid, date, date) from public;
grant execute on function kl_report_trajectory_counts(uuid, date, date) to kortelijn_app;

-- The network's flow per month (Brussels time), counts and waiting days only, for its coordinators and analysts.
create or replace function kl_report_flow_months(period_start date, period_end date)
  returns table (month date, help_requests bigint, referrals bigint, referrals_between bigint, declined bigint,
                 finished bigint, finished_fully bigint, finished_partly bigint, finished_not bigint,
                 accepted bigint, median_days_to_acceptance double precision, p90_days_to_acceptance double precision,
                 first_contacts bigint, median_days_to_first_contact double precision, p90_days_to_first_contact double precision)
  language sql stable security definer set search_path = public
  as $$
    with allowed as (
      select kl_current_network() as network
      where kl_current_org() is null
        and current_setting('app.role', true) in ('network-coordinator', 'analyst', 'network-admin')
    ),
    months as (
      select generate_series(date_trunc('month', period_start), date_trunc('month', period_end), interval '1 month')::date as month
    ),
    hr as (
      select date_trunc('month', kl_brussels_date(h.received_at))::date as month, count(*) as n
      from help_requests h, allowed a
      where h.network_id = a.network and h.received_at >= period_start::timestamp at time zone 'Europe/Brussels'
        and h.received_at < (period_end + 1)::timestamp at time zone 'Europe/Brussels'
      group by 1
    ),
    rf as (
      select date_trunc('month', kl_brussels_date(r.created_at))::date as month, count(*) as n,
             count(*) filter (where r.sender_organization_id <> r.receiver_organization_id) as between_orgs
      from referrals r, allowed a
      where r.network_id = a.network and r.created_at >= period_start::timestamp at time zone 'Europe/Brussels'
        and r.created_at < (period_end + 1)::timestamp at time zone 'Europe/Brussels'
      group by 1
    ),
    dc as (
      select date_trunc('month', kl_brussels_date(r.answered_at))::date as month, count(*) as n
      from referrals r, allowed a
      where r.network_id = a.network and r.status = 'declined'
        and r.answered_at >= period_start::timestamp at time zone 'Europe/Brussels'
        and r.answered_at < (period_end + 1)::timestamp at time zone 'Europe/Brussels'
      group by 1
    ),
    ac as (
      select date_trunc('month', kl_brussels_date(r.accepted_at))::date as month, count(*) as n,
             percentile_cont(0.5) within group (order by extract(epoch from r.accepted_at - r.created_at) / 86400) as median,
             percentile_cont(0.9) within group (order by extract(epoch from r.accepted_at - r.created_at) / 86400) as p90
      from referrals r, allowed a
      where r.network_id = a.network and r.accepted_at is not null
        and r.accepted_at >= period_start::timestamp at time zone 'Europe/Brussels'
        and r.accepted_at < (period_end + 1)::timestamp at time zone 'Europe/Brussels'
      group by 1
    ),
    fc as (
      select date_trunc('month', kl_brussels_date(r.first_contact_at))::date as month, count(*) as n,
             percentile_cont(0.5) within group (order by extract(epoch from r.first_contact_at - r.created_at) / 86400) as median,
             percentile_cont(0.9) within group (order by extract(epoch from r.first_contact_at - r.created_at) / 86400) as p90
      from referrals r, allowed a
      where r.network_id = a.network and r.first_contact_at is not null
        and r.first_contact_at >= period_start::timestamp at time zone 'Europe/Brussels'
        and r.first_contact_at < (period_end + 1)::timestamp at time zone 'Europe/Brussels'
      group by 1
    ),
    tf as (
      select date_trunc('month', t.end_date)::date as month, count(*) as n,
             count(*) filter (where t.outcome = 'fully') as fully,
             count(*) filter (where t.outcome = 'partly') as partly,
             count(*) filter (where t.outcome = 'not') as not_
      from trajectories t, allowed a
      where t.network_id = a.network and t.status = 'finished' and t.end_date between period_start and period_end
      group by 1
    )
    select m.month, coalesce(hr.n, 0), coalesce(rf.n, 0), coalesce(rf.between_orgs, 0), coalesce(dc.n, 0),
           coalesce(tf.n, 0), coalesce(tf.fully, 0), coalesce(tf.partly, 0), coalesce(tf.not_, 0),
           coalesce(ac.n, 0), ac.median, ac.p90, coalesce(fc.n, 0), fc.median, fc.p90
    from months m
    left join hr on hr.month = m.month left join rf on rf.month = m.month left join dc on dc.month = m.month
    left join ac on ac.month = m.month left join fc on fc.month = m.month left join tf on tf.month = m.month
    where exists (select 1 from allowed)
    order by m.month
  $$;
alter function kl_report_flow_months(date, date) owner to kortelijn_definer;
revoke all on function kl_report_flow_months(date, date) from public;
grant execute on function kl_report_flow_months(date, date) to kortelijn_app;

-- Declined referrals by reason in a period, and the network's referrals overdue now, and "stuck": people in a
-- specialised organisation's trajectory for more than 12 months (no step-down evaluation is recorded yet, so
-- every such trajectory counts). Counts only.
create or replace function kl_report_flow_totals(period_start date, period_end date)
  returns table (kind text, key text, n bigint)
  language sql stable security definer set search_path = public
  as $$
    with allowed as (
      select kl_current_network() as network
      where kl_current_org() is null
        and current_setting('app.role', true) in ('network-coordinator', 'analyst', 'network-admin')
    )
    select 'declined', coalesce(r.status_reason, 'other'), count(*)
    from referrals r, allowed a
    where r.network_id = a.network and r.status = 'declined'
      and r.answered_at >= period_start::timestamp at time zone 'Europe/Brussels'
      and r.answered_at < (period_end + 1)::timestamp at time zone 'Europe/Brussels'
    group by 2
    union all
    select 'overdue', 'all', count(*)
    from referrals r, allowed a
    where r.network_id = a.network
      and ((r.status in ('requested', 'received') and r.answer_due_at < now())
        or (r.status in ('accepted', 'scheduled', 'missed') and r.first_contact_due_at < now()))
    union all
    select 'stuck', 'all', count(*)
    from trajectories t join organizations o on o.id = t.organization_id, allowed a
    where t.network_id = a.network and t.end_date is null and t.status in ('active', 'on-hold')
      and o.kind = 'cgg' and t.start_date < kl_brussels_date() - interval '12 months'
  $$;
alter function kl_report_flow_totals(date, date) owner to kortelijn_definer;
revoke all on function kl_report_flow_totals(date, date) from public;
grant execute on function kl_report_flow_totals(date, date) to kortelijn_app;
