//! Integration tests: every test drives the real server over HTTP on a fresh database, on SQLite
//! and (with `PAYLINK_TEST_POSTGRES_URL`) on PostgreSQL.

mod helpers;
mod links;
mod roles;
mod concurrency;
mod idempotency;
mod bad_input;
mod listing;
mod admin;
mod openapi;
