//! The merchant dashboard over HTTP (the browser tests in `tests/browser/` drive it in Chromium):
//! sign-in and sessions, form tokens, scope and escaping, on SQLite and PostgreSQL.

mod audit;
pub mod client;
mod customers;
mod developers;
mod home;
mod integrations;
mod link_pages;
mod links_list;
mod reach;
mod refunds;
mod reports;
mod security;
mod sessions;
mod settings;
mod webhooks;
