-- Core schema: tenancy, keys, payment links, events, idempotency. Times are microseconds since
-- the Unix epoch (UTC); money is integer minor units plus an ISO 4217 code.
CREATE TABLE merchants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE stores (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    name TEXT NOT NULL,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    created_at INTEGER NOT NULL
);
CREATE TABLE branches (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    disabled_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT branches_store_code_key UNIQUE (store_id, code)
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('OWNER','ADMIN','OPERATION','ACCOUNTING','SUPERVISOR','CASHIER')),
    branch_id TEXT REFERENCES branches(id),
    password_hash TEXT NOT NULL,
    disabled_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (role NOT IN ('SUPERVISOR','CASHIER') OR branch_id IS NOT NULL),
    CONSTRAINT users_merchant_email_key UNIQUE (merchant_id, email)
);
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    prefix TEXT NOT NULL,
    user_id TEXT REFERENCES users(id),
    role TEXT CHECK (role IN ('OWNER','ADMIN','OPERATION','ACCOUNTING','SUPERVISOR','CASHIER')),
    branch_id TEXT REFERENCES branches(id),
    expires_at INTEGER,
    revoked_at INTEGER,
    last_used_at INTEGER,
    created_by TEXT,
    created_at INTEGER NOT NULL,
    CHECK ((user_id IS NULL) <> (role IS NULL)),
    CHECK (role IS NULL OR role NOT IN ('SUPERVISOR','CASHIER') OR branch_id IS NOT NULL),
    CONSTRAINT api_keys_digest_key UNIQUE (digest)
);
CREATE INDEX api_keys_store ON api_keys (store_id, environment, created_at);
CREATE TABLE payment_links (
    -- A stable integer key (an alias of the rowid, so VACUUM keeps it) for the search index.
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    branch_id TEXT REFERENCES branches(id),
    created_by TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    title TEXT NOT NULL,
    description TEXT,
    reference_id TEXT,
    single_use INTEGER NOT NULL CHECK (single_use IN (0, 1)),
    max_payments INTEGER CHECK (max_payments IS NULL OR max_payments > 0),
    expires_at INTEGER,
    customer_phone TEXT,
    customer_email TEXT,
    customer_first_name TEXT,
    customer_last_name TEXT,
    language TEXT NOT NULL CHECK (language IN ('ar','en')),
    address_required INTEGER NOT NULL CHECK (address_required IN (0, 1)),
    send_sms INTEGER NOT NULL CHECK (send_sms IN (0, 1)),
    send_email INTEGER NOT NULL CHECK (send_email IN (0, 1)),
    callback_url TEXT,
    success_url TEXT,
    cancel_url TEXT,
    metadata TEXT NOT NULL,
    secret TEXT NOT NULL,
    short_code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open','paid','expired','cancelled')),
    payments_count INTEGER NOT NULL DEFAULT 0 CHECK (payments_count >= 0),
    amount_paid_minor INTEGER NOT NULL DEFAULT 0 CHECK (amount_paid_minor >= 0),
    search_text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT payment_links_id_key UNIQUE (id),
    CONSTRAINT payment_links_reference_id_key UNIQUE (store_id, environment, reference_id),
    CONSTRAINT payment_links_short_code_key UNIQUE (short_code)
);
CREATE INDEX payment_links_by_created ON payment_links (store_id, environment, created_at, id);
CREATE INDEX payment_links_by_branch ON payment_links (store_id, environment, branch_id, created_at, id);
CREATE INDEX payment_links_by_creator ON payment_links (store_id, environment, created_by, created_at, id);
CREATE INDEX payment_links_by_amount ON payment_links (store_id, environment, amount_minor, id);
CREATE INDEX payment_links_by_title ON payment_links (store_id, environment, title, id);
-- Substring search: a trigram index over search_text, kept in step by triggers.
CREATE VIRTUAL TABLE payment_links_search USING fts5(
    search_text, content='payment_links', content_rowid='num', tokenize='trigram'
);
CREATE TRIGGER payment_links_search_insert AFTER INSERT ON payment_links BEGIN
    INSERT INTO payment_links_search (rowid, search_text) VALUES (new.num, new.search_text);
END;
CREATE TRIGGER payment_links_search_update AFTER UPDATE OF search_text ON payment_links BEGIN
    INSERT INTO payment_links_search (payment_links_search, rowid, search_text)
        VALUES ('delete', old.num, old.search_text);
    INSERT INTO payment_links_search (rowid, search_text) VALUES (new.num, new.search_text);
END;
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    seq INTEGER,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT events_seq_key UNIQUE (store_id, environment, seq)
);
CREATE INDEX events_by_store ON events (store_id, environment, created_at, id);
CREATE INDEX events_unsequenced ON events (store_id, environment, id) WHERE seq IS NULL;
CREATE INDEX events_by_object ON events (object_id, created_at);
CREATE TABLE event_sequences (
    store_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (store_id, environment)
);
CREATE TABLE idempotency_keys (
    store_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER,
    response_body TEXT,
    locked_until INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (store_id, environment, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
CREATE TABLE bootstrap (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    created_at INTEGER NOT NULL
);
