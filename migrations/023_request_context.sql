-- One round trip for a request's context (issue "Request path"): the transaction's opening script checks the
-- session in the database and sets the RLS context in the same statement. A request's actor may come from the
-- server's short-lived session cache; this check is why that cannot outlive a revocation: a session deleted,
-- expired, idle too long, or now saying another organisation, role or state (second factor owed, password to be
-- changed) than the actor the request was authorised as, raises
-- 28000 (the request answers 401) and no context is set, so RLS shows nothing.
-- Invoker's rights (the app role reads sessions, as the sign-in path does); every name schema-qualified.
create function kl_enter_session(p_token_hash text, p_idle_minutes integer, p_user_id text, p_organization_id text,
                                 p_network_id text, p_role text, p_pending_two_factor boolean,
                                 p_must_change_password boolean)
  returns void
  language plpgsql volatile
  as $$
  begin
    perform 1 from public.sessions s
     where s.token_hash = p_token_hash
       and s.expires_at > pg_catalog.now()
       and s.last_seen_at > pg_catalog.now() - pg_catalog.make_interval(mins => p_idle_minutes)
       and s.user_id::text = p_user_id
       and coalesce(s.organization_id::text, '') = p_organization_id
       and s.network_id::text = p_network_id
       and s.role = p_role
       and s.pending_two_factor = p_pending_two_factor
       and s.must_change_password = p_must_change_password;
    if not found then
      raise exception 'the session has ended' using errcode = '28000';
    end if;
    perform pg_catalog.set_config('app.org_id', p_organization_id, true),
            pg_catalog.set_config('app.network_id', p_network_id, true),
            pg_catalog.set_config('app.user_id', p_user_id, true),
            pg_catalog.set_config('app.role', p_role, true);
  end $$;
revoke all on function kl_enter_session(text, integer, text, text, text, text, boolean, boolean) from public;
grant execute on function kl_enter_session(text, integer, text, text, text, text, boolean, boolean) to kortelijn_app;
