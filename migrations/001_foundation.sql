-- Foundation: reference data, the network, identities, sessions, clients and the audit trail.
-- Runs as the schema owner. Requests run as kortelijn_app, which owns nothing and cannot bypass RLS.

create extension if not exists pg_trgm;
create extension if not exists unaccent;

do $$ begin
  -- roles belong to the whole server: two databases migrating at once can both find it missing
  if not exists (select 1 from pg_roles where rolname = 'kortelijn_app') then
    begin
      create role kortelijn_app nologin nosuperuser nobypassrls;
    exception when duplicate_object or unique_violation then null;
    end;
  end if;
  -- the owner switches to this role per transaction (SET ROLE needs membership unless superuser)
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant kortelijn_app to %I', current_user);
  end if;
end $$;

-- Accent-folding that PostgreSQL accepts in an index (unaccent() itself is only STABLE).
create or replace function kl_fold(input text) returns text
  language sql immutable parallel safe
  as $$ select lower(public.unaccent('public.unaccent'::regdictionary, coalesce(input, ''))) $$;

-- The organisation and network of the current transaction, set by the application per request.
create or replace function kl_current_org() returns uuid
  language sql stable
  as $$ select nullif(current_setting('app.org_id', true), '')::uuid $$;
create or replace function kl_current_network() returns uuid
  language sql stable
  as $$ select nullif(current_setting('app.network_id', true), '')::uuid $$;

create table municipalities (
  nis_code text primary key,
  name_nl text not null,
  name_fr text not null,
  province_nl text,
  region_nis text not null
);

create table networks (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  zone_name text not null,
  is_demo boolean not null default false,
  created_at timestamptz not null default now()
);

create table network_municipalities (
  network_id uuid not null references networks(id) on delete cascade,
  nis_code text not null references municipalities(nis_code),
  primary key (network_id, nis_code)
);

create table organizations (
  id uuid primary key default gen_random_uuid(),
  network_id uuid not null references networks(id),
  name text not null,
  kind text not null check (kind in ('caw','cgg','ocmw','dmw','helpline','care-facility','funeral-director','primary-care','zero-line','other')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index organizations_network_idx on organizations(network_id);

create table sites (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id) on delete cascade,
  name text not null,
  street text not null,
  postal_code text not null,
  nis_code text not null references municipalities(nis_code),
  created_at timestamptz not null default now()
);
create index sites_organization_idx on sites(organization_id);

create table teams (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id) on delete cascade,
  name text not null,
  created_at timestamptz not null default now()
);
create index teams_organization_idx on teams(organization_id);

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  display_name text not null,
  password_hash text not null,
  language text not null default 'nl' check (language in ('nl','en')),
  active boolean not null default true,
  must_change_password boolean not null default false,
  totp_secret text,
  totp_enabled boolean not null default false,
  totp_last_step bigint,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_email_idx on users(lower(email));

create table memberships (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users(id) on delete cascade,
  network_id uuid not null references networks(id),
  organization_id uuid references organizations(id),
  team_id uuid references teams(id),
  role text not null check (role in ('intake-worker','caregiver','coordinator','team-lead','org-admin','network-coordinator','analyst','network-admin')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  -- organisation roles belong to an organisation; network roles to the network alone
  check ((role in ('network-coordinator','analyst','network-admin')) = (organization_id is null))
);
create index memberships_user_idx on memberships(user_id);
create index memberships_organization_idx on memberships(organization_id);
create unique index memberships_unique_idx on memberships(user_id, coalesce(organization_id, network_id), role);

-- A session carries its membership's organisation, network and role, so that authenticating a request is
-- one primary-key lookup. Whatever changes those (deactivation, a role ending, switching) updates or deletes it.
create table sessions (
  token_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  membership_id uuid not null references memberships(id) on delete cascade,
  organization_id uuid references organizations(id) on delete cascade,
  network_id uuid not null references networks(id),
  role text not null,
  must_change_password boolean not null default false,
  csrf_token text not null,
  pending_two_factor boolean not null default false,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions(user_id);
create index sessions_membership_idx on sessions(membership_id);
create index sessions_organization_idx on sessions(organization_id);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  name text not null,
  token_hash text not null unique,
  token_prefix text not null,
  permissions text[] not null,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_organization_idx on api_tokens(organization_id);

create table clients (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  network_id uuid not null references networks(id),
  identity_kind text not null check (identity_kind in ('named','pseudonym','anonymous')),
  given_name text,
  family_name text,
  pseudonym text,
  birth_date date,
  birth_year integer check (birth_year between 1900 and 2100),
  nis_code text references municipalities(nis_code),
  phone text,
  email text,
  preferred_language text,
  insz text check (insz ~ '^[0-9]{11}$'),
  search_name text generated always as (kl_fold(coalesce(given_name, '') || ' ' || coalesce(family_name, '') || ' ' || coalesce(pseudonym, ''))) stored,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index clients_org_name_trgm_idx on clients using gin (search_name gin_trgm_ops);
create index clients_org_idx on clients(organization_id, family_name, given_name);
create index clients_org_birth_idx on clients(organization_id, birth_date);
create index clients_org_insz_idx on clients(organization_id, insz) where insz is not null;

alter table clients enable row level security;
alter table clients force row level security;
create policy clients_own_organization on clients
  using (organization_id = kl_current_org())
  with check (organization_id = kl_current_org());

create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_user_id uuid,
  actor_token_id uuid,
  organization_id uuid,
  network_id uuid,
  role text,
  action text not null,
  entity_type text,
  entity_id text,
  outcome text not null check (outcome in ('success','denied','not-found','invalid','failed')),
  ip text,
  user_agent text,
  request_id text,
  details jsonb
);
create index audit_log_org_at_idx on audit_log(organization_id, at desc);
create index audit_log_entity_idx on audit_log(entity_type, entity_id, at desc);
create index audit_log_network_at_idx on audit_log(network_id, at desc) where organization_id is null;

create or replace function kl_audit_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function kl_audit_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function kl_audit_append_only();

alter table audit_log enable row level security;
alter table audit_log force row level security;
create policy audit_log_insert on audit_log for insert with check (true);
create policy audit_log_read_own on audit_log for select
  using (organization_id = kl_current_org()
         or (organization_id is null and kl_current_org() is null and network_id = kl_current_network()));

grant usage on schema public to kortelijn_app;
grant select on municipalities, networks, network_municipalities to kortelijn_app;
grant select, insert, update on organizations, sites, teams, users, memberships, api_tokens to kortelijn_app;
grant delete on sites, teams to kortelijn_app;
grant select, insert, update, delete on sessions to kortelijn_app;
grant select, insert, update on clients to kortelijn_app;
grant select, insert on audit_log to kortelijn_app;
grant insert, update on networks, network_municipalities to kortelijn_app;
grant execute on function kl_fold(text), kl_current_org(), kl_current_network() to kortelijn_app;
