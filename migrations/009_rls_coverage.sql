-- Row-level security for the organisation tables and the e-mail outbox that had none (RLS coverage, see
-- tests/integration/rls-coverage.test.ts for every table of the schema and why the rest stay without).
-- Every policy keeps what the application does today; it adds a second lock behind the filters in the code.

-- May the current transaction change this organisation's rows (its sites, its teams)? Its own organisation, or the
-- network admin of its network (organisation admin and network admin in features/organizations; the HSDS import).
create or replace function kl_may_change_organization(organization uuid) returns boolean language sql stable
  as $$ select organization = kl_current_org()
            or exists (select 1 from organizations o where o.id = organization and kl_network_admin_of(o.network_id)) $$;
-- Is this organisation in the current transaction's network?
create or replace function kl_organization_in_network(organization uuid) returns boolean language sql stable
  as $$ select exists (select 1 from organizations o where o.id = organization and o.network_id = kl_current_network()) $$;
-- Is this the mailer's transaction (app.mailer, set by features/referrals/mailer.ts), outside any tenant context?
create or replace function kl_mailer() returns boolean language sql stable
  as $$ select coalesce(current_setting('app.mailer', true) = 'on', false) and kl_current_network() is null $$;
grant execute on function kl_may_change_organization(uuid), kl_organization_in_network(uuid), kl_mailer() to kortelijn_app;

-- Organisations: names and kinds are public (the HSDS feed, the public listing) and are read before any tenant
-- context exists (an API token's organisation, the memberships shown at sign-in), so reading stays open.
-- Writing: the network admin creates and changes the organisations of their network; an organisation (its admin)
-- changes itself. Which fields each may change (only the network switches one off) stays in the code.
alter table organizations enable row level security;
alter table organizations force row level security;
create policy organizations_read on organizations for select using (true);
create policy organizations_insert on organizations for insert with check (kl_network_admin_of(network_id));
create policy organizations_update on organizations for update
  using (id = kl_current_org() or kl_network_admin_of(network_id))
  with check (id = kl_current_org() or kl_network_admin_of(network_id));

-- Sites are the organisations' public addresses (the HSDS feed and the public listing show them with the offers,
-- outside any tenant context), so reading stays open; only the organisation or its network admin writes them.
alter table sites enable row level security;
alter table sites force row level security;
create policy sites_read on sites for select using (true);
create policy sites_insert on sites for insert with check (kl_may_change_organization(organization_id));
create policy sites_update on sites for update
  using (kl_may_change_organization(organization_id)) with check (kl_may_change_organization(organization_id));
create policy sites_delete on sites for delete using (kl_may_change_organization(organization_id));

-- Teams are read within the network only (the organisation's page, granting a role with a team), written by the
-- organisation or its network admin.
alter table teams enable row level security;
alter table teams force row level security;
create policy teams_read on teams for select using (kl_organization_in_network(organization_id));
create policy teams_insert on teams for insert with check (kl_may_change_organization(organization_id));
create policy teams_update on teams for update
  using (kl_may_change_organization(organization_id)) with check (kl_may_change_organization(organization_id));
create policy teams_delete on teams for delete using (kl_may_change_organization(organization_id));

-- The e-mail outbox holds the addresses of the people who handle an inbox. A request queues mail for the other
-- party of a referral (as notifications_insert does), but no request reads or changes the outbox: only the mailer
-- (features/referrals/mailer.ts), whose transaction says so with app.mailer, outside any tenant context.
alter table email_outbox enable row level security;
alter table email_outbox force row level security;
create policy email_outbox_insert on email_outbox for insert with check (true);
create policy email_outbox_mailer_read on email_outbox for select using (kl_mailer());
create policy email_outbox_mailer_update on email_outbox for update using (kl_mailer()) with check (kl_mailer());

-- Without row-level security stay reference data, the networks and the identity tables (the reasons are in the
-- coverage test). Of those, the application only reads a network's zone and never creates a network (the seed and
-- admin:create do, as owner): the grants of 001 that allowed it go.
revoke insert, update on network_municipalities from kortelijn_app;
revoke insert on networks from kortelijn_app;
