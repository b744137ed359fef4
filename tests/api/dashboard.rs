//! The merchant dashboard over HTTP (the browser tests in `tests/browser/` drive it in Chromium):
//! sign-in and sessions, form tokens, scope and escaping, on SQLite and PostgreSQL.

pub mod client;
mod link_pages;
mod sessions;
