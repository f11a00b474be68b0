-- The shared care plan (hulpplan, FHIR CarePlan / Goal / CareTeam): one plan per person across the network.
-- Each organisation keeps its own client record; the records of one person are linked (client_links), and the
-- plan hangs on the linked person. Who sees a plan: the organisation that made it, and every organisation that a
-- valid consent of the person with category `care-plan` names (on any linked record). Withdrawal hides it at once.

-- Links between two client records of one person: from a referral (the receiver's record to the sender's), or
-- by hand. A link never merges anything and never opens one organisation's record to the other: it only lets
-- the care plan be found from either record. Unlinking keeps the row (who, when, why).
create table client_links (
  id uuid primary key default gen_random_uuid(),
  network_id uuid not null references networks(id),
  client_id uuid not null references clients(id),
  organization_id uuid not null references organizations(id),
  other_client_id uuid not null references clients(id),
  other_organization_id uuid not null references organizations(id),
  kind text not null check (kind in ('referral', 'manual')),
  referral_id uuid references referrals(id),
  note text,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  unlinked_at timestamptz,
  unlinked_by uuid references users(id),
  unlink_reason text,
  check (client_id <> other_client_id),
  check ((kind = 'referral') = (referral_id is not null))
);
-- one active link per pair, whichever way round it was made
create unique index client_links_pair_idx on client_links(least(client_id, other_client_id), greatest(client_id, other_client_id))
  where unlinked_at is null;
create index client_links_client_idx on client_links(client_id) where unlinked_at is null;
create index client_links_other_idx on client_links(other_client_id) where unlinked_at is null;

-- Records registered from a referral before this migration are linked to the sender's record. The owner that runs
-- migrations is no superuser in production: under FORCE it would read no referral, so the force is lifted meanwhile.
alter table referrals no force row level security;
insert into client_links (network_id, client_id, organization_id, other_client_id, other_organization_id, kind, referral_id, created_at)
select distinct on (least(r.client_id, r.receiver_client_id), greatest(r.client_id, r.receiver_client_id))
       r.network_id, r.receiver_client_id, r.receiver_organization_id, r.client_id, r.sender_organization_id,
       'referral', r.id, r.updated_at
  from referrals r
 where r.receiver_client_id is not null and r.receiver_client_id <> r.client_id
 order by least(r.client_id, r.receiver_client_id), greatest(r.client_id, r.receiver_client_id), r.created_at;
alter table referrals force row level security;

-- From now on: when the receiver registers (or picks) its record for a referral, the two records are linked.
-- A trigger rather than a call in the referrals service: the referrals feature may not import this one (cycle).
create or replace function kl_link_referral_client() returns trigger
  language plpgsql
  set search_path = pg_catalog, public, pg_temp
  as $$
  begin
    if new.receiver_client_id is not null and new.receiver_client_id <> new.client_id
       and old.receiver_client_id is distinct from new.receiver_client_id then
      insert into public.client_links (network_id, client_id, organization_id, other_client_id, other_organization_id,
                                       kind, referral_id, created_by)
      values (new.network_id, new.receiver_client_id, new.receiver_organization_id, new.client_id,
              new.sender_organization_id, 'referral', new.id, nullif(current_setting('app.user_id', true), '')::uuid)
      on conflict do nothing;
    end if;
    return new;
  end $$;
create trigger referrals_link_client after update of receiver_client_id on referrals
  for each row execute function kl_link_referral_client();

create table care_plans (
  id uuid primary key default gen_random_uuid(),
  network_id uuid not null references networks(id),
  -- the organisation that made the plan, and its record of the person
  organization_id uuid not null references organizations(id),
  client_id uuid not null references clients(id),
  status text not null default 'active' check (status in ('active', 'closed')),
  care_level text check (care_level in ('zero-line', 'basic', 'specialised', 'crisis')),
  -- samen beslissen: what the person wants, in their own words, and their agreement (when, how)
  person_wishes text,
  agreed_on date,
  agreement_method text check (agreement_method in ('spoken', 'signed-paper', 'in-person')),
  evaluation_interval_months integer not null default 3 check (evaluation_interval_months between 1 and 24),
  next_evaluation_on date,
  coordinator_member_id uuid,
  coordinator_handover_reason text,
  closed_on date,
  version integer not null default 1,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);
create index care_plans_client_idx on care_plans(client_id);
create index care_plans_organization_idx on care_plans(organization_id, status);

