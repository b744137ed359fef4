-- Notifications: SMS and e-mail to payers (the link, or a receipt), written in the business
-- transaction and sent by workers. The body is rendered when the row is written, so the row is
-- what was sent. `next_attempt_at` doubles as the lease: a worker claiming a row moves it to the
-- end of its lease and sets `lease_token`; only the holder of the token records the outcome.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    link_id TEXT NOT NULL REFERENCES payment_links(id),
    payment_id TEXT REFERENCES payments(id),
    -- The link's scope, copied so lists filter by role without a join.
    branch_id TEXT REFERENCES branches(id),
    link_created_by TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms','email')),
    recipient TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('ar','en')),
    kind TEXT NOT NULL CHECK (kind IN ('link','receipt')),
    subject TEXT,
    body TEXT NOT NULL,
    provider TEXT NOT NULL CHECK (provider IN ('log','http','smtp')),
    status TEXT NOT NULL CHECK (status IN ('queued','sent','failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_token TEXT,
    last_error TEXT,
    provider_response TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'queued';
CREATE INDEX notifications_by_store ON notifications (store_id, environment, created_at, id);
CREATE INDEX notifications_by_link ON notifications (link_id, created_at, id);

-- Sending caps: one counter per scope ('link:plink_…', 'store:sto_…:sandbox') and hour
-- (`bucket`: hours since 1970). A send takes a unit with a guarded increment (`used < cap`), so
-- concurrent sends cannot pass the cap.
CREATE TABLE notification_quotas (
    scope TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    used BIGINT NOT NULL CHECK (used >= 0),
    PRIMARY KEY (scope, bucket)
);
CREATE INDEX notification_quotas_by_bucket ON notification_quotas (bucket);
