-- Sign-in without enumeration or lock-out abuse, and "wachtwoord vergeten" (issue 9, part 4; ARCHITECTURE.md,
-- "Sign-in throttling and password recovery"). The lock-out of 001 counted failures per account in users, so a
-- stranger could lock any known address and an unknown one never locked. Counters now live in their own table,
-- keyed by SHA-256 digests of the normalised e-mail address and of the source address, whether the account
-- exists or not.

-- One row per counter. scope says which:
--   pair           failures in a row of one address on one account (a short lock that doubles), and the last
--                  complete sign-in from that address (such an address is not stopped by the two ceilings below)
--   account        leaky bucket of the failures on one account, from every address (OWASP ASVS 4.0 2.2.1)
--   source         leaky bucket of the failures from one address, over every account (a password sprayer)
--   totp           wrong second-factor codes in a row on one account
--   reset-source   leaky bucket of password-reset calls from one address
--   reset-account  leaky bucket of reset e-mails to one account
-- Unused key parts are '' (a primary key cannot hold null).
create table sign_in_throttle (
  scope text not null check (scope in ('pair', 'account', 'source', 'totp', 'reset-source', 'reset-account')),
  account_hash text not null default '',
  source_hash text not null default '',
  failures integer not null default 0,
  level double precision not null default 0,
  locked_until timestamptz,
  last_success_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (scope, account_hash, source_hash)
);
create index sign_in_throttle_account_idx on sign_in_throttle(account_hash) where account_hash <> '';
create index sign_in_throttle_updated_idx on sign_in_throttle(updated_at);

-- A reset link's token: only its SHA-256 is stored; single use (used_at), expiring.
create table password_reset_tokens (
  token_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_reset_tokens_user_idx on password_reset_tokens(user_id);
create index password_reset_tokens_expires_idx on password_reset_tokens(expires_at);

-- Both tables are read before anyone is signed in (no tenant context can guard them) and tie digests to accounts:
-- pseudonymous personal data. Only a transaction that says it is the sign-in (app.sign_in, set by
-- core/auth/sign-in-throttle.ts claimSignIn) sees or changes a row; any other query of the application finds none.
create or replace function kl_sign_in() returns boolean language sql stable
  as $$ select coalesce(current_setting('app.sign_in', true) = 'on', false) $$;
grant execute on function kl_sign_in() to kortelijn_app;

alter table sign_in_throttle enable row level security;
alter table sign_in_throttle force row level security;
create policy sign_in_throttle_sign_in on sign_in_throttle using (kl_sign_in()) with check (kl_sign_in());
grant select, insert, update, delete on sign_in_throttle to kortelijn_app;

alter table password_reset_tokens enable row level security;
alter table password_reset_tokens force row level security;
create policy password_reset_tokens_sign_in on password_reset_tokens using (kl_sign_in()) with check (kl_sign_in());
grant select, insert, update, delete on password_reset_tokens to kortelijn_app;

-- The lock-out of 001 is replaced by the table above.
alter table users drop column failed_logins;
alter table users drop column locked_until;

-- An e-mail that carries a short-lived link is not sent after the link expired (a late SMTP configuration, a long
-- outage); the mailer also blanks such a link's token in the stored body once the e-mail has left.
alter table email_outbox add column expires_at timestamptz;
