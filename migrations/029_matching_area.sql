-- Matching without a municipality (issue 14, part 4): the candidates are the offers serving a fallback area near the
-- organisation that registered the help request (`municipalities && area`, the GIN index offers_municipalities_idx)
-- or serving no area at all (`municipalities = '{}'`). This partial index is the second arm of that OR, so the
-- planner can combine the two in a BitmapOr instead of reading every active offer of the network; it is small
-- (only offers without a service area are in it).
create index offers_without_area_idx on offers (network_id) where active and municipalities = '{}';
