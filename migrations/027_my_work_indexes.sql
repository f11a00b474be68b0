-- My work's evaluations due (issue 11, bench): the plans I coordinate or am a caregiver of come from my own
-- care-team rows. Without an index on the member's user the planner scanned every active plan of the network due
-- by the end of the week, each passing the care plan's row policy (a consent lookup for a plan of another
-- organisation) before the filter on me: 9 s for 9,000 plans in the bench, minutes at 100,000.
create index care_team_members_user_idx on care_team_members(user_id) where user_id is not null;