create table care_team_members (
  id uuid primary key default gen_random_uuid(),
  care_plan_id uuid not null references care_plans(id),
  kind text not null check (kind in ('organization', 'caregiver', 'person', 'support-person')),
  organization_id uuid references organizations(id),
  user_id uuid references users(id),
  -- a support person (steunfiguur) is not a user: name, relation, how to reach them
  name text,
  relation text,
  contact text,
  role text,
  active boolean not null default true,
  version integer not null default 1,
  created_by uuid references users(id),
  created_at timestamptz not null default clock_timestamp(),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now(),
  check (kind <> 'organization' or organization_id is not null),
  check (kind <> 'caregiver' or user_id is not null),
  check (kind <> 'support-person' or name is not null)
);
create index care_team_members_plan_idx on care_team_members(care_plan_id);
alter table care_plans add constraint care_plans_coordinator_fk foreign key (coordinator_member_id) references care_team_members(id);

create table care_plan_goals (
  id uuid primary key default gen_random_uuid(),
  care_plan_id uuid not null references care_plans(id),
  -- the person's own words, as said; the professional wording stands beside them
  person_words text not null,
  professional_wording text,
  life_domain text,
  target_date date,
  status text not null default 'proposed' check (status in ('proposed', 'active', 'achieved', 'not-achieved', 'cancelled')),
  version integer not null default 1,
  created_by uuid references users(id),
  created_at timestamptz not null default clock_timestamp(),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);
create index care_plan_goals_plan_idx on care_plan_goals(care_plan_id, created_at);

create table care_plan_actions (
  id uuid primary key default gen_random_uuid(),
  care_plan_id uuid not null references care_plans(id),
  goal_id uuid references care_plan_goals(id),
  description text not null,
  owner_kind text not null check (owner_kind in ('organization', 'user', 'client', 'support-person')),
  owner_organization_id uuid references organizations(id),
  owner_user_id uuid references users(id),
  owner_member_id uuid references care_team_members(id),
  due_date date,
  status text not null default 'open' check (status in ('open', 'done', 'dropped')),
  version integer not null default 1,
  created_by uuid references users(id),
  created_at timestamptz not null default clock_timestamp(),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now(),
  check ((owner_kind = 'organization') = (owner_organization_id is not null)),
  check ((owner_kind = 'user') = (owner_user_id is not null)),
  check ((owner_kind = 'support-person') = (owner_member_id is not null))
);
create index care_plan_actions_plan_idx on care_plan_actions(care_plan_id, created_at);
-- "actions due this week" of a caregiver / an organisation
create index care_plan_actions_user_due_idx on care_plan_actions(owner_user_id, due_date) where status = 'open';
create index care_plan_actions_org_due_idx on care_plan_actions(owner_organization_id, due_date) where status = 'open';

