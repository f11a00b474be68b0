-- The network flow monitor complete (issue 13 part 3): breakdowns per organisation and per level of care, a trend
-- per quarter, outreach signals in the inflow, steps up and down, time on a waiting list, and "stuck" that knows
-- the care plan's evaluations. Still counts only: network roles never get a read policy on a person's rows.

-- An evaluation may weigh stepping down without deciding it ("afschalen overwogen"): such an evaluation keeps a
-- long specialised trajectory out of "stuck" as well as a step-down decision does.
alter table care_plan_evaluations add column step_down_considered boolean not null default false;

-- kortelijn_definer may read what the counts below need, through these functions only: the columns that say where
-- and when, never a person's data.
grant select (id, network_id, receiver_organization_id, collective, created_at) on outreach_signals to kortelijn_definer;
create policy outreach_signals_definer on outreach_signals for select to kortelijn_definer using (true);
grant select (referral_id, at, from_status, to_status) on referral_events to kortelijn_definer;
create policy referral_events_definer on referral_events for select to kortelijn_definer using (true);
grant select (id, care_plan_id, organization_id, evaluated_on, decision, step_down_considered) on care_plan_evaluations to kortelijn_definer;
create policy care_plan_evaluations_definer on care_plan_evaluations for select to kortelijn_definer using (true);
grant select (evaluation_id, to_level) on care_plan_revisions to kortelijn_definer;
create policy care_plan_revisions_definer on care_plan_revisions for select to kortelijn_definer using (true);
grant select (id, level) on offers to kortelijn_definer;
create policy offers_definer on offers for select to kortelijn_definer using (true);

-- Counting by date, bounded by the period: signals received, referrals leaving a waiting list, steps up or down.
create index outreach_signals_network_created_idx on outreach_signals(network_id, created_at);
create index referral_events_left_waitlist_idx on referral_events(at) where from_status = 'waitlisted';
create index care_plan_evaluations_steps_idx on care_plan_evaluations(evaluated_on) where decision in ('step-up', 'step-down');

