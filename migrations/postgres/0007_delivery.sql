-- The outbox: webhook endpoints, the store's callback signing secret, one delivery row per event
-- and target (written in the event's transaction), and every attempt made.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    url TEXT NOT NULL,
    description TEXT,
    -- '*' or the subscribed types between commas (',payment.succeeded,payment_link.paid,').
    event_types TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('enabled','disabled','deleted')),
    disabled_reason TEXT,
    -- The signing secret is derived from the instance's signing key and this nonce; the secret
    -- itself is never stored.
    secret_nonce TEXT NOT NULL,
    previous_nonce TEXT,
    previous_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_by_store ON webhook_endpoints (store_id, environment, created_at);

CREATE TABLE callback_secrets (
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    secret_nonce TEXT NOT NULL,
    previous_nonce TEXT,
    previous_until BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, environment)
);

CREATE TABLE deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id),
    -- A webhook endpoint id, or 'callback' for the link's callback_url.
    endpoint_id TEXT NOT NULL,
    -- The callback URL; webhook deliveries go to their endpoint's current URL.
    url TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending','delivered','failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    -- When a pending delivery is due. Claiming moves it to the end of the lease, so a worker that
    -- dies leaves the delivery due again once the lease has passed.
    next_attempt_at BIGINT,
    lease_token TEXT,
    last_status_code BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT deliveries_once UNIQUE (event_id, endpoint_id),
    CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
-- A queue table: every claim and every recorded attempt updates an indexed column, leaving dead
-- index entries that each poll would walk until vacuumed; vacuum it much sooner than the default.
ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
-- Numbering an event updates it once, leaving a dead entry in the index of unnumbered events.
ALTER TABLE events SET (autovacuum_vacuum_scale_factor = 0.02);

CREATE TABLE delivery_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES deliveries(id),
    number BIGINT NOT NULL,
    attempted_at BIGINT NOT NULL,
    status_code BIGINT,
    latency_ms BIGINT NOT NULL,
    error TEXT,
    response_excerpt TEXT
);
CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery_id, id);
