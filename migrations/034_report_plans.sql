-- Reports at five years of history (issue 13 part 7).
--
-- The definer functions of the reports are planned for any period (their bounds are parameters), so PostgreSQL
-- estimates their cost from the size of the whole table. With years of history that estimate passed
-- jit_above_cost and every call compiled its plan with LLVM: about 120 ms per call for a query that runs in 15 ms,
-- growing with the history behind the period rather than with the period. These are short, index-bound queries:
-- JIT never pays for itself here.
alter function kl_report_flow_facts(date, date, text) set jit = off;
alter function kl_report_trajectory_counts(uuid, date, date) set jit = off;
alter function kl_report_other_figures(uuid, date, date) set jit = off;

-- First contacts in a period were found by reading every referral of the network (no index on the date).
create index referrals_network_first_contact_idx on referrals(network_id, first_contact_at)
  where first_contact_at is not null;

-- "Overdue now" read every referral the network ever had (one OR over three states, answered by the network's index
-- of all referrals). Counted per state instead, each through a partial index of the referrals in that state, it reads
-- only the open referrals, however long the history. The function is otherwise as in 024 (and 030's search path).
create index referrals_network_open_answer_idx on referrals(network_id, answer_due_at)
  where status in ('requested', 'received');
create index referrals_network_open_contact_idx on referrals(network_id, first_contact_due_at)
  where status in ('accepted', 'scheduled', 'missed');
create index referrals_network_waitlisted_idx on referrals(network_id, expected_date) where status = 'waitlisted';

create or replace function kl_report_flow_totals(period_start date, period_end date)
  returns table (kind text, key text, n bigint)
  language sql stable security definer set search_path = pg_catalog, public, pg_temp set jit = off
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
    select 'overdue', 'all',
           (select count(*) from referrals r
             where r.network_id = a.network and r.status in ('requested', 'received') and r.answer_due_at < now())
         + (select count(*) from referrals r
             where r.network_id = a.network and r.status in ('accepted', 'scheduled', 'missed')
               and r.first_contact_due_at < now())
         + (select count(*) from referrals r
             where r.network_id = a.network and r.status = 'waitlisted' and r.expected_date < kl_brussels_date())
    from allowed a
    union all
    select 'stuck', 'all', count(*)
    from trajectories t join organizations o on o.id = t.organization_id, allowed a
    where t.network_id = a.network and t.end_date is null and t.status in ('active', 'on-hold')
      and o.kind = 'cgg' and t.start_date < kl_brussels_date() - interval '12 months'
      and not exists (
        select 1
        from care_plans p join care_plan_evaluations e on e.care_plan_id = p.id
        where p.client_id in (select l.id from kl_linked_records(t.client_id) l)
          and e.evaluated_on > kl_brussels_date() - interval '12 months' and e.evaluated_on <= kl_brussels_date()
          and (e.decision = 'step-down' or e.step_down_considered))
  $$;

