-- The audit trail: one row per staff or key action that changes money or access, written in the
-- action's own transaction with `seq`, `prev_hash` and `hash` NULL. A chaining step (worker) then
-- locks the merchant's `audit_heads` row, numbers the unchained rows in time order and sets each
-- `hash = SHA-256(previous hash, seq, the row's content)`, so business writes never wait on the
-- chain head. `paylink audit verify` walks each chain and recomputes it.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    -- Users belong to the merchant and both environments: no store or environment then.
    store_id TEXT,
    environment TEXT CHECK (environment IN ('sandbox','production')),
    -- The principal (usr_…, key_… for a service key, or `cli` for the operator), the key it used,
    -- and the role and branch it acted with.
    actor_id TEXT NOT NULL,
    actor_key_id TEXT,
    actor_role TEXT,
    actor_branch_id TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    -- JSON snapshots without secrets; NULL before a creation.
    before_state TEXT,
    after_state TEXT,
    request_id TEXT,
    created_at INTEGER NOT NULL,
    seq INTEGER,
    prev_hash TEXT,
    hash TEXT
);
-- One entry per position: two chainers can never fork a chain.
CREATE UNIQUE INDEX audit_log_chain ON audit_log (merchant_id, seq);
CREATE INDEX audit_log_unchained ON audit_log (merchant_id, created_at, id) WHERE seq IS NULL;
CREATE INDEX audit_log_recent ON audit_log (merchant_id, created_at, id);
CREATE INDEX audit_log_by_object ON audit_log (object_id, created_at);
-- The end of each merchant's chain; its row lock serialises chainers, never business writes.
CREATE TABLE audit_heads (
    merchant_id TEXT PRIMARY KEY REFERENCES merchants(id),
    last_seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL,
    last_id TEXT
);
