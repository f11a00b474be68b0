-- Owners see attempts (issue 9, part 5): when another organisation (or a network role) is refused a person's record
-- that exists, the organisation that owns it gets a row in its own audit trail, while the caller still gets the
-- plain 404 of a record that does not exist. The caller's transaction cannot see the owner (RLS), so one narrow
-- SECURITY DEFINER function looks the owner up and writes the row, and tells the caller nothing.

-- A row written for the owner of a record on another's refused attempt: organization_id is the owner, these two
-- name who tried (the organisation, null for a network role, and its network). Null on every other row.
alter table audit_log add column foreign_organization_id uuid, add column foreign_network_id uuid;
-- Only the function below marks a row so: the application role keeps INSERT on every other column.
revoke insert on audit_log from kortelijn_app;
grant insert (at, actor_user_id, actor_token_id, organization_id, network_id, role, action, entity_type, entity_id,
              outcome, ip, user_agent, request_id, details) on audit_log to kortelijn_app;

-- The function runs as kortelijn_attempts: no login, no BYPASSRLS, and only what it needs: who owns a record
-- (the ownership columns, nothing of the person), the owner's network, and INSERT on the audit trail.
do $$ begin
  -- roles belong to the whole server: two databases migrating at once can both find it missing
  if not exists (select 1 from pg_roles where rolname = 'kortelijn_attempts') then
    begin
      create role kortelijn_attempts nologin nosuperuser nobypassrls;
    exception when duplicate_object or unique_violation then null;
    end;
  end if;
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant kortelijn_attempts to %I', current_user);
  end if;
end $$;
-- owning a function needs CREATE on its schema (taken back below, once it owns the function)
grant usage, create on schema public to kortelijn_attempts;
grant select (id, organization_id) on clients to kortelijn_attempts;
grant select (id, organization_id, client_id) on help_requests to kortelijn_attempts;
grant select (id, organization_id, client_id) on consents to kortelijn_attempts;
grant select (id, organization_id, client_id) on screenings to kortelijn_attempts;
grant select (id, organization_id, help_request_id) on safety_signals to kortelijn_attempts;
grant select (id, sender_organization_id, receiver_organization_id, client_id, receiver_client_id)
  on referrals to kortelijn_attempts;
grant select (id, network_id) on organizations to kortelijn_attempts;
grant insert on audit_log to kortelijn_attempts;
grant usage on sequence audit_log_id_seq to kortelijn_attempts;
create policy clients_attempts on clients for select to kortelijn_attempts using (true);
create policy help_requests_attempts on help_requests for select to kortelijn_attempts using (true);
create policy consents_attempts on consents for select to kortelijn_attempts using (true);
create policy screenings_attempts on screenings for select to kortelijn_attempts using (true);
create policy safety_signals_attempts on safety_signals for select to kortelijn_attempts using (true);
create policy referrals_attempts on referrals for select to kortelijn_attempts using (true);

-- Records, for the owner(s) of one record, that the current tenant (kl_current_org / network / app.role, set by the
-- application's tenant transaction, never taken from an argument) was refused it. Nothing when the record does not
-- exist or the caller is one of its owners. It returns nothing and always takes the same number of audit ids (two:
-- a referral has two owners), so neither the answer nor the ids of the caller's own later rows tell whether the
-- record exists. Arguments are checked: a known record kind, an action code, a refusal outcome, a request id.
-- search_path is fixed with pg_temp last and every name is qualified, so a temporary table cannot stand in for one.
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
       or record_kind not in ('client', 'help-request', 'consent', 'screening', 'safety-signal', 'referral') then
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
alter function kl_record_foreign_attempt(text, uuid, text, text, text) owner to kortelijn_attempts;
revoke all on function kl_record_foreign_attempt(text, uuid, text, text, text) from public;
grant execute on function kl_record_foreign_attempt(text, uuid, text, text, text) to kortelijn_app;
revoke create on schema public from kortelijn_attempts;
