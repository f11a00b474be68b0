-- Open Referral HSDS 3.0: import and export of the catalogue.

-- The original HSDS record of every imported entity, so that fields our model does not have (alternate_name,
-- accreditations, programs, funding, …) survive a round trip: the export merges our current fields over it.
create table hsds_records (
  network_id uuid not null references networks(id),
  entity_type text not null check (entity_type in ('organization', 'service', 'location', 'service_at_location', 'taxonomy', 'taxonomy_term')),
  id uuid not null,
  data jsonb not null,
  -- our own HSDS rendering of the entity right after the import: a field that still renders the same
  -- was not changed in Korte Lijn since, so the export gives the imported original of it
  generated jsonb,
  organization_id uuid,
  service_id uuid,
  location_id uuid,
  import_id uuid,
  imported_at timestamptz not null default now(),
  primary key (network_id, entity_type, id)
);
create index hsds_records_id_idx on hsds_records(entity_type, id);
create index hsds_records_service_idx on hsds_records(service_id) where service_id is not null;
create index hsds_records_location_idx on hsds_records(location_id) where location_id is not null;
create index hsds_records_organization_idx on hsds_records(organization_id) where organization_id is not null;

alter table hsds_records enable row level security;
alter table hsds_records force row level security;
-- the export is public; a record that belongs to a service is readable only while that service is public
create policy hsds_records_read on hsds_records for select using (
  network_id = kl_current_network()
  or service_id is null
  or exists (select 1 from offers o where o.id = hsds_records.service_id and o.is_public and o.active));
-- only the network admin imports, into their own network
create policy hsds_records_insert on hsds_records for insert with check (kl_network_admin_of(network_id));
create policy hsds_records_update on hsds_records for update using (kl_network_admin_of(network_id))
  with check (kl_network_admin_of(network_id));
grant select, insert, update on hsds_records to kortelijn_app;

-- Import runs: the progress of a long import and its outcome (counts or the error report).
create table catalogue_imports (
  id uuid primary key default gen_random_uuid(),
  network_id uuid not null references networks(id),
  created_by uuid references users(id),
  format text not null check (format in ('json', 'datapackage')),
  dry_run boolean not null,
  status text not null check (status in ('running', 'succeeded', 'failed')),
  total integer not null default 0,
  done integer not null default 0,
  result jsonb,
  errors jsonb,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index catalogue_imports_network_idx on catalogue_imports(network_id, created_at desc);

alter table catalogue_imports enable row level security;
alter table catalogue_imports force row level security;
create policy catalogue_imports_network on catalogue_imports
  using (network_id = kl_current_network() and kl_current_org() is null)
  with check (kl_network_admin_of(network_id));
grant select, insert, update on catalogue_imports to kortelijn_app;
