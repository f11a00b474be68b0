-- Trajectories (traject, FHIR EpisodeOfCare): one organisation's episode of care for one client, with its status
-- history and its contact log (FHIR Encounter) whose edits keep the earlier version. Everything here is the
-- organisation's own: forced RLS on the organisation, so a note never reaches another organisation.

create table trajectories (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  network_id uuid not null references networks(id),
  client_id uuid not null references clients(id),
  module text not null check (module in ('victim-support-bereavement', 'psychosocial-support', 'relationship-family', 'family-violence', 'youth', 'other')),
  offer_id uuid references offers(id),
  team_id uuid references teams(id),
  referral_id uuid references referrals(id),
  help_request_id uuid references help_requests(id),
  responsible_user_id uuid not null references users(id),
  start_date date not null,
  phase text not null default 'intake' check (phase in ('intake', 'support')),
  status text not null default 'planned' check (status in ('planned', 'active', 'on-hold', 'finished', 'cancelled')),
  end_date date,
  outcome text check (outcome in ('fully', 'partly', 'not')),
  close_reason text check (close_reason in ('completed', 'referred-on', 'stopped-by-person', 'unreachable', 'moved', 'deceased', 'other')),
  close_reason_text text,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- "my work": the active trajectories of one caregiver; the organisation's list by status
create index trajectories_responsible_idx on trajectories(organization_id, responsible_user_id, status);
create index trajectories_organization_idx on trajectories(organization_id, status, start_date desc);
create index trajectories_client_idx on trajectories(client_id);
-- one trajectory per accepted referral
create unique index trajectories_referral_idx on trajectories(referral_id) where referral_id is not null and status <> 'cancelled';

create table trajectory_events (
  id uuid primary key default gen_random_uuid(),
  trajectory_id uuid not null references trajectories(id),
  organization_id uuid not null references organizations(id),
  at timestamptz not null default now(),
  actor_user_id uuid references users(id),
  action text not null,
  from_status text,
  to_status text not null,
  phase text,
  reason text
);
create index trajectory_events_trajectory_idx on trajectory_events(trajectory_id, at);

create table trajectory_contacts (
  id uuid primary key default gen_random_uuid(),
  trajectory_id uuid not null references trajectories(id),
  organization_id uuid not null references organizations(id),
  at timestamptz not null,
  minutes integer not null check (minutes between 0 and 1440),
  kind text not null check (kind in ('on-site', 'home-visit', 'phone', 'video', 'chat', 'group-session', 'partner-consultation', 'case-conference', 'administration')),
  with_client boolean not null default true,
  support_persons text,
  other_organizations text,
  no_show boolean not null default false,
  note text,
  version integer not null default 1,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);
-- the contact log of a trajectory, newest first, and its last contact for "my work"
create index trajectory_contacts_trajectory_idx on trajectory_contacts(trajectory_id, at desc);

-- the earlier versions of a contact, kept on every edit (who wrote it, when)
create table trajectory_contact_versions (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references trajectory_contacts(id),
  organization_id uuid not null references organizations(id),
  version integer not null,
  at timestamptz not null,
  minutes integer not null,
  kind text not null,
  with_client boolean not null,
  support_persons text,
  other_organizations text,
  no_show boolean not null,
  note text,
  written_by uuid references users(id),
  written_at timestamptz not null,
  replaced_by uuid references users(id),
  replaced_at timestamptz not null default now()
);
create index trajectory_contact_versions_contact_idx on trajectory_contact_versions(contact_id, version);

alter table trajectories enable row level security;
alter table trajectories force row level security;
create policy trajectories_own on trajectories
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
alter table trajectory_events enable row level security;
alter table trajectory_events force row level security;
create policy trajectory_events_own on trajectory_events
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
alter table trajectory_contacts enable row level security;
alter table trajectory_contacts force row level security;
create policy trajectory_contacts_own on trajectory_contacts
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
alter table trajectory_contact_versions enable row level security;
alter table trajectory_contact_versions force row level security;
create policy trajectory_contact_versions_own on trajectory_contact_versions
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());

grant select, insert, update on trajectories, trajectory_contacts to kortelijn_app;
grant select, insert on trajectory_events, trajectory_contact_versions to kortelijn_app;
