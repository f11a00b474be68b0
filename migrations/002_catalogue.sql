-- Aanbod: the network's shared catalogue of offers (Open Referral HSDS 3.0 compatible).

-- Taxonomies: 'theme' (problem areas), 'category' (offer types of the module taxonomy).
create table taxonomy_terms (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,60}$'),
  taxonomy text not null check (taxonomy in ('theme', 'category')),
  label_nl text not null,
  label_en text not null,
  parent_id text references taxonomy_terms(id),
  sort_order integer not null default 0
);
create index taxonomy_terms_taxonomy_idx on taxonomy_terms(taxonomy, sort_order);

create table offers (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations(id),
  network_id uuid not null references networks(id),
  name text not null,
  description text not null default '',
  category_id text references taxonomy_terms(id),
  level text not null check (level in ('zero-line', 'basic', 'specialised', 'crisis')),
  themes text[] not null default '{}',
  target_groups text[] not null default '{}',
  min_age integer check (min_age between 0 and 120),
  max_age integer check (max_age between 0 and 120),
  modalities text[] not null default '{}',
  languages text[] not null default '{nl}',
  municipalities text[] not null default '{}',
  site_ids uuid[] not null default '{}',
  opening_hours text,
  cost text not null default 'free' check (cost in ('free', 'contribution', 'fee')),
  cost_note text,
  self_referral boolean not null default true,
  referral_required boolean not null default false,
  who_may_refer text,
  consent_required boolean not null default true,
  contact_phone text,
  contact_email text,
  contact_url text,
  capacity text not null default 'open' check (capacity in ('open', 'waitlist', 'full', 'assessment')),
  wait_days integer check (wait_days between 0 and 3650),
  capacity_updated_at timestamptz not null default now(),
  is_public boolean not null default true,
  active boolean not null default true,
  -- set by the application on every write: name (A), themes and category labels (B), description (C), accents folded
  search_vector tsvector not null default ''::tsvector,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (min_age is null or max_age is null or min_age <= max_age)
);
create index offers_network_idx on offers(network_id) where active;
create index offers_organization_idx on offers(organization_id);
create index offers_search_idx on offers using gin (search_vector);
create index offers_themes_idx on offers using gin (themes);
create index offers_municipalities_idx on offers using gin (municipalities);
create index offers_updated_idx on offers(updated_at);

-- The catalogue is shared and holds no personal data: reading is filtered by network or by "public and active"
-- in the data layer only. A read policy would keep PostgreSQL from using the full-text and array indexes
-- (@@, && and @> are not leakproof, so they may not run before a policy), turning every search into a full scan.
-- Writing stays locked to the offering organisation (or the network admin, for imports).
alter table offers enable row level security;
alter table offers force row level security;
create policy offers_read on offers for select using (true);
-- the network admin writes on behalf of the network (HSDS import)
create or replace function kl_network_admin_of(network uuid) returns boolean language sql stable
  as $$ select kl_current_org() is null and network = kl_current_network() and current_setting('app.role', true) = 'network-admin' $$;
grant execute on function kl_network_admin_of(uuid) to kortelijn_app;
create policy offers_insert on offers for insert with check (organization_id = kl_current_org() or kl_network_admin_of(network_id));
create policy offers_update on offers for update using (organization_id = kl_current_org() or kl_network_admin_of(network_id))
  with check (organization_id = kl_current_org() or kl_network_admin_of(network_id));

grant select on taxonomy_terms to kortelijn_app;
grant select, insert, update on offers to kortelijn_app;