-- The network's flow in a period as counts (and waiting days) per bucket and measure. `by`: month or quarter
-- (Brussels time), organization (the receiving or acting organisation) or level (the stepped-care level of the
-- offer, of the help request's indication, of the level stepped into; 'unknown' when none). Measures:
--   help_requests, signals (outreach, a person: collective grief moments are not inflow of a person),
--   referrals, referrals_between (sender ≠ receiver), declined, accepted (+ days from referral), first_contacts
--   (+ days from referral), waitlist (referrals that left a waiting list: days from waitlisting to leaving),
--   finished and outcome_fully|partly|not (trajectories closed), steps_up, steps_down (care-plan evaluations).
create or replace function kl_report_flow_facts(period_start date, period_end date, by text)
  returns table (bucket text, measure text, n bigint, median double precision, p90 double precision)
  language sql stable security definer set search_path = public
  as $$
    with allowed as (
      select kl_current_network() as network,
             period_start::timestamp at time zone 'Europe/Brussels' as t0,
             (period_end + 1)::timestamp at time zone 'Europe/Brussels' as t1
      where kl_current_org() is null
        and current_setting('app.role', true) in ('network-coordinator', 'analyst', 'network-admin')
        and by in ('month', 'quarter', 'organization', 'level')
    ),
    facts(d, org, level, measure, days) as (
      select kl_brussels_date(h.received_at), h.organization_id, h.indication_level, 'help_requests', null::double precision
      from help_requests h, allowed a
      where h.network_id = a.network and h.received_at >= a.t0 and h.received_at < a.t1
      union all
      select kl_brussels_date(s.created_at), s.receiver_organization_id, null, 'signals', null
      from outreach_signals s, allowed a
      where s.network_id = a.network and s.created_at >= a.t0 and s.created_at < a.t1 and not s.collective
      union all
      select kl_brussels_date(r.created_at), r.receiver_organization_id,
             case when by = 'level' then (select o.level from offers o where o.id = r.offer_id) end, m.measure, null
      from referrals r cross join lateral (values ('referrals'), ('referrals_between')) m(measure), allowed a
      where r.network_id = a.network and r.created_at >= a.t0 and r.created_at < a.t1
        and (m.measure = 'referrals' or r.sender_organization_id <> r.receiver_organization_id)
      union all
      select kl_brussels_date(r.answered_at), r.receiver_organization_id,
             case when by = 'level' then (select o.level from offers o where o.id = r.offer_id) end, 'declined', null
      from referrals r, allowed a
      where r.network_id = a.network and r.status = 'declined' and r.answered_at >= a.t0 and r.answered_at < a.t1
      union all
      select kl_brussels_date(r.accepted_at), r.receiver_organization_id,
             case when by = 'level' then (select o.level from offers o where o.id = r.offer_id) end, 'accepted',
             extract(epoch from r.accepted_at - r.created_at) / 86400
      from referrals r, allowed a
      where r.network_id = a.network and r.accepted_at >= a.t0 and r.accepted_at < a.t1
      union all
      select kl_brussels_date(r.first_contact_at), r.receiver_organization_id,
             case when by = 'level' then (select o.level from offers o where o.id = r.offer_id) end, 'first_contacts',
             extract(epoch from r.first_contact_at - r.created_at) / 86400
      from referrals r, allowed a
      where r.network_id = a.network and r.first_contact_at >= a.t0 and r.first_contact_at < a.t1
      union all
      -- left the waiting list in the period (accepted, declined or cancelled from it): days since it was waitlisted
      select kl_brussels_date(e.at), r.receiver_organization_id,
             case when by = 'level' then (select o.level from offers o where o.id = r.offer_id) end, 'waitlist',
             extract(epoch from e.at - (select max(w.at) from referral_events w
                                         where w.referral_id = e.referral_id and w.to_status = 'waitlisted'
                                           and w.at <= e.at)) / 86400
      from referral_events e join referrals r on r.id = e.referral_id, allowed a
      where e.from_status = 'waitlisted' and e.at >= a.t0 and e.at < a.t1 and r.network_id = a.network
      union all
      select t.end_date, t.organization_id,
             case when by = 'level' then (select o.level from offers o where o.id = t.offer_id) end, m.measure, null
      from trajectories t cross join lateral (values ('finished'), ('outcome_' || t.outcome)) m(measure), allowed a
      where t.network_id = a.network and t.status = 'finished' and t.end_date between period_start and period_end
        and m.measure is not null
      union all
      select e.evaluated_on, e.organization_id,
             case when by = 'level' then (select rv.to_level from care_plan_revisions rv
                                           where rv.evaluation_id = e.id and rv.to_level is not null limit 1) end,
             case e.decision when 'step-up' then 'steps_up' else 'steps_down' end, null
      from care_plan_evaluations e join organizations og on og.id = e.organization_id, allowed a
      where e.decision in ('step-up', 'step-down') and e.evaluated_on between period_start and period_end
        and og.network_id = a.network
    )
    select case by
             when 'month' then to_char(f.d, 'YYYY-MM')
             when 'quarter' then to_char(f.d, 'YYYY-"Q"Q')
             when 'organization' then f.org::text
             else coalesce(f.level, 'unknown')
           end,
           f.measure, count(*),
           percentile_cont(0.5) within group (order by f.days),
           percentile_cont(0.9) within group (order by f.days)
    from facts f
    group by 1, 2
  $$;
alter function kl_report_flow_facts(date, date, text) owner to kortelijn_definer;
revoke all on function kl_report_flow_facts(date, date, text) from public;
grant execute on function kl_report_flow_facts(date, date, text) to kortelijn_app;

-- Declined by reason over the period, referrals overdue now (a waitlisted one past its expected date too, as the
-- referrals overview counts it), and "stuck": a running trajectory in a specialised organisation (kind cgg) that
-- started more than 12 months ago, unless a care plan of the person (on any linked record) had, in the last 12
-- months, an evaluation that decided to step down or considered it.
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
        or (r.status in ('accepted', 'scheduled', 'missed') and r.first_contact_due_at < now())
        or (r.status = 'waitlisted' and r.expected_date < kl_brussels_date()))
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

-- The monthly function of 021 is replaced by kl_report_flow_facts.
drop function kl_report_flow_months(date, date);
