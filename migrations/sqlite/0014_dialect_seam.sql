-- Dialects plug in: nothing in the schema lists the dialects any more, so a new one needs no
-- migration. What a dialect's links are called back about is kept on each link, and a dialect's
-- store-level callback settings live in one table for every dialect.

-- `payment_links.dialect` and `webhook_endpoints.dialect` lose their closed CHECK lists. SQLite
-- cannot drop a CHECK, but it can drop a column whose only CHECK is its own: the value moves to
-- a new column, the old one goes, the new one takes its name.
DROP INDEX payment_links_dialect_ref;
ALTER TABLE payment_links ADD COLUMN dialect_name TEXT;
UPDATE payment_links SET dialect_name = dialect;
ALTER TABLE payment_links DROP COLUMN dialect;
ALTER TABLE payment_links RENAME COLUMN dialect_name TO dialect;
CREATE UNIQUE INDEX payment_links_dialect_ref ON payment_links (dialect, dialect_ref) WHERE dialect_ref IS NOT NULL;

ALTER TABLE webhook_endpoints ADD COLUMN dialect_name TEXT;
UPDATE webhook_endpoints SET dialect_name = dialect;
ALTER TABLE webhook_endpoints DROP COLUMN dialect;
ALTER TABLE webhook_endpoints RENAME COLUMN dialect_name TO dialect;

-- The event types a link's callback hears of, stored as `,a,b,` (as endpoint subscriptions
-- are); NULL: every event of the link and its payments (a native link's callback_url).
ALTER TABLE payment_links ADD COLUMN callback_events TEXT;
UPDATE payment_links SET callback_events = ',payment.succeeded,payment.failed,' WHERE dialect IN ('amwal', 'paymob');
UPDATE payment_links SET callback_events = ',payment.succeeded,' WHERE dialect = 'exchange';
UPDATE payment_links SET callback_events = ',payment.succeeded,payment.failed,payment_link.cancelled,payment_link.expired,'
    WHERE dialect = 'birrlink';

-- A dialect's store-level callback (per store and environment): a URL that hears of the events
-- of every link the dialect made in the store, in place of a link's own callback_url, when it is
-- on; and whether each failed attempt e-mails the merchant. Rows of the former
-- exchange_projects table are kept.
CREATE TABLE dialect_store_callbacks (
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    dialect TEXT NOT NULL,
    callback_url TEXT,
    callback_enabled INTEGER NOT NULL CHECK (callback_enabled IN (0, 1)),
    email_on_failure INTEGER NOT NULL CHECK (email_on_failure IN (0, 1)),
    failure_email TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (store_id, environment, dialect)
);
INSERT INTO dialect_store_callbacks (store_id, environment, dialect, callback_url, callback_enabled, email_on_failure,
    failure_email, updated_at)
    SELECT store_id, environment, 'exchange', callback_url, callback_enabled, email_on_failure, failure_email, updated_at
    FROM exchange_projects;
DROP TABLE exchange_projects;
