-- Dialects plug in: nothing in the schema lists the dialects any more, so a new one needs no
-- migration. What a dialect's links are called back about is kept on each link, and a dialect's
-- store-level callback settings live in one table for every dialect.

ALTER TABLE payment_links DROP CONSTRAINT payment_links_dialect_check;
ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_dialect_check;

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
    callback_enabled BOOLEAN NOT NULL,
    email_on_failure BOOLEAN NOT NULL,
    failure_email TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, environment, dialect)
);
INSERT INTO dialect_store_callbacks (store_id, environment, dialect, callback_url, callback_enabled, email_on_failure,
    failure_email, updated_at)
    SELECT store_id, environment, 'exchange', callback_url, callback_enabled, email_on_failure, failure_email, updated_at
    FROM exchange_projects;
DROP TABLE exchange_projects;
