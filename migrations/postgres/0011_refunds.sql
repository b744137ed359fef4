-- Refunds. A payment's refund_reserved_minor is the sum of its live refunds (pending approval,
-- approved, succeeded): creating a refund raises it with one guarded UPDATE (the CHECK below is
-- the second lock), rejection and failure lower it. refunded_minor counts what went back.
ALTER TABLE payments ADD COLUMN refund_reserved_minor BIGINT NOT NULL DEFAULT 0
    CHECK (refund_reserved_minor >= 0 AND refund_reserved_minor <= amount_minor);
ALTER TABLE payments ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0
    CHECK (refunded_minor >= 0 AND refunded_minor <= refund_reserved_minor);

CREATE TABLE refunds (
    id TEXT PRIMARY KEY,
    payment_id TEXT NOT NULL REFERENCES payments(id),
    link_id TEXT NOT NULL REFERENCES payment_links(id),
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    -- The link's branch and creator: refunds share the links' role scope.
    branch_id TEXT REFERENCES branches(id),
    link_created_by TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    reason TEXT,
    metadata TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending_approval','approved','rejected','succeeded','failed')),
    -- 'connector': sent to the payment's connector; 'cash': money handed back at the counter.
    kind TEXT NOT NULL CHECK (kind IN ('connector','cash')),
    requested_by TEXT NOT NULL,
    requested_role TEXT NOT NULL,
    decided_by TEXT,
    decision_note TEXT,
    auto_approved BOOLEAN NOT NULL DEFAULT false,
    connector_ref TEXT,
    failure_code TEXT,
    failure_message TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    decided_at BIGINT,
    completed_at BIGINT,
    -- Maker–checker, in the schema too: whoever asked never decides.
    CHECK (decided_by IS NULL OR auto_approved OR decided_by <> requested_by)
);
CREATE INDEX refunds_by_store ON refunds (store_id, environment, created_at, id);
CREATE INDEX refunds_by_payment ON refunds (payment_id, created_at);
-- Approved refunds whose connector call has not answered yet (the sweep retries them).
CREATE INDEX refunds_executing ON refunds (updated_at) WHERE status = 'approved';

-- Payments recorded at the branch (cash, or a card terminal): how, with which terminal and
-- receipt, by whom and in which branch. Their method is a disabled 'offline' payment method of
-- the store (one per kind), which payers never see.
ALTER TABLE payments ADD COLUMN offline_method TEXT CHECK (offline_method IS NULL OR offline_method IN ('cash','card_terminal'));
ALTER TABLE payments ADD COLUMN terminal_id TEXT;
ALTER TABLE payments ADD COLUMN receipt_number TEXT;
ALTER TABLE payments ADD COLUMN offline_note TEXT;
ALTER TABLE payments ADD COLUMN recorded_by TEXT;
ALTER TABLE payments ADD COLUMN recorded_branch_id TEXT REFERENCES branches(id);
CREATE UNIQUE INDEX payment_methods_offline ON payment_methods (store_id, environment, kind) WHERE connector = 'offline';

-- The sandbox's test card whose refunds fail.
ALTER TABLE sandbox_charges ADD COLUMN refunds_fail BOOLEAN NOT NULL DEFAULT false;

-- The store's refund policy: below the threshold a refund is approved at once when its
-- requester's role may approve it; a SUPERVISOR approves up to the limit (0: none).
ALTER TABLE stores ADD COLUMN refund_auto_approve_below_minor BIGINT NOT NULL DEFAULT 0
    CHECK (refund_auto_approve_below_minor >= 0);
ALTER TABLE stores ADD COLUMN refund_supervisor_limit_minor BIGINT NOT NULL DEFAULT 0
    CHECK (refund_supervisor_limit_minor >= 0);
