-- Catalogue follow-up.

-- A site knows when it last changed, so that the HSDS export's modified_after and last_modified count a changed
-- address of the organisation (the nested organisation and the services at locations show it). Kept by a
-- trigger whoever writes; a writer that sets updated_at itself keeps its value.
alter table sites add column updated_at timestamptz not null default now();
create or replace function kl_sites_touch() returns trigger language plpgsql as $$
begin
  if new.updated_at is not distinct from old.updated_at then
    new.updated_at := now();
  end if;
  return new;
end $$;
create trigger sites_touch before update on sites for each row execute function kl_sites_touch();

-- The process that runs an import job says it is alive (on a PostgreSQL server, where several processes may
-- serve): a job left 'running' without a recent heartbeat was interrupted and is marked failed when looked at.
alter table catalogue_imports add column heartbeat_at timestamptz not null default now();
