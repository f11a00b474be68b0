-- Doorverwijzing: consent, closed-loop referrals with a timeline, bridging support, notifications.

create table consents (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  network_id uuid not null references networks(id),
  client_id uuid not null references clients(id),
  purpose text not null check (purpose in ('referral', 'care-plan')),
  recipient_organization_id uuid not null references organizations(id),
  recipient_offer_id uuid references offers(id),
  categories text[] not null check (categories <@ array['contact', 'help-request-summary', 'screening-results', 'care-plan']::text[] and cardinality(categories) > 0),
  method text not null check (method in ('verbal', 'written', 'digital', 'exception')),
  exception_reason text,
  recorded_by uuid references users(id),
  recorded_by_token uuid references api_tokens(id),
  recorded_at timestamptz not null default now(),
  valid_until date,
  withdrawn_at timestamptz,
  withdrawn_by uuid references users(id),
  withdrawal_note text,
  reviewed_by uuid references users(id),
  reviewed_at timestamptz,
  -- acute danger and consent impossible: the exception needs a reason and a team lead's review
  check ((method = 'exception') = (exception_reason is not null))
);
create index consents_client_idx on consents(client_id);
create index consents_review_idx on consents(organization_id) where method = 'exception' and reviewed_at is null;

create table referrals (
  id uuid primary key default gen_random_uuid(),
  network_id uuid not null references networks(id),
  sender_organization_id uuid not null references organizations(id),
  receiver_organization_id uuid not null references organizations(id),
  offer_id uuid not null references offers(id),
  help_request_id uuid references help_requests(id),
  client_id uuid not null references clients(id),
  consent_id uuid not null references consents(id),
  priority text not null check (priority in ('routine', 'urgent', 'acute')),
  message text,
  snapshot jsonb not null,
  status text not null default 'requested' check (status in ('requested', 'received', 'accepted', 'declined', 'waitlisted', 'scheduled', 'first-contact', 'missed', 'completed', 'cancelled')),
  status_reason text,
  expected_date date,
  scheduled_at timestamptz,
  answer_due_at timestamptz not null,
  answered_at timestamptz,
  accepted_at timestamptz,
  first_contact_due_at timestamptz,
  first_contact_at timestamptz,
  receiver_client_id uuid references clients(id),
  bridging_requested boolean not null default false,
  -- the inbox order (acute, urgent, routine) as a column, so an index can return it
  priority_rank smallint generated always as (case priority when 'acute' then 0 when 'urgent' then 1 else 2 end) stored,
  version integer not null default 1,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- the inbox: open incoming referrals of an organisation, most urgent first
create index referrals_incoming_idx on referrals(receiver_organization_id, status, answer_due_at);
create index referrals_outgoing_idx on referrals(sender_organization_id, status, created_at desc);
-- open referrals in inbox order: the first page is read straight from the index, however large the backlog
create index referrals_incoming_open_idx on referrals(receiver_organization_id, priority_rank, answer_due_at, id)
  where status in ('requested', 'received', 'accepted', 'waitlisted', 'scheduled', 'missed');
create index referrals_outgoing_open_idx on referrals(sender_organization_id, priority_rank, answer_due_at, id)
  where status in ('requested', 'received', 'accepted', 'waitlisted', 'scheduled', 'missed');
create index referrals_network_due_idx on referrals(network_id, answer_due_at) where answered_at is null;
create index referrals_consent_idx on referrals(consent_id);

create table referral_events (
  id bigint generated always as identity primary key,
  referral_id uuid not null references referrals(id),
  at timestamptz not null default now(),
  actor_user_id uuid references users(id),
  actor_token_id uuid references api_tokens(id),
  actor_organization_id uuid references organizations(id),
  action text not null,
  from_status text,
  to_status text,
  reason text,
  note text
);
create index referral_events_referral_idx on referral_events(referral_id, id);

create table bridging_support (
  id uuid primary key default gen_random_uuid(),
  referral_id uuid not null references referrals(id),
  offer_id uuid references offers(id),
  note text not null,
  arranged_by uuid references users(id),
  arranged_at timestamptz not null default now()
);
create index bridging_support_referral_idx on bridging_support(referral_id);

-- In-app notifications per organisation; e-mails wait in an outbox written in the same transaction.
create table notifications (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  referral_id uuid references referrals(id),
  kind text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_org_idx on notifications(organization_id, created_at desc);

create table email_outbox (
  id uuid primary key default gen_random_uuid(),
  to_address text not null,
  subject text not null,
  body text not null,
  created_at timestamptz not null default now(),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  sent_at timestamptz,
  last_error text
);
create index email_outbox_pending_idx on email_outbox(next_attempt_at) where sent_at is null;

alter table networks add column referral_targets jsonb not null default '{"acuteHours": 4, "urgentWorkingDays": 2, "routineWorkingDays": 5, "firstContactWorkingDays": 10}';

alter table consents enable row level security;
alter table consents force row level security;
create policy consents_own on consents using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());

-- a referral is seen by the two organisations it connects
alter table referrals enable row level security;
alter table referrals force row level security;
create policy referrals_parties on referrals
  using (sender_organization_id = kl_current_org() or receiver_organization_id = kl_current_org())
  with check (sender_organization_id = kl_current_org() or receiver_organization_id = kl_current_org());

alter table referral_events enable row level security;
alter table referral_events force row level security;
create policy referral_events_parties on referral_events
  using (exists (select 1 from referrals r where r.id = referral_id and (r.sender_organization_id = kl_current_org() or r.receiver_organization_id = kl_current_org())))
  with check (exists (select 1 from referrals r where r.id = referral_id and (r.sender_organization_id = kl_current_org() or r.receiver_organization_id = kl_current_org())));

alter table bridging_support enable row level security;
alter table bridging_support force row level security;
create policy bridging_support_parties on bridging_support
  using (exists (select 1 from referrals r where r.id = referral_id and (r.sender_organization_id = kl_current_org() or r.receiver_organization_id = kl_current_org())))
  with check (exists (select 1 from referrals r where r.id = referral_id and (r.sender_organization_id = kl_current_org() or r.receiver_organization_id = kl_current_org())));

alter table notifications enable row level security;
alter table notifications force row level security;
-- read and change one's own; create them for the other party of a referral
create policy notifications_own on notifications for select using (organization_id = kl_current_org());
create policy notifications_update_own on notifications for update using (organization_id = kl_current_org()) with check (organization_id = kl_current_org());
create policy notifications_insert on notifications for insert with check (true);

grant select, insert, update on consents, referrals, bridging_support, notifications to kortelijn_app;
grant select, insert on referral_events to kortelijn_app;
grant usage on sequence referral_events_id_seq to kortelijn_app;
grant select, insert, update on email_outbox to kortelijn_app;

-- The narrow functions below run as kortelijn_definer: no login, no BYPASSRLS, and read policies on consents
-- and referrals that name it alone (FORCE ROW LEVEL SECURITY binds even a table owner, so owning them as the
-- migration user would not work unless that user were a superuser).
do $$ begin
  -- roles belong to the whole server: two databases migrating at once can both find it missing
  if not exists (select 1 from pg_roles where rolname = 'kortelijn_definer') then
    begin
      create role kortelijn_definer nologin nosuperuser nobypassrls;
    exception when duplicate_object or unique_violation then null;
    end;
  end if;
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant kortelijn_definer to %I', current_user);
  end if;
end $$;
-- owning a function needs CREATE on its schema; the role cannot log in, so it cannot use it otherwise
grant usage, create on schema public to kortelijn_definer;
grant select on consents, referrals to kortelijn_definer;
create policy consents_definer on consents for select to kortelijn_definer using (true);
create policy referrals_definer on referrals for select to kortelijn_definer using (true);

-- The network's coordinators and admins see the flow (which organisations, how late), never a person: they get
-- these columns only, through a function, and no read policy on the referrals themselves.
create or replace function kl_network_overdue_referrals()
  returns table (id uuid, status text, priority text, answer_due_at timestamptz, first_contact_due_at timestamptz,
                 sender_organization_id uuid, receiver_organization_id uuid)
  language sql stable security definer set search_path = public
  as $$
    select r.id, r.status, r.priority, r.answer_due_at, r.first_contact_due_at, r.sender_organization_id, r.receiver_organization_id
    from referrals r
    where kl_current_org() is null and current_setting('app.role', true) in ('network-coordinator', 'network-admin')
      and r.network_id = kl_current_network()
      and ((r.status in ('requested', 'received') and r.answer_due_at < now())
        or (r.status in ('accepted', 'scheduled', 'missed') and r.first_contact_due_at < now()))
    order by case r.priority when 'acute' then 0 when 'urgent' then 1 else 2 end, r.answer_due_at
    limit 500
  $$;
alter function kl_network_overdue_referrals() owner to kortelijn_definer;
revoke all on function kl_network_overdue_referrals() from public;
grant execute on function kl_network_overdue_referrals() to kortelijn_app;

-- The receiver may not read the sender's consent rows, yet must know at once when sharing stops.
-- This answers only "is the consent of a referral I am party to still active".
create or replace function kl_referral_consent_active(consent uuid) returns boolean
  language sql stable security definer set search_path = public
  as $$
    select exists (
      select 1 from consents c
      where c.id = consent and c.withdrawn_at is null and (c.valid_until is null or c.valid_until >= current_date)
        and exists (select 1 from referrals r where r.consent_id = c.id
                    and (r.sender_organization_id = kl_current_org() or r.receiver_organization_id = kl_current_org())))
  $$;
alter function kl_referral_consent_active(uuid) owner to kortelijn_definer;
revoke all on function kl_referral_consent_active(uuid) from public;
grant execute on function kl_referral_consent_active(uuid) to kortelijn_app;