create table care_plan_evaluations (
  id uuid primary key default gen_random_uuid(),
  care_plan_id uuid not null references care_plans(id),
  organization_id uuid not null references organizations(id),
  evaluated_on date not null,
  decision text not null check (decision in ('continue', 'step-up', 'step-down', 'close')),
  note text not null,
  person_says text,
  -- a case conference (knelpuntoverleg) records the care team members present
  case_conference boolean not null default false,
  present_member_ids uuid[] not null default '{}',
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index care_plan_evaluations_plan_idx on care_plan_evaluations(care_plan_id, evaluated_on);

create table care_plan_evaluation_goals (
  evaluation_id uuid not null references care_plan_evaluations(id),
  care_plan_id uuid not null references care_plans(id),
  goal_id uuid not null references care_plan_goals(id),
  progress integer not null check (progress between 0 and 10),
  note text,
  primary key (evaluation_id, goal_id)
);

-- A step up or down (op- of afschalen) is a dated revision of the plan with its reason and the latest
-- screening scores of the evaluating organisation beside it.
create table care_plan_revisions (
  id uuid primary key default gen_random_uuid(),
  care_plan_id uuid not null references care_plans(id),
  evaluation_id uuid references care_plan_evaluations(id),
  kind text not null check (kind in ('step-up', 'step-down', 'close')),
  revised_on date not null,
  from_level text,
  to_level text,
  reason text not null,
  screenings jsonb not null default '[]',
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index care_plan_revisions_plan_idx on care_plan_revisions(care_plan_id, revised_on);

-- History: every insert and update of the plan and its parts, with who, when, which fields and the row as it
-- became, written by triggers so no code path can forget it. `?asOf=` rebuilds the plan from these rows.
create table care_plan_changes (
  id bigserial primary key,
  care_plan_id uuid not null references care_plans(id),
  at timestamptz not null default clock_timestamp(),
  actor_user_id uuid references users(id),
  organization_id uuid references organizations(id),
  entity text not null,
  entity_id uuid not null,
  operation text not null check (operation in ('insert', 'update')),
  fields text[] not null default '{}',
  row_data jsonb not null
);
create index care_plan_changes_plan_idx on care_plan_changes(care_plan_id, at);

create or replace function kl_care_plan_change() returns trigger
  language plpgsql
  set search_path = pg_catalog, public, pg_temp
  as $$
  declare
    plan uuid;
    changed text[] := '{}';
    data jsonb := to_jsonb(new);
  begin
    plan := case tg_table_name when 'care_plans' then new.id else (data->>'care_plan_id')::uuid end;
    if tg_op = 'UPDATE' then
      select coalesce(array_agg(n.key order by n.key), '{}') into changed
        from jsonb_each(data) n
       where n.key not in ('version', 'updated_at', 'updated_by')
         and n.value is distinct from to_jsonb(old)->n.key;
      if cardinality(changed) = 0 then return new; end if;
    end if;
    insert into public.care_plan_changes (care_plan_id, actor_user_id, organization_id, entity, entity_id, operation, fields, row_data)
    values (plan, nullif(current_setting('app.user_id', true), '')::uuid, nullif(current_setting('app.org_id', true), '')::uuid,
            tg_argv[0], (data->>'id')::uuid, lower(tg_op), changed, data);
    return new;
  end $$;
create trigger care_plans_history after insert or update on care_plans
  for each row execute function kl_care_plan_change('plan');
create trigger care_team_members_history after insert or update on care_team_members
  for each row execute function kl_care_plan_change('member');
create trigger care_plan_goals_history after insert or update on care_plan_goals
  for each row execute function kl_care_plan_change('goal');
create trigger care_plan_actions_history after insert or update on care_plan_actions
  for each row execute function kl_care_plan_change('action');
create trigger care_plan_evaluations_history after insert on care_plan_evaluations
  for each row execute function kl_care_plan_change('evaluation');
create trigger care_plan_revisions_history after insert on care_plan_revisions
  for each row execute function kl_care_plan_change('revision');

-- ---------------------------------------------------------------------------------------------------------
-- Who sees what. The narrow functions run as kortelijn_definer (005: no login, no BYPASSRLS), which may read the
-- link rows, the ownership columns of client records and the consents (005's read policy).
grant select on client_links to kortelijn_definer;
create policy client_links_definer on client_links for select to kortelijn_definer using (true);
grant select (id, organization_id) on clients to kortelijn_definer;
create policy clients_definer on clients for select to kortelijn_definer using (true);
grant select (id, organization_id, client_id, status, created_at) on care_plans to kortelijn_definer;
create policy care_plans_definer on care_plans for select to kortelijn_definer using (true);

-- The records of one person: every record reachable over active links (the record itself included). Internal:
-- the application never gets other organisations' record ids from it except through the guarded functions below.
create or replace function kl_linked_records(client uuid) returns table (id uuid)
  language sql stable security definer
  set search_path = pg_catalog, public, pg_temp
  as $$
    with recursive person(id) as (
      select client
      union
      select case when l.client_id = p.id then l.other_client_id else l.client_id end
        from person p
        join public.client_links l on (l.client_id = p.id or l.other_client_id = p.id) and l.unlinked_at is null
    )
    select id from person limit 1000
  $$;
alter function kl_linked_records(uuid) owner to kortelijn_definer;
revoke all on function kl_linked_records(uuid) from public;

-- May the current organisation see the plan that `plan_org` made on its record `plan_client`: its own plan, or a
-- valid consent with category care-plan on any record of the person names it (withdrawn: false at once).
create or replace function kl_care_plan_visible(plan_org uuid, plan_client uuid) returns boolean
  language sql stable security definer
  set search_path = pg_catalog, public, pg_temp
  as $$
    select kl_current_org() is not null and (
      plan_org = kl_current_org()
      or exists (
        select 1 from public.consents c
         where c.client_id in (select id from public.kl_linked_records(plan_client))
           and c.recipient_organization_id = kl_current_org()
           and c.network_id = kl_current_network()
           and 'care-plan' = any(c.categories)
           and c.withdrawn_at is null
           and (c.valid_until is null or c.valid_until >= public.kl_brussels_date())))
  $$;
alter function kl_care_plan_visible(uuid, uuid) owner to kortelijn_definer;
revoke all on function kl_care_plan_visible(uuid, uuid) from public;
grant execute on function kl_care_plan_visible(uuid, uuid) to kortelijn_app;

-- The records of the person behind one of my records (or behind a plan I may see): ids only, to find the plan,
-- to refuse a second one and to find my own records of the person. Nothing for a record I may not name.
create or replace function kl_person_records(client uuid) returns table (id uuid)
  language sql stable security definer
  set search_path = pg_catalog, public, pg_temp
  as $$
    select l.id from public.kl_linked_records(client) l
     where exists (select 1 from public.clients c where c.id = client and c.organization_id = kl_current_org())
        or exists (select 1 from public.care_plans p
                    where p.client_id = client and public.kl_care_plan_visible(p.organization_id, p.client_id))
  $$;
alter function kl_person_records(uuid) owner to kortelijn_definer;
revoke all on function kl_person_records(uuid) from public;
grant execute on function kl_person_records(uuid) to kortelijn_app;

-- The open plans of the person behind one of my records, whether or not I may see them (one plan per person: a
-- second one is refused with 409 even when the first is hidden from me; more than one only in the moment a link
-- would join two, which the application then refuses).
create or replace function kl_person_care_plans(client uuid) returns table (id uuid)
  language sql stable security definer
  set search_path = pg_catalog, public, pg_temp
  as $$
    select p.id from public.care_plans p
     where p.client_id in (select r.id from public.kl_person_records(client) r) and p.status = 'active'
     order by p.created_at, p.id
  $$;
alter function kl_person_care_plans(uuid) owner to kortelijn_definer;
revoke all on function kl_person_care_plans(uuid) from public;
grant execute on function kl_person_care_plans(uuid) to kortelijn_app;

-- Row-level security, forced. Links: both organisations see the link (not each other's record).
alter table client_links enable row level security;
alter table client_links force row level security;
create policy client_links_parties on client_links
  using (kl_current_org() in (organization_id, other_organization_id))
  with check (kl_current_org() in (organization_id, other_organization_id) and network_id = kl_current_network());

alter table care_plans enable row level security;
alter table care_plans force row level security;
create policy care_plans_shared on care_plans to kortelijn_app
  using (network_id = kl_current_network() and kl_care_plan_visible(organization_id, client_id))
  with check (network_id = kl_current_network() and kl_care_plan_visible(organization_id, client_id));

-- the parts of a plan follow the plan: the subquery is itself under care_plans' policy
alter table care_team_members enable row level security;
alter table care_team_members force row level security;
create policy care_team_members_shared on care_team_members to kortelijn_app
  using (exists (select 1 from care_plans p where p.id = care_plan_id))
  with check (exists (select 1 from care_plans p where p.id = care_plan_id));
alter table care_plan_goals enable row level security;
alter table care_plan_goals force row level security;
create policy care_plan_goals_shared on care_plan_goals to kortelijn_app
  using (exists (select 1 from care_plans p where p.id = care_plan_id))
  with check (exists (select 1 from care_plans p where p.id = care_plan_id));
alter table care_plan_actions enable row level security;
alter table care_plan_actions force row level security;
create policy care_plan_actions_shared on care_plan_actions to kortelijn_app
  using (exists (select 1 from care_plans p where p.id = care_plan_id))
  with check (exists (select 1 from care_plans p where p.id = care_plan_id));
alter table care_plan_evaluations enable row level security;
alter table care_plan_evaluations force row level security;
create policy care_plan_evaluations_shared on care_plan_evaluations to kortelijn_app
  using (exists (select 1 from care_plans p where p.id = care_plan_id))
  with check (exists (select 1 from care_plans p where p.id = care_plan_id) and organization_id = kl_current_org());
alter table care_plan_evaluation_goals enable row level security;
alter table care_plan_evaluation_goals force row level security;
create policy care_plan_evaluation_goals_shared on care_plan_evaluation_goals to kortelijn_app
  using (exists (select 1 from care_plans p where p.id = care_plan_id))
  with check (exists (select 1 from care_plans p where p.id = care_plan_id));
alter table care_plan_revisions enable row level security;
alter table care_plan_revisions force row level security;
create policy care_plan_revisions_shared on care_plan_revisions to kortelijn_app
  using (exists (select 1 from care_plans p where p.id = care_plan_id))
  with check (exists (select 1 from care_plans p where p.id = care_plan_id));
alter table care_plan_changes enable row level security;
alter table care_plan_changes force row level security;
create policy care_plan_changes_shared on care_plan_changes to kortelijn_app
  using (exists (select 1 from care_plans p where p.id = care_plan_id))
  with check (exists (select 1 from care_plans p where p.id = care_plan_id));

grant select, insert, update on client_links, care_plans, care_team_members, care_plan_goals, care_plan_actions to kortelijn_app;
grant select, insert on care_plan_evaluations, care_plan_evaluation_goals, care_plan_revisions, care_plan_changes to kortelijn_app;
grant usage on sequence care_plan_changes_id_seq to kortelijn_app;
