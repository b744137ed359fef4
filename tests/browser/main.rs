//! Browser tests: the hosted payment pages in headless Chromium on a phone-sized window, driven
//! over WebDriver (chromedriver + fantoccini) against the real server on a fresh SQLite database.
//!
//! Each test starts its own chromedriver and server, pays (or fails to) as a payer would, checks
//! that no page fetches anything from another origin, and saves a full-page screenshot of every
//! state under `target/screenshots/`. Without chromedriver the tests say "skipped" and pass,
//! unless `PAYLINK_REQUIRE_BROWSER=1` (CI). See docs/testing.md.

// The API suite's `TestApp`, of which these tests use only a part.
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod areas;
mod audit;
mod desk;
mod developers;
mod driver;
mod integrations;
mod links;
mod payer;
mod paying;
mod regressions;
mod reports;
mod roles;
mod scan;
mod settings;
mod staff;
mod states;
mod tour;
mod webhooks;
