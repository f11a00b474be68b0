-- The person's access history shows who read the shared care plan (issue 11, part 4: "every read is audited and
-- appears in the person's access history"). An organisation that a care-plan consent names reads and works on the
-- plan another organisation made; its own audit trail has the row (with its own record of the person), but the
-- maker's access history of its record did not. The application role may not mark a row as another organisation's
-- (011: the foreign columns are the definer's), so one narrow SECURITY DEFINER function writes, for the plan's
-- maker, a row that names the reading organisation and its role: never its user, never anything of its records.
-- It runs as kortelijn_attempts (011: no login, no BYPASSRLS, INSERT on the audit trail), which may now read who
-- made a plan for which record (nothing of its content). Unlike a refused attempt, the caller may see the plan, so
-- there is nothing to hide: the function refuses a plan the caller may not see (42501) instead of staying silent.

grant select (id, organization_id, client_id, network_id) on care_plans to kortelijn_attempts;
create policy care_plans_attempts on care_plans for select to kortelijn_attempts using (true);
grant execute on function kl_care_plan_visible(uuid, uuid) to kortelijn_attempts;

-- owning a function needs CREATE on its schema (taken back below, once it owns the function)
grant usage, create on schema public to kortelijn_attempts;

-- Records in the maker's audit trail that the current tenant (kl_current_org / network / app.role, set by the
-- tenant transaction, never taken from an argument) did `plan_action` (a care-plan.* action code) with the plan,
-- outcome success, with the maker's record of the person as clientId, so it shows in that record's access history.
-- Nothing when the caller made the plan itself (its own row says it all) or the plan does not exist.
create or replace function kl_record_care_plan_access(plan_id uuid, plan_action text, access_request_id text)
  returns void
  language plpgsql volatile security definer
  set search_path = pg_catalog, public, pg_temp
  as $$
  declare
    caller_org uuid := public.kl_current_org();
    caller_network uuid := public.kl_current_network();
    caller_role text := nullif(current_setting('app.role', true), '');
    caller_user text := nullif(current_setting('app.user_id', true), '');
    plan record;
  begin
    if caller_org is null or caller_network is null then
      raise exception 'kl_record_care_plan_access: no organisation in the tenant context' using errcode = '42501';
    end if;
    if caller_role is null then
      if caller_user is not null then
        raise exception 'kl_record_care_plan_access: no role in the tenant context' using errcode = '42501';
      end if;
      caller_role := 'api-token';
    elsif caller_role !~ '^[a-z-]{2,40}$' then
      raise exception 'kl_record_care_plan_access: malformed role' using errcode = '42501';
    end if;
    if plan_action is null or length(plan_action) > 80 or plan_action !~ '^care-plan(\.[a-z0-9-]+)+$' then
      raise exception 'kl_record_care_plan_access: not a care-plan action' using errcode = '22023';
    end if;
    if access_request_id is not null and access_request_id !~ '^[A-Za-z0-9._-]{8,64}$' then
      raise exception 'kl_record_care_plan_access: malformed request id' using errcode = '22023';
    end if;
    select p.organization_id, p.client_id, p.network_id into plan
      from public.care_plans p where p.id = plan_id;
    if not found or plan.organization_id = caller_org then
      return;
    end if;
    if plan.network_id <> caller_network or not public.kl_care_plan_visible(plan.organization_id, plan.client_id) then
      raise exception 'kl_record_care_plan_access: the plan is not shared with the caller' using errcode = '42501';
    end if;
    insert into public.audit_log (organization_id, network_id, role, action, entity_type, entity_id, outcome,
                                  request_id, details, foreign_organization_id, foreign_network_id)
    values (plan.organization_id, plan.network_id, caller_role, plan_action, 'care-plan', plan_id::text, 'success',
            access_request_id, jsonb_build_object('clientId', plan.client_id, 'carePlanId', plan_id),
            caller_org, caller_network);
  end $$;
alter function kl_record_care_plan_access(uuid, text, text) owner to kortelijn_attempts;
revoke all on function kl_record_care_plan_access(uuid, text, text) from public;
grant execute on function kl_record_care_plan_access(uuid, text, text) to kortelijn_app;
revoke create on schema public from kortelijn_attempts;
