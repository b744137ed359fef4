-- Payment methods ("integrations") per store and environment. The numeric id is global, as
-- Paymob's integration ids are.
CREATE TABLE payment_methods (
    id INTEGER PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    kind TEXT NOT NULL CHECK (kind IN ('card','mobile_money','installments','cash')),
    name TEXT NOT NULL,
    connector TEXT NOT NULL,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX payment_methods_by_store ON payment_methods (store_id, environment, id);
