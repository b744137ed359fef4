-- A store's logo, shown on its hosted pages and served from this origin (pages load nothing from
-- elsewhere). Raster formats only (an SVG could carry script); at most 32 KiB, so a page with its
-- logo stays within the 60 KB page budget. The digest versions the logo's URL for caching.
CREATE TABLE store_logos (
    store_id TEXT PRIMARY KEY REFERENCES stores(id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png','image/jpeg','image/webp')),
    data_base64 TEXT NOT NULL,
    digest TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
