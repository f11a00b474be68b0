-- Search as people type (issue 10, part 4): typo tolerance, compounds, synonyms the network can extend.
-- Everything stays inside PostgreSQL (pg_trgm and unaccent, enabled in 001) so PGlite and a server behave alike.

-- An offer's words, accents folded and lower case, punctuation gone: what the trigram index and the
-- "Bedoelde je …?" suggestions read. Precomputed by the same trigger as the search vector, so a search never
-- folds text at query time.
create or replace function kl_search_words(input text) returns text
  language sql immutable parallel safe
  as $$ select btrim(regexp_replace(kl_fold(input), '[^a-z0-9]+', ' ', 'g')) $$;

alter table offers add column search_text text not null default '';

create or replace function kl_offer_search_vector() returns trigger language plpgsql as $$
declare labels text;
begin
  select string_agg(label_nl || ' ' || label_en, ' ') into labels
    from taxonomy_terms where id = any(new.themes) or id = new.category_id;
  new.search_vector :=
    setweight(to_tsvector('dutch', kl_fold(new.name)), 'A') ||
    setweight(to_tsvector('dutch', kl_fold(coalesce(labels, ''))), 'B') ||
    setweight(to_tsvector('dutch', kl_fold(new.description)), 'C');
  new.search_text := kl_search_words(new.name || ' ' || coalesce(labels, '') || ' ' || coalesce(new.description, ''));
  return new;
end $$;

-- Fill the new column for the offers there are (the trigger fires on an update of name). Forced row-level
-- security would hide every row from the migration's role (see 013): the backfill runs without the force, which
-- comes back in this same transaction.
alter table offers no force row level security;
update offers set name = name;
alter table offers force row level security;

-- typo tolerance: `search_text %> word` (word similarity) is answered from this index
create index offers_search_text_trgm_idx on offers using gin (search_text gin_trgm_ops);

-- Synonym groups: a query word that is (or starts with) one term of a group also searches for the others
-- (offers.synonyms.ts builds the tsquery; the groups are cached per process, read again after 30 s or a change).
-- network_id null is the built-in Dutch list below, read by everyone (the public catalogue too); a network admin
-- adds and removes the network's own groups. Terms are single words, folded (lower case, no accents).
create table search_synonyms (
  id uuid primary key default gen_random_uuid(),
  network_id uuid references networks(id),
  terms text[] not null check (cardinality(terms) between 2 and 20),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index search_synonyms_network_idx on search_synonyms(network_id);



-- The built-in Dutch list (folded). Word forms are listed where Dutch stemming does not join them; no short
-- stem that would reach other words (oudere:* would find ouders).
insert into search_synonyms (network_id, terms) values
  (null, array['zelfmoord', 'zelfdoding', 'suicide', 'suicidaal', 'suicidale', 'levenseinde']),
  (null, array['rouw', 'verlies', 'rouwverwerking']),
  (null, array['eenzaam', 'eenzaamheid', 'alleen', 'isolement', 'geisoleerd']),
  (null, array['overlijden', 'overleden', 'dood', 'sterfgeval', 'gestorven']),
  (null, array['uitvaart', 'begrafenis', 'crematie']),
  (null, array['ouderen', 'bejaarden', 'bejaarde', 'senioren', 'senior']),
  (null, array['jongeren', 'tieners', 'tiener', 'jeugd', 'adolescenten']),
  (null, array['scheiding', 'echtscheiding', 'scheiden']),
  (null, array['intrafamiliaal', 'huiselijk', 'partnergeweld', 'familiaal']),
  (null, array['psychiatrie', 'psychiater', 'psychiatrisch']),
  (null, array['slaapproblemen', 'slapeloosheid', 'slapen', 'insomnia']),
  (null, array['verslaving', 'verslaafd', 'afhankelijkheid', 'middelengebruik']),
  (null, array['huisvesting', 'woning', 'dakloos', 'thuisloos', 'woonbegeleiding']),
  (null, array['schulden', 'schuld', 'geldproblemen', 'geldzorgen', 'financiele']),
  (null, array['zorgpersoneel', 'verpleegkundige', 'verpleegkundigen', 'zorgverleners']),
  (null, array['behandeling', 'therapie', 'therapeut']),
  (null, array['ontmoeting', 'ontmoetingscentrum', 'praatcafe', 'ontmoetingsplek']),
  (null, array['telefonisch', 'telefoon', 'bellen', 'telefonische']),
  (null, array['angst', 'angstig', 'paniek', 'angstklachten', 'fobie']),
  (null, array['depressie', 'depressief', 'somber', 'somberheid', 'neerslachtig']),
  (null, array['burnout', 'opgebrand', 'overspannen']),
  (null, array['mantelzorger', 'mantelzorgers', 'mantelzorg']),
  (null, array['opvoeding', 'opvoedingsondersteuning', 'opvoeden', 'ouderschap']),
  (null, array['chat', 'chatten']);

-- row security after the built-in groups are in: under FORCE the owner (no superuser in production) could not
-- insert them, as no policy lets anyone write a group without a network
alter table search_synonyms enable row level security;
alter table search_synonyms force row level security;
create policy search_synonyms_read on search_synonyms for select
  using (network_id is null or network_id = kl_current_network());
create policy search_synonyms_insert on search_synonyms for insert
  with check (network_id is not null and kl_network_admin_of(network_id));
create policy search_synonyms_delete on search_synonyms for delete
  using (network_id is not null and kl_network_admin_of(network_id));
grant select, insert, delete on search_synonyms to kortelijn_app;
