-- Dialects II (BirrLink, Paymob QuickLink) and per-key rate limits (DESIGN §5).

-- Requests per API key per one-minute window. Each instance claims a block of the window's
-- allowance with one guarded upsert (`used + n <= limit`), so several instances sharing the
-- database together never admit more than the limit.
CREATE TABLE rate_limits (
    key_id TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    used INTEGER NOT NULL CHECK (used >= 0),
    PRIMARY KEY (key_id, window_start)
);

-- A webhook endpoint registered through a dialect (BirrLink's POST /webhooks) receives that
-- dialect's envelope and signature; NULL is a native endpoint.
ALTER TABLE webhook_endpoints ADD COLUMN dialect TEXT CHECK (dialect IN ('birrlink'));

-- Paymob auth tokens (POST /paymob/api/auth/tokens): the digest only, the key they stand for, and
-- when they stop working (60 minutes).
CREATE TABLE dialect_tokens (
    digest TEXT PRIMARY KEY,
    key_id TEXT NOT NULL REFERENCES api_keys(id),
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX dialect_tokens_expiry ON dialect_tokens (expires_at);

-- Integer ids a dialect hands out (Paymob's QuickLink and transaction ids), one counter each;
-- taken with `UPDATE … SET last = last + 1 … RETURNING last`.
CREATE TABLE dialect_counters (
    name TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
INSERT INTO dialect_counters (name, last) VALUES ('paymob_link', 580000), ('paymob_transaction', 192000000);

-- A payment's integer id in a dialect that needs one (Paymob's transaction `obj.id`), given on
-- first need and then fixed; unique per dialect through the link's dialect.
ALTER TABLE payments ADD COLUMN dialect_ref TEXT;
CREATE UNIQUE INDEX payments_dialect_ref ON payments (dialect_ref) WHERE dialect_ref IS NOT NULL;

-- An image shown on a link's payment page (Paymob's payment_link_image), kept like store logos.
CREATE TABLE link_images (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png','image/jpeg','image/webp','image/gif')),
    data_base64 TEXT NOT NULL,
    digest TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
ALTER TABLE payment_links ADD COLUMN image_id TEXT REFERENCES link_images(id);

-- The events a dialect endpoint was registered with, as the dialect names them (BirrLink:
-- comma-separated, shown back by GET /birrlink/v1/webhooks); event_types holds the Paylink types
-- they stand for, which the outbox matches. NULL for a native endpoint.
ALTER TABLE webhook_endpoints ADD COLUMN dialect_events TEXT;
