-- Matching's hard limits of place and theme in one index lookup (issue 14, part 4). A help request is matched with
-- the offers that serve its municipality (or one of its fallback area) AND share one of its themes. With a GIN index
-- per column PostgreSQL read both and ANDed the bitmaps: every offer on the request's themes (thousands in a
-- 20,000-offer catalogue) to keep the hundred that also serve the place, most of the candidate statement's time.
-- The reach of an offer is every (municipality, theme) pair it serves; the request asks for its own pairs, so one
-- GIN lookup returns just the offers within both limits. An offer without a service area reaches '*' on its themes:
-- a request without a municipality, matched in an area, asks for those pairs too (kl_offer_reach('{}', its themes));
-- one with a municipality does not (such offers never matched a named municipality).
-- NIS codes are digits and theme ids have no space, so a pair written as 'code theme' is unambiguous.
create function kl_offer_reach(municipalities text[], themes text[]) returns text[]
  language sql immutable parallel safe
  as $$ select array(select m || ' ' || t
                       from unnest(case when municipalities = '{}' then array['*'] else municipalities end) m
                      cross join unnest(themes) t) $$;
grant execute on function kl_offer_reach(text[], text[]) to kortelijn_app;

create index offers_reach_idx on offers using gin (kl_offer_reach(municipalities, themes)) where active;
