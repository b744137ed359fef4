//! Integration tests: every test drives the real server over HTTP on a fresh database, on SQLite
//! and (with `PAYLINK_TEST_POSTGRES_URL`) on PostgreSQL.

mod admin;
mod bad_input;
mod card_data;
mod concurrency;
mod events;
mod expiry;
mod helpers;
mod idempotency;
mod links;
mod listing;
mod logos;
mod methods;
mod openapi;
mod pages;
mod pages_flow;
mod paying;
mod payments;
mod python;
mod roles;
mod sandbox;
