-- Reports at five years of history (issue 13 part 7).
--
-- The definer functions of the reports are planned for any period (their bounds are parameters), so PostgreSQL
-- estimates their cost from the size of the whole table. With years of history that estimate passed
-- jit_above_cost and every call compiled its plan with LLVM: about 120 ms per call for a query that runs in 15 ms,
-- growing with the history behind the period rather than with the period. These are short, index-bound queries:
-- JIT never pays for itself here.
alter function kl_report_flow_facts(date, date, text) set jit = off;
alter function kl_report_flow_totals(date, date) set jit = off;
alter function kl_report_trajectory_counts(uuid, date, date) set jit = off;
alter function kl_report_other_figures(uuid, date, date) set jit = off;

-- First contacts in a period were found by reading every referral of the network (no index on the date).
create index referrals_network_first_contact_idx on referrals(network_id, first_contact_at)
  where first_contact_at is not null;
