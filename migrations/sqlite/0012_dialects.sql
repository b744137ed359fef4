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
    callback_enabled INTEGER NOT NULL CHECK (callback_enabled IN (0, 1)),
    email_on_failure INTEGER NOT NULL CHECK (email_on_failure IN (0, 1)),
    failure_email TEXT,
    updated_at INTEGER NOT NULL,
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
    created_at INTEGER NOT NULL,
    PRIMARY KEY (store_id, environment, dialect)
);

-- Notifications gain merchant alerts (a failed Exchange callback). SQLite cannot alter a CHECK,
-- so the table is rebuilt with the same rows.
CREATE TABLE notifications_new (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    link_id TEXT NOT NULL REFERENCES payment_links(id),
    payment_id TEXT REFERENCES payments(id),
    branch_id TEXT REFERENCES branches(id),
    link_created_by TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms','email')),
    recipient TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('ar','en')),
    kind TEXT NOT NULL CHECK (kind IN ('link','receipt','callback_failed')),
    subject TEXT,
    body TEXT NOT NULL,
    provider TEXT NOT NULL CHECK (provider IN ('log','http','smtp')),
    status TEXT NOT NULL CHECK (status IN ('queued','sent','failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_token TEXT,
    last_error TEXT,
    provider_response TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER
);
INSERT INTO notifications_new SELECT * FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'queued';
CREATE INDEX notifications_by_store ON notifications (store_id, environment, created_at, id);
CREATE INDEX notifications_by_link ON notifications (link_id, created_at, id);
