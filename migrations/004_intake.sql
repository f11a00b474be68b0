-- Onthaal: help requests, screenings with versioned instruments, safety signals, matching decisions.

create table instrument_versions (
  instrument_id text not null,
  version text not null,
  definition jsonb not null,
  created_at timestamptz not null default now(),
  primary key (instrument_id, version)
);

create table help_requests (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  network_id uuid not null references networks(id),
  client_id uuid references clients(id),
  channel text not null default 'self' check (channel in ('self', 'gp', 'helpline', 'facility', 'school', 'police', 'other')),
  received_at timestamptz not null default now(),
  story text not null,
  context text,
  life_domains text[] not null default '{}',
  themes text[] not null default '{}',
  urgency text not null check (urgency in ('routine', 'urgent', 'acute')),
  clarification text,
  -- what matching needs to know of an anonymous person
  age integer check (age between 0 and 120),
  municipality text references municipalities(nis_code),
  language text,
  preferred_modality text,
  indication_level text check (indication_level in ('zero-line', 'basic', 'specialised', 'crisis')),
  indication_reasons text,
  status text not null default 'open' check (status in ('open', 'indicated', 'referred', 'closed')),
  close_reason text,
  chosen_offer_id uuid references offers(id),
  choice_reason text,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index help_requests_org_idx on help_requests(organization_id, created_at desc);
create index help_requests_client_idx on help_requests(client_id);

create table screenings (
  id uuid primary key default gen_random_uuid(),
  help_request_id uuid not null references help_requests(id),
  organization_id uuid not null references organizations(id),
  client_id uuid references clients(id),
  instrument_id text not null,
  instrument_version text not null,
  answers jsonb not null,
  score integer,
  band text,
  subscales jsonb not null default '[]',
  flags text[] not null default '{}',
  missing text[] not null default '{}',
  imputed boolean not null default false,
  administered_by uuid references users(id),
  administered_at timestamptz not null default now(),
  foreign key (instrument_id, instrument_version) references instrument_versions(instrument_id, version)
);
create index screenings_help_request_idx on screenings(help_request_id);
create index screenings_client_idx on screenings(client_id, instrument_id, administered_at);

create table safety_signals (
  id uuid primary key default gen_random_uuid(),
  help_request_id uuid not null references help_requests(id),
  organization_id uuid not null references organizations(id),
  source text not null check (source in ('screening', 'manual')),
  screening_id uuid references screenings(id),
  kind text not null check (kind in ('suicide-risk', 'suicide-high-risk', 'family-violence', 'unsafe-home', 'other')),
  level text not null check (level in ('moderate', 'high')),
  note text,
  raised_by uuid references users(id),
  raised_at timestamptz not null default now(),
  action_taken text,
  action_recorded_by uuid references users(id),
  action_recorded_at timestamptz,
  acknowledged_by uuid references users(id),
  acknowledged_at timestamptz
);
create index safety_signals_open_idx on safety_signals(organization_id) where acknowledged_at is null;
create index safety_signals_help_request_idx on safety_signals(help_request_id);

-- The network's matching thresholds (stepped care); defaults from the brief.
alter table networks add column intake_settings jsonb not null default '{"phq9Specialised": 20, "k10Specialised": 30, "gad7Specialised": 15}';

do $$
declare t text;
begin
  foreach t in array array['help_requests', 'screenings', 'safety_signals'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (organization_id = kl_current_org()) with check (organization_id = kl_current_org())', t || '_own_organization', t);
  end loop;
end $$;

grant select on instrument_versions to kortelijn_app;
grant select, insert, update on help_requests, screenings, safety_signals to kortelijn_app;

alter table help_requests add column top_suggestion_offer_id uuid references offers(id);
alter table help_requests add column chosen_at timestamptz;
