-- Reporting: the quarterly output's figures that other features keep (proactive contacts and support started after
-- outreach; group sessions and participants; support to facilities), counted for network roles too. Those tables are
-- the organisation's under RLS, so a network coordinator, analyst or admin read 0 for another organisation. As for
-- trajectories (021), the counts come from one SECURITY DEFINER function that returns counts only, guarded by
-- kl_report_may_read: a network role still never gets a read policy on a signal, a session or a facility contact.

-- kortelijn_definer (005, no login, no BYPASSRLS) may read just the columns the counts need, through this function.
grant select (receiver_organization_id, reached_at, closed_at, outcome) on outreach_signals to kortelijn_definer;
-- (the definer role's read policy on outreach_signals is migration 024's)
grant select (id, organization_id, status, attendance_recorded_at, starts_at, headcount) on group_sessions
  to kortelijn_definer;
create policy group_sessions_definer on group_sessions for select to kortelijn_definer using (true);
grant select (session_id) on group_attendance to kortelijn_definer;
create policy group_attendance_definer on group_attendance for select to kortelijn_definer using (true);
grant select (organization_id, facility_id, kind, contact_date) on facility_contacts to kortelijn_definer;
create policy facility_contacts_definer on facility_contacts for select to kortelijn_definer using (true);

-- One organisation's figures over Brussels dates period_start..period_end (both included), the same definitions as
-- features/outreach (outreach.repository.ts `figures`) and features/groups (groups.repository.ts `figures`):
-- a proactive contact is a signal whose person was first reached in the period; support started is a signal closed
-- with support accepted in it; a session is held when not cancelled and its attendance was recorded, and counts the
-- larger of its headcount and its named participants; facilities count once each per kind of contact.
-- One row, always (zeros when the caller may not read the organisation: nothing to tell apart from an empty quarter).
create or replace function kl_report_other_figures(organization uuid, period_start date, period_end date)
  returns table (proactive_contacts bigint, support_started bigint, group_sessions bigint, group_participants bigint,
                 facilities_contacted bigint, facilities_advised bigint, facilities_visited bigint)
  language sql stable security definer set search_path = pg_catalog, public, pg_temp
  as $$
    with allowed as (
      select organization as id where kl_report_may_read(organization)
    ),
    signals as (
      select
        count(*) filter (where (s.reached_at at time zone 'Europe/Brussels')::date between period_start and period_end)
          as proactive_contacts,
        count(*) filter (where s.outcome = 'support-accepted'
          and (s.closed_at at time zone 'Europe/Brussels')::date between period_start and period_end) as support_started
      from public.outreach_signals s join allowed a on s.receiver_organization_id = a.id
    ),
    held as (
      select greatest(coalesce(gs.headcount, 0),
               (select count(*) from public.group_attendance ga where ga.session_id = gs.id)) as n
      from public.group_sessions gs join allowed a on gs.organization_id = a.id
      where gs.status = 'planned' and gs.attendance_recorded_at is not null
        and public.kl_brussels_date(gs.starts_at) between period_start and period_end
    ),
    contacts as (
      select fc.facility_id, fc.kind
      from public.facility_contacts fc join allowed a on fc.organization_id = a.id
      where fc.contact_date between period_start and period_end
    )
    select sg.proactive_contacts, sg.support_started,
           (select count(*) from held),
           (select coalesce(sum(n), 0)::bigint from held),
           (select count(distinct facility_id) from contacts),
           (select count(distinct facility_id) from contacts where kind = 'specialised-advice'),
           (select count(distinct facility_id) from contacts where kind = 'on-site-visit')
    from signals sg
  $$;
alter function kl_report_other_figures(uuid, date, date) owner to kortelijn_definer;
revoke all on function kl_report_other_figures(uuid, date, date) from public;
grant execute on function kl_report_other_figures(uuid, date, date) to kortelijn_app;
