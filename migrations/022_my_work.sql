-- My work and caseload (issue 11, parts 5 and 7), and owners see attempts on trajectories: migration 011 tells a
-- record's owner of another organisation's refused attempt for six kinds of record; a trajectory (016) is a
-- person's record of one organisation too, so its owner is told as well. 011 is never edited: the function is
-- replaced here with one more kind, the same checks and the same two audit ids per call.

-- the function's role may read who owns a trajectory and for whom (nothing of its content)
grant select (id, organization_id, client_id) on trajectories to kortelijn_attempts;
create policy trajectories_attempts on trajectories for select to kortelijn_attempts using (true);

-- replacing keeps the owner (kortelijn_attempts; 011 made the migrating role a member of it) and its grants
create or replace function kl_record_foreign_attempt(
  record_kind text, record_id uuid, attempted_action text, attempt_outcome text, attempt_request_id text)
  returns void
  language plpgsql volatile security definer
  set search_path = pg_catalog, public, pg_temp
  as $$
  declare
    caller_org uuid := public.kl_current_org();
    caller_network uuid := public.kl_current_network();
    caller_role text := nullif(current_setting('app.role', true), '');
    caller_user text := nullif(current_setting('app.user_id', true), '');
    written integer := 0;
  begin
    if caller_network is null then
      raise exception 'kl_record_foreign_attempt: no tenant context' using errcode = '42501';
    end if;
    if caller_role is null then
      -- an API token acts without a role; a user always has one
      if caller_user is not null then
        raise exception 'kl_record_foreign_attempt: no role in the tenant context' using errcode = '42501';
      end if;
      caller_role := 'api-token';
    elsif caller_role !~ '^[a-z-]{2,40}$' then
      raise exception 'kl_record_foreign_attempt: malformed role' using errcode = '42501';
    end if;
    if record_kind is null
       or record_kind not in ('client', 'help-request', 'consent', 'screening', 'safety-signal', 'referral',
                              'trajectory') then
      raise exception 'kl_record_foreign_attempt: unknown record kind' using errcode = '22023';
    end if;
    if record_id is null then
      raise exception 'kl_record_foreign_attempt: no record id' using errcode = '22023';
    end if;
    if attempted_action is null or length(attempted_action) > 80
       or attempted_action !~ '^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$' then
      raise exception 'kl_record_foreign_attempt: malformed action' using errcode = '22023';
    end if;
    if attempt_outcome is null or attempt_outcome not in ('denied', 'not-found', 'invalid') then
      raise exception 'kl_record_foreign_attempt: not a refusal' using errcode = '22023';
    end if;
    if attempt_request_id is not null and attempt_request_id !~ '^[A-Za-z0-9._-]{8,64}$' then
      raise exception 'kl_record_foreign_attempt: malformed request id' using errcode = '22023';
    end if;

    -- a failure here must not cost the caller its own refusal row (written after this, in the same transaction):
    -- its absence would tell the caller that the record exists
    begin
      with owners (organization_id, client_id) as (
        select c.organization_id, c.id from public.clients c
          where record_kind = 'client' and c.id = record_id
        union all
        select h.organization_id, h.client_id from public.help_requests h
          where record_kind = 'help-request' and h.id = record_id
        union all
        select c.organization_id, c.client_id from public.consents c
          where record_kind = 'consent' and c.id = record_id
        union all
        select s.organization_id, s.client_id from public.screenings s
          where record_kind = 'screening' and s.id = record_id
        union all
        select s.organization_id, h.client_id
          from public.safety_signals s join public.help_requests h on h.id = s.help_request_id
          where record_kind = 'safety-signal' and s.id = record_id
        union all
        select t.organization_id, t.client_id from public.trajectories t
          where record_kind = 'trajectory' and t.id = record_id
        union all
        select r.sender_organization_id, r.client_id from public.referrals r
          where record_kind = 'referral' and r.id = record_id
        union all
        select r.receiver_organization_id, r.receiver_client_id from public.referrals r
          where record_kind = 'referral' and r.id = record_id and r.receiver_organization_id <> r.sender_organization_id
      )
      insert into public.audit_log (organization_id, network_id, role, action, entity_type, entity_id, outcome,
                                    request_id, details, foreign_organization_id, foreign_network_id)
      select o.organization_id, org.network_id, caller_role, attempted_action, record_kind, record_id::text,
             attempt_outcome, attempt_request_id,
             case when o.client_id is null then null else jsonb_build_object('clientId', o.client_id) end,
             caller_org, caller_network
      from owners o join public.organizations org on org.id = o.organization_id
      where not exists (select 1 from owners mine where mine.organization_id = caller_org);
      get diagnostics written = row_count;
    exception when others then
      raise warning 'kl_record_foreign_attempt: the owner''s row was not written (%)', sqlstate;
      written := 0;
    end;
    for i in 1 .. 2 - written loop
      perform nextval('public.audit_log_id_seq');
    end loop;
  end $$;
revoke all on function kl_record_foreign_attempt(text, uuid, text, text, text) from public;
grant execute on function kl_record_foreign_attempt(text, uuid, text, text, text) to kortelijn_app;
