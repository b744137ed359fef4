-- The merchant dashboard's sign-in: sessions in the database (several instances agree, and a
-- user's sessions can be ended at once), sign-in throttling, passwords that must be changed at
-- first sign-in, and optional TOTP two-factor with single-use recovery codes.

ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'ar' CHECK (language IN ('ar','en'));
-- The TOTP secret, sealed (ChaCha20-Poly1305 under a key derived from the instance's signing
-- key): it must be read back to check codes, so it cannot be a digest.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;
-- The last time step a code was accepted at: a code is never accepted twice.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
ALTER TABLE stores ADD COLUMN require_2fa_admins BOOLEAN NOT NULL DEFAULT FALSE;

-- A session: only the digest of the cookie's value is kept. `stage` is what the holder must do
-- before the dashboard opens: nothing (active), enter a second factor, set a new password, or
-- enrol a second factor (when the store requires one for the user's role).
CREATE TABLE sessions (
    id_digest TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    stage TEXT NOT NULL CHECK (stage IN ('active','second_factor','change_password','enrol_second_factor')),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Ten single-use recovery codes per user with two-factor on, as digests.
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users(id),
    digest TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, digest)
);

-- Failed sign-ins per account (the e-mail as typed, lowercased, whether or not a user has it)
-- and per client address, in a window; a subject past its limit is locked until `locked_until`.
CREATE TABLE sign_in_failures (
    scope TEXT NOT NULL CHECK (scope IN ('account','address')),
    subject TEXT NOT NULL,
    failures BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT,
    PRIMARY KEY (scope, subject)
);
