//! Integration tests: every test drives the real server over HTTP on a fresh database, on SQLite
//! and (with `PAYLINK_TEST_POSTGRES_URL`) on PostgreSQL.

mod admin;
mod amwal;
mod amwal_callbacks;
mod audit;
mod bad_input;
mod card_data;
mod concurrency;
mod customers;
mod events;
mod exchange;
mod expiry;
mod helpers;
mod idempotency;
mod links;
mod listing;
mod logos;
mod methods;
mod notifications;
mod offline;
mod openapi;
mod pages;
mod pages_flow;
mod paying;
mod payments;
mod processes;
mod python;
mod receiver;
mod refunds;
mod retries;
mod roles;
mod sandbox;
mod signature_oracle;
mod ssrf;
mod webhooks;
