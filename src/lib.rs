//! Paylink: a self-hosted payment-links server. One binary serves the native API, the hosted
//! pages and the provider dialects on one core; see docs/architecture.md for how the pieces fit.
#![forbid(unsafe_code)]

/// The native `/v1` JSON API (thin handlers over `service`).
pub mod api;
/// Assembling the context and router; `serve(listener, ctx, shutdown)`.
pub mod app;
/// Command line: serve, migrate, openapi, admin, bench.
pub mod cli;
/// The injectable clock all time decisions use.
pub mod clock;
/// Typed configuration: defaults, file, environment.
pub mod config;
/// Payment connectors: the trait every provider implements and the sandbox simulator.
pub mod connector;
/// The outbox workers: webhooks and callbacks, signed, at least once.
pub mod delivery;
/// The provider dialects: other providers' APIs over the same core, plugged in through one seam.
pub mod dialects;
/// Pure domain types and rules.
pub mod domain;
/// Public object shapes shared by responses and event snapshots.
pub mod dto;
/// The one outbound HTTP client: http(s) only, no redirects, bounded, inward targets refused.
pub mod egress;
/// Prometheus metrics: the per-context registry, the HTTP layer, `/metrics`.
pub mod metrics;
/// SMS and e-mail to payers: templates and providers (log, HTTP SMS gateway, SMTP).
pub mod notify;
/// The id of the request being handled, for every layer's errors and logs.
pub mod request_id;
/// Use cases, one function per operation.
pub mod service;
/// Storage on SQLite and PostgreSQL; the only place SQL runs.
pub mod store;
/// Which reverse proxies may name the client's address (`X-Forwarded-For`).
pub mod trusted_proxies;
/// The hosted payment pages (HTML, no script).
pub mod web;
/// Background loops and `run_pending` for tests.
pub mod worker;
