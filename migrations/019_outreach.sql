-- Proactive outreach (proactief aanbod): signals passed on by care facilities, funeral directors, hospitals and
-- others about a person who agreed to be contacted, routed per kind and municipality to an organisation of the
-- network, worked in that organisation's queue (attempts, closing), and erased after the network's retention.
-- Also: notifications get a general subject (the first notice that is not about a referral).

-- The network's outreach settings: response target, failed attempts before the unreachable proposal, retention.
alter table networks add column outreach_settings jsonb not null default '{"responseWorkingDays": 2, "failedAttempts": 3, "retentionMonths": 12}';

-- Routing: a kind of signal in a municipality goes to an organisation; a row without municipality is the fallback.
create table outreach_routes (
  id uuid primary key default gen_random_uuid(),
  network_id uuid not null references networks(id),
  kind text not null check (kind in ('bereaved', 'isolated', 'caregiver-strain', 'other')),
  nis_code text references municipalities(nis_code),
  organization_id uuid not null references organizations(id),
  created_at timestamptz not null default now()
);
create unique index outreach_routes_municipality_idx on outreach_routes(network_id, kind, nis_code) where nis_code is not null;
create unique index outreach_routes_fallback_idx on outreach_routes(network_id, kind) where nis_code is null;

create table outreach_signals (
  id uuid primary key default gen_random_uuid(),
  network_id uuid not null references networks(id),
  sender_organization_id uuid not null references organizations(id),
  sender_user_id uuid references users(id),
  receiver_organization_id uuid not null references organizations(id),
  kind text not null check (kind in ('bereaved', 'isolated', 'caregiver-strain', 'other')),
  -- a collective grief moment (a school, a care home's ward) is signalled without a person
  collective boolean not null default false,
  nis_code text references municipalities(nis_code),
  -- the person's data: erased (set to null, erased_at set) after the network's retention once the signal is closed
  contact_name text,
  phone text,
  email text,
  preferred_language text,
  preferred_moment text,
  relation text,
  date_of_death date,
  note text,
  agreement_method text not null check (agreement_method in ('spoken', 'written')),
  agreement_at date not null,
  status text not null default 'new' check (status in ('new', 'in-progress', 'closed')),
  due_at timestamptz not null,
  first_attempt_at timestamptz,
  -- the first attempt in which the person was reached (outcome reached or refused): a proactive contact
  reached_at timestamptz,
  outcome text check (outcome in ('support-accepted', 'declined', 'information-given', 'unreachable')),
  close_note text,
  closed_at timestamptz,
  closed_by uuid references users(id),
  client_id uuid references clients(id),
  trajectory_id uuid references trajectories(id),
  erased_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'closed') = (outcome is not null and closed_at is not null))
);
-- the queue (open first, newest on top), the sender's list, the counts per period, the retention sweep
create index outreach_signals_receiver_idx on outreach_signals(receiver_organization_id, status, created_at desc);
create index outreach_signals_sender_idx on outreach_signals(sender_organization_id, created_at desc);
create index outreach_signals_reached_idx on outreach_signals(receiver_organization_id, reached_at) where reached_at is not null;
create index outreach_signals_retention_idx on outreach_signals(closed_at) where erased_at is null and closed_at is not null;

create table outreach_attempts (
  id uuid primary key default gen_random_uuid(),
  signal_id uuid not null references outreach_signals(id),
  organization_id uuid not null references organizations(id),
  at timestamptz not null,
  channel text not null check (channel in ('phone', 'sms', 'email', 'letter', 'home-visit')),
  outcome text not null check (outcome in ('reached', 'no-answer', 'voicemail', 'wrong-number', 'refused')),
  note text,
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index outreach_attempts_signal_idx on outreach_attempts(signal_id, at);

alter table outreach_routes enable row level security;
alter table outreach_routes force row level security;
create policy outreach_routes_network on outreach_routes
  using (network_id = kl_current_network()) with check (network_id = kl_current_network());

-- a signal is seen by its sender and its receiver (the sender's answers carry its state only: the service's
-- response schema); only the sender creates it, only the receiver changes it
alter table outreach_signals enable row level security;
alter table outreach_signals force row level security;
create policy outreach_signals_parties on outreach_signals for select
  using (sender_organization_id = kl_current_org() or receiver_organization_id = kl_current_org());
create policy outreach_signals_insert on outreach_signals for insert
  with check (sender_organization_id = kl_current_org() and network_id = kl_current_network());
create policy outreach_signals_update on outreach_signals for update
  using (receiver_organization_id = kl_current_org()) with check (receiver_organization_id = kl_current_org());

alter table outreach_attempts enable row level security;
alter table outreach_attempts force row level security;
create policy outreach_attempts_own on outreach_attempts
  using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());

grant select, insert, delete on outreach_routes to kortelijn_app;
grant select, insert, update on outreach_signals to kortelijn_app;
grant select, insert, update on outreach_attempts to kortelijn_app;

-- Notifications about more than referrals: a general subject (type and id); referral_id stays for the referral's
-- risk lookup, and the existing rows get their subject.
alter table notifications add column subject_type text;
alter table notifications add column subject_id uuid;
-- (the force is lifted meanwhile: the owner that runs migrations is no superuser in production)
alter table notifications no force row level security;
update notifications set subject_type = 'referral', subject_id = referral_id where referral_id is not null;
alter table notifications force row level security;
