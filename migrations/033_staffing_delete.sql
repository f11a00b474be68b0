-- A module can lose its staff from one quarter on (issue 13): the organisation admin removes its FTE for that quarter,
-- so the output has no norm row for it (PUT fte 0 keeps a row with a norm of 0, which says "staffed with nobody").
-- Only the organisation's own rows; the network's roles read staffing but never change it.
create policy report_staffing_delete on report_staffing for delete using (organization_id = kl_current_org());
grant delete on report_staffing to kortelijn_app;
