-- A link may restrict itself to some of its store's payment methods: a JSON array of method ids,
-- or NULL for every enabled method.
ALTER TABLE payment_links ADD COLUMN payment_methods TEXT;
