-- The store's profile (issue 16): the time zone its days are counted in (reports, the dates a
-- person reads), the language of links made without one, the support contact payers are shown,
-- and optional notification caps below the instance's ceilings (NULL: the instance's cap).
ALTER TABLE stores ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Riyadh';
ALTER TABLE stores ADD COLUMN default_language TEXT NOT NULL DEFAULT 'ar' CHECK (default_language IN ('ar','en'));
ALTER TABLE stores ADD COLUMN support_phone TEXT;
ALTER TABLE stores ADD COLUMN support_email TEXT;
ALTER TABLE stores ADD COLUMN notify_per_link_per_hour BIGINT CHECK (notify_per_link_per_hour IS NULL OR notify_per_link_per_hour >= 1);
ALTER TABLE stores ADD COLUMN notify_per_store_per_hour BIGINT CHECK (notify_per_store_per_hour IS NULL OR notify_per_store_per_hour >= 1);

-- Reports read succeeded payments and refunds by completion time; these indexes hold every
-- column a report groups or sums, so a month is one index range with no table reads.
CREATE INDEX payments_for_reports ON payments (store_id, environment, completed_at, currency, method, connector, branch_id, link_created_by, amount_minor) WHERE status = 'succeeded';
CREATE INDEX refunds_for_reports ON refunds (store_id, environment, completed_at, currency, branch_id, link_created_by, amount_minor, payment_id) WHERE status = 'succeeded';

-- An endpoint's delivery log in the dashboard and `GET /v1/webhook_endpoints/{id}/deliveries`
-- reads one endpoint's deliveries newest first.
CREATE INDEX deliveries_by_endpoint ON deliveries (endpoint_id, id);

-- Links created per quarter hour and branch, and how many were paid: without this a month at
-- 1,000,000 links read ~85,000 table rows after the index (the bench's reports scenario).
CREATE INDEX payment_links_for_reports ON payment_links (store_id, environment, created_at, currency, branch_id, created_by, payments_count);
