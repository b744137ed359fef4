-- Provider dialects (DESIGN §5). A link remembers the dialect that created it (its callbacks take
-- that dialect's shape and signature) and, where the dialect names objects its own way (Amwal
-- Exchange's 24-hex invoice ids), that name, unique per dialect.
ALTER TABLE payment_links ADD COLUMN dialect TEXT CHECK (dialect IN ('amwal','exchange','birrlink','paymob'));
ALTER TABLE payment_links ADD COLUMN dialect_ref TEXT;
-- An address the merchant already knows (Amwal's client_street1…), pre-filled on the page: JSON.
ALTER TABLE payment_links ADD COLUMN address_prefill TEXT;
CREATE UNIQUE INDEX payment_links_dialect_ref ON payment_links (dialect, dialect_ref) WHERE dialect_ref IS NOT NULL;

-- Amwal Exchange project settings (a project is a store, per environment): where paid invoices
-- are announced, and whether each failed announcement e-mails the merchant.
CREATE TABLE exchange_projects (
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    callback_url TEXT,
    callback_enabled BOOLEAN NOT NULL,
    email_on_failure BOOLEAN NOT NULL,
    failure_email TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, environment)
);

-- Asymmetric keys a dialect signs with (Amwal's RSA-PSS `X-Signature`), one per store,
-- environment and dialect, created on first use. The private key is kept like the instance's
-- signing key (in the database); merchants fetch the public one.
CREATE TABLE dialect_keys (
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    dialect TEXT NOT NULL,
    private_pkcs8 TEXT NOT NULL,
    public_pem TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, environment, dialect)
);

-- Notifications gain merchant alerts (a failed Exchange callback).
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('link','receipt','callback_failed'));
