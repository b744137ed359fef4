-- The expiry sweeper looks for open links whose expiry has passed; this index holds only those
-- that can still expire, so each sweep reads just the due ones.
CREATE INDEX payment_links_expiring ON payment_links (expires_at) WHERE status = 'open' AND expires_at IS NOT NULL;
