-- The session check of a request's transaction as one plain statement (issue 14). Migration 023's kl_enter_session
-- ran the check as a PL/pgSQL function: a nested executor through SPI for a one-row primary-key lookup, 12 % of
-- PostgreSQL's CPU for a client read in a profile. The application now sends the same conditions as a statement of
-- its own (core/db/tenant.ts SESSION_CONTEXT), prepared once per connection: CASE WHEN the session is live and says
-- what the request was authorised with THEN set the context ELSE raise. Only the raise needs a function.
create function kl_session_ended() returns text
  language plpgsql volatile
  as $$
  begin
    raise exception 'the session has ended' using errcode = '28000';
  end $$;
revoke all on function kl_session_ended() from public;
grant execute on function kl_session_ended() to kortelijn_app;

drop function kl_enter_session(text, integer, text, text, text, text, boolean, boolean);
