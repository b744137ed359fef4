-- Customers (issue 5): the people a store sells to, kept per store and environment. A customer
-- carries the branch it was created in (null: store-wide), so a SUPERVISOR reads and writes the
-- customers of their branch. Phone and e-mail are deliberately not unique: families share a
-- phone, and a merchant importing records must not be refused over a shared address.
CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id),
    environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
    branch_id TEXT REFERENCES branches(id),
    created_by TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    metadata TEXT NOT NULL,
    -- Lower-cased name, phone and e-mail: what `q` matches (a LIKE over the store's customers).
    search_text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX customers_by_created ON customers (store_id, environment, created_at, id);
CREATE INDEX customers_by_branch ON customers (store_id, environment, branch_id, created_at, id);

-- A link may reference the customer it was made for (its customer fields are copied from the
-- record at creation); the customer's page lists their most recent links and payments.
ALTER TABLE payment_links ADD COLUMN customer_id TEXT REFERENCES customers(id);
CREATE INDEX payment_links_by_customer ON payment_links (customer_id, created_at, id) WHERE customer_id IS NOT NULL;
