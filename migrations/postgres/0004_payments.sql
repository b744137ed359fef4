-- Payments (attempts to pay a link) and the sandbox connector's own ledger.
--
-- Exactly once: an attempt first claims a place on its link with one guarded UPDATE of
-- attempts_in_flight (single-use: one place; multi-use: max_payments minus successes). The
-- CHECK below makes over-claiming impossible even for code that forgets the guard, and the
-- partial unique indexes are a second lock on single-use links.
ALTER TABLE payment_links ADD COLUMN attempts_in_flight BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payment_links ADD CONSTRAINT payment_links_capacity CHECK (attempts_in_flight >= 0
    AND payments_count + attempts_in_flight <= CASE WHEN single_use THEN 1
        ELSE coalesce(max_payments, 9223372036854775807) END);
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    link_id TEXT NOT NULL REFERENCES payment_links(id),
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    branch_id TEXT REFERENCES branches(id),
    link_created_by TEXT NOT NULL,
    single_use BOOLEAN NOT NULL,
    method_id BIGINT NOT NULL REFERENCES payment_methods(id),
    method TEXT NOT NULL CHECK (method IN ('card','mobile_money','installments','cash')),
    connector TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','requires_action','succeeded','failed','cancelled')),
    holds_claim BOOLEAN NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    installments BIGINT CHECK (installments IS NULL OR installments IN (3, 4, 6)),
    next_action TEXT CHECK (next_action IS NULL OR next_action IN ('otp','approve_on_phone')),
    connector_ref TEXT,
    failure_code TEXT,
    failure_message TEXT,
    decline BOOLEAN NOT NULL DEFAULT false,
    card_brand TEXT,
    card_last4 TEXT CHECK (card_last4 IS NULL OR length(card_last4) = 4),
    payer_name TEXT,
    payer_email TEXT,
    payer_phone TEXT,
    payer_address TEXT,
    client_key TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    completed_at BIGINT,
    -- A claim is held exactly while the outcome is open.
    CHECK ((holds_claim) = (status IN ('pending','requires_action')))
);
CREATE INDEX payments_by_link ON payments (link_id, created_at, id);
CREATE INDEX payments_by_store ON payments (store_id, environment, created_at, id);
CREATE INDEX payments_unresolved ON payments (updated_at) WHERE holds_claim;
CREATE INDEX payments_declines_by_client ON payments (client_key, updated_at) WHERE decline;
CREATE UNIQUE INDEX payments_single_use_claim ON payments (link_id) WHERE single_use AND holds_claim;
CREATE UNIQUE INDEX payments_single_use_success ON payments (link_id) WHERE single_use AND status = 'succeeded';
-- The sandbox connector's ledger: what a remote provider would remember about each charge,
-- keyed by our attempt id (its idempotency key). Never a card number: brand and last 4.
CREATE TABLE sandbox_charges (
    attempt_id TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    instrument TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('processing','requires_otp','awaiting_approval','succeeded','declined','cancelled')),
    final_status TEXT NOT NULL CHECK (final_status IN ('succeeded','declined')),
    decline_code TEXT,
    ready_at BIGINT,
    otp_attempts BIGINT NOT NULL DEFAULT 0,
    refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sandbox_charges_by_reference ON sandbox_charges (reference);
CREATE TABLE sandbox_refunds (
    refund_id TEXT PRIMARY KEY,
    attempt_id TEXT NOT NULL REFERENCES sandbox_charges(attempt_id),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    created_at BIGINT NOT NULL
);
-- Secrets this installation shares between its instances (e.g. the key that signs the hosted
-- page's CSRF tokens), created once on first start.
CREATE TABLE instance_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