-- Offer types of the Flemish welfare and mental-health modules, and the themes people come with.
insert into taxonomy_terms (id, taxonomy, label_nl, label_en, sort_order) values
  ('intake', 'category', 'Onthaal', 'Intake and first support', 10),
  ('psychosocial-support', 'category', 'Psychosociale begeleiding', 'Psychosocial support', 20),
  ('relationship-family-support', 'category', 'Relatie- en gezinsbegeleiding', 'Relationship and family support', 30),
  ('family-violence-ambulatory', 'category', 'Begeleiding intrafamiliaal geweld (ambulant)', 'Family violence support (ambulatory)', 40),
  ('family-violence-residential', 'category', 'Begeleiding intrafamiliaal geweld (residentieel)', 'Family violence support (residential)', 50),
  ('victim-support-grief', 'category', 'Slachtofferhulp en rouw', 'Victim support and bereavement', 60),
  ('youth-jac', 'category', 'JAC jongerenaanbod', 'Youth offer (JAC)', 70),
  ('short-psychological-treatment', 'category', 'Kortdurende psychologische behandeling (eerstelijnspsycholoog)', 'Short psychological treatment (primary-care psychologist)', 80),
  ('specialised-ambulatory-mental-health', 'category', 'Gespecialiseerde ambulante GGZ', 'Specialised ambulatory mental health care', 90),
  ('crisis-intervention', 'category', 'Crisisinterventie / mobiel crisisteam', 'Crisis intervention / mobile crisis team', 100),
  ('self-help-peer-support', 'category', 'Zelfhulp en lotgenotencontact', 'Self-help and peer support', 110),
  ('buddy', 'category', 'Buddywerking', 'Buddy programme', 120),
  ('group-offer', 'category', 'Groepsaanbod', 'Group offer', 130),
  ('helpline', 'category', 'Hulplijn', 'Helpline', 140),
  ('loneliness', 'theme', 'Eenzaamheid', 'Loneliness', 10),
  ('grief-loss', 'theme', 'Rouw en verlies', 'Grief and loss', 20),
  ('relationship-family', 'theme', 'Relatie en gezin', 'Relationship and family', 30),
  ('family-violence', 'theme', 'Intrafamiliaal geweld', 'Family violence', 40),
  ('victimisation', 'theme', 'Slachtofferschap', 'Victimisation', 50),
  ('anxiety', 'theme', 'Angst', 'Anxiety', 60),
  ('depression', 'theme', 'Depressie', 'Depression', 70),
  ('stress-burnout', 'theme', 'Stress en burn-out', 'Stress and burnout', 80),
  ('addiction', 'theme', 'Verslaving', 'Addiction', 90),
  ('suicidal-thoughts', 'theme', 'Suïcidale gedachten', 'Suicidal thoughts', 100),
  ('trauma', 'theme', 'Trauma', 'Trauma', 110),
  ('parenting', 'theme', 'Opvoeding', 'Parenting', 120),
  ('financial-problems', 'theme', 'Financiële problemen', 'Financial problems', 130),
  ('housing', 'theme', 'Huisvesting', 'Housing', 140),
  ('divorce', 'theme', 'Scheiding', 'Divorce and separation', 150),
  ('psychological-complaints', 'theme', 'Psychische klachten', 'Psychological complaints', 160),
  ('social-isolation-elderly', 'theme', 'Ouderen en isolement', 'Older people and isolation', 170),
  ('youth-problems', 'theme', 'Jongeren in moeilijkheden', 'Young people in difficulty', 180);

alter table offers add column internal_note text;

-- Keeps the search document current whoever writes (API, HSDS import): accents folded, Dutch stemming.
create or replace function kl_offer_search_vector() returns trigger language plpgsql as $$
declare labels text;
begin
  select string_agg(label_nl || ' ' || label_en, ' ') into labels
    from taxonomy_terms where id = any(new.themes) or id = new.category_id;
  new.search_vector :=
    setweight(to_tsvector('dutch', kl_fold(new.name)), 'A') ||
    setweight(to_tsvector('dutch', kl_fold(coalesce(labels, ''))), 'B') ||
    setweight(to_tsvector('dutch', kl_fold(new.description)), 'C');
  return new;
end $$;
create trigger offers_search_vector before insert or update of name, description, themes, category_id on offers
  for each row execute function kl_offer_search_vector();
