-- Group work (groepswerking) and support to facilities (ondersteuning van voorzieningen), issue 12 parts 3 and 4.
-- Everything here is the supporting organisation's own: forced RLS on the organisation. A group published in the
-- catalogue is an ordinary offer (offers.id), which is where the network sees it.

-- The facilities an organisation supports: a network organisation (linked) or a plain record.
create table facilities (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  network_id uuid not null references networks(id),
  name text not null,
  kind text not null check (kind in ('care-home', 'homeless-service', 'disability-facility', 'other')),
  linked_organization_id uuid references organizations(id),
  municipality_nis text references municipalities(nis_code),
  contact_name text,
  contact_phone text,
  note text,
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index facilities_organization_idx on facilities(organization_id, name);

-- A case: a question of the facility or a monitoring signal (e.g. infections rising), until it closes with a summary.
create table facility_cases (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  facility_id uuid not null references facilities(id),
  origin text not null check (origin in ('question', 'monitoring-signal')),
  reason text not null,
  opened_on date not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  closed_on date,
  summary text,
  opened_by uuid references users(id),
  created_at timestamptz not null default now(),
  check ((status = 'closed') = (closed_on is not null))
);
create index facility_cases_organization_idx on facility_cases(organization_id, status, opened_on desc);
create index facility_cases_facility_idx on facility_cases(facility_id);

-- Its contacts: what the funder counts (contacted, specialised advice, on site) per date.
create table facility_contacts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  case_id uuid not null references facility_cases(id),
  facility_id uuid not null references facilities(id),
  kind text not null check (kind in ('phone-advice', 'specialised-advice', 'on-site-visit', 'follow-up')),
  contact_date date not null,
  user_id uuid not null references users(id),
  note text,
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index facility_contacts_case_idx on facility_contacts(case_id, contact_date);
-- the figures per period
create index facility_contacts_period_idx on facility_contacts(organization_id, contact_date);

create table groups (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  network_id uuid not null references networks(id),
  title text not null,
  description text,
  audience text not null check (audience in ('school', 'facility', 'collective', 'open', 'peer')),
  module text check (module in ('victim-support-bereavement', 'psychosocial-support', 'relationship-family', 'family-violence', 'youth', 'other')),
  theme text references taxonomy_terms(id),
  facilitator_ids uuid[] not null default '{}',
  location text,
  municipality_nis text references municipalities(nis_code),
  online boolean not null default false,
  capacity integer check (capacity between 1 and 10000),
  offer_id uuid references offers(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index groups_organization_idx on groups(organization_id, created_at desc);

create table group_sessions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  group_id uuid not null references groups(id),
  starts_at timestamptz not null,
  minutes integer not null check (minutes between 1 and 1440),
  status text not null default 'planned' check (status in ('planned', 'cancelled')),
  cancel_reason text,
  headcount integer check (headcount between 0 and 10000),
  age_band text check (age_band in ('0-11', '12-17', '18-25', '26-64', '65+', 'mixed')),
  attendance_recorded_at timestamptz,
  created_at timestamptz not null default now()
);
create index group_sessions_group_idx on group_sessions(group_id, starts_at);
create index group_sessions_period_idx on group_sessions(organization_id, starts_at);

-- Named participants: registered clients who consented; over capacity they wait (and never count as attending).
create table group_registrations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  group_id uuid not null references groups(id),
  client_id uuid not null references clients(id),
  status text not null check (status in ('registered', 'waiting')),
  consent_at timestamptz not null,
  registered_at timestamptz not null default now(),
  unique (group_id, client_id)
);
create index group_registrations_group_idx on group_registrations(group_id, status, registered_at);

create table group_attendance (
  session_id uuid not null references group_sessions(id),
  client_id uuid not null references clients(id),
  organization_id uuid not null references organizations(id),
  primary key (session_id, client_id)
);

alter table facilities enable row level security;
alter table facilities force row level security;
create policy facilities_own on facilities
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
alter table facility_cases enable row level security;
alter table facility_cases force row level security;
create policy facility_cases_own on facility_cases
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
alter table facility_contacts enable row level security;
alter table facility_contacts force row level security;
create policy facility_contacts_own on facility_contacts
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
alter table groups enable row level security;
alter table groups force row level security;
create policy groups_own on groups
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
alter table group_sessions enable row level security;
alter table group_sessions force row level security;
create policy group_sessions_own on group_sessions
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
alter table group_registrations enable row level security;
alter table group_registrations force row level security;
create policy group_registrations_own on group_registrations
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
alter table group_attendance enable row level security;
alter table group_attendance force row level security;
create policy group_attendance_own on group_attendance
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());

grant select, insert, update on facilities, facility_cases, groups, group_sessions to kortelijn_app;
grant select, insert on facility_contacts to kortelijn_app;
-- a withdrawal removes the registration; attendance is replaced as a whole per session
grant select, insert, update, delete on group_registrations to kortelijn_app;
grant select, insert, delete on group_attendance to kortelijn_app;
