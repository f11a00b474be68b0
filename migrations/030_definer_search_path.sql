-- Security-definer functions run with their owner's rights, so what a name in them resolves to must not be up to the
-- caller. With `search_path = public` alone PostgreSQL still searches the session's temporary schema FIRST for
-- tables, so a caller allowed to create temporary tables could shadow `referrals` or `trajectories` inside these
-- functions. Naming pg_temp last (as every definer function since migration 011 does) closes that.
alter function kl_network_overdue_referrals() set search_path = pg_catalog, public, pg_temp;
alter function kl_referral_consent_active(uuid) set search_path = pg_catalog, public, pg_temp;
alter function kl_report_flow_totals(date, date) set search_path = pg_catalog, public, pg_temp;
alter function kl_report_may_read(uuid) set search_path = pg_catalog, public, pg_temp;
alter function kl_report_trajectory_counts(uuid, date, date) set search_path = pg_catalog, public, pg_temp;
alter function kl_report_flow_facts(date, date, text) set search_path = pg_catalog, public, pg_temp;
