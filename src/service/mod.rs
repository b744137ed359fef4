//! Use cases. Each operation is one function shared by the native API, the dialects, the pages
//! and the CLI: load, apply the domain rule, write the change and its event in one transaction.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod bootstrap;
pub mod callbacks;
pub mod customers;
pub mod dialect;
pub mod dialect_callbacks;
pub mod dialect_keys;
pub mod dialect_tokens;
pub mod event_log;
pub mod events;

pub mod idempotency;
pub mod link_images;
pub mod links;
pub mod list_params;
pub mod logos;
pub mod methods;
pub mod notify;
pub mod offline;
pub mod passwords;
pub mod pay;
pub mod payments;
pub mod rate_limit;
pub mod refunds;
pub mod reports;
pub mod seal;
pub mod secrets;
pub mod sessions;
pub mod sign_in;
pub mod store_profile;
pub mod store_security;
pub mod stores;
pub mod subjects;
pub mod summary;
pub mod two_factor;
pub mod webhook_deliveries;
pub mod webhooks;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::FieldError;
use crate::store::Db;
use crate::store::conn::DbError;
use std::sync::Arc;

/// What every service function needs: storage, the clock and the configuration.
#[derive(Clone)]
pub struct Ctx {
    pub db: Arc<Db>,
    pub clock: Clock,
    pub config: Arc<Config>,
    pub auth: Arc<auth::KeyCache>,
    pub stores: Arc<stores::StoreCache>,
    /// The payment connectors, by name.
    pub connectors: crate::connector::Connectors,
    /// The key that signs the hosted pages' CSRF tokens (shared by every instance).
    pub page_key: Arc<[u8; 32]>,
    /// The key webhook and callback signing secrets are derived from (shared by every instance).
    pub signing_key: Arc<[u8; 32]>,
    /// The one client for outbound HTTP.
    pub egress: Arc<crate::egress::Egress>,
    /// Dialect signing keys loaded so far (RSA keys some dialects sign callbacks with).
    pub dialect_keys: Arc<dialect_keys::KeyCache>,
    /// The per-key request allowance this instance has claimed (see [`rate_limit`]).
    pub rate_leases: Arc<rate_limit::Leases>,
    /// The provider dialects, asked for what only they know (see [`dialect`]).
    pub dialects: Arc<dialect::Dialects>,
    /// This application's Prometheus metrics (its own registry; see [`crate::metrics`]).
    pub metrics: Arc<crate::metrics::Metrics>,
}

/// Why an operation did not happen. The API maps each to a status and an `error_code`.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// Forbidden for a reason with its own stable `error_code` (e.g. maker–checker).
    #[error("forbidden: {1}")]
    Refused(&'static str, &'static str),
    #[error("conflict: {1}")]
    Conflict(Conflict, String),
    #[error("authentication required")]
    Unauthenticated,
    /// The card-testing guard refused the attempt (too many recent declines).
    #[error("too many declined attempts")]
    TooManyAttempts,
    /// A sending cap was reached (stable `error_code`, message naming the cap).
    #[error("rate limited: {1}")]
    RateLimited(&'static str, String),
    /// The API key spent its requests for this minute (limit per minute, seconds to wait).
    #[error("rate limit of {limit} requests a minute reached")]
    KeyRateLimited { limit: i64, retry_after_secs: i64 },
    /// Something unexpected. The cause keeps its chain of sources; it is logged once, with the
    /// request id, where the failure becomes a response (an opaque 500), and never shown.
    #[error("internal error")]
    Internal(#[source] Cause),
}

/// The cause of an internal error, with its own sources.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A cause described in our words, with the error underneath it as its source.
#[derive(Debug, thiserror::Error)]
#[error("{context}")]
pub struct Context {
    context: String,
    #[source]
    source: Cause,
}

impl Context {
    /// `context`, caused by `source`.
    pub fn new(context: impl Into<String>, source: impl Into<Cause>) -> Self {
        Context { context: context.into(), source: source.into() }
    }
}

/// An error and its sources as one line: `outer: inner: innermost`.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(inner) = next {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        next = inner.source();
    }
    text
}

/// The kinds of state conflicts (409), each with a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    DuplicateReference,
    LinkNotOpen,
    DuplicateEmail,
    DuplicateBranchCode,
    AlreadyRevoked,
    /// Another attempt holds the link's last place (single-use: someone is paying right now).
    LinkBusy,
    /// A single-use link (or a capped one) has been paid.
    LinkAlreadyPaid,
    /// The payment is not waiting for this action (already resolved, or another action).
    PaymentNotWaiting,
    /// Only succeeded payments can be refunded.
    PaymentNotRefundable,
    /// The payment's live refunds would exceed what it captured.
    RefundExceedsCaptured,
    /// The refund was decided already (or is not waiting for a decision).
    RefundNotPending,
    /// Two-factor sign-in is on already (turn it off first to enrol again).
    SecondFactorOn,
}

impl Conflict {
    /// The stable `error_code`.
    pub fn code(self) -> &'static str {
        match self {
            Conflict::DuplicateReference => "DUPLICATE_REFERENCE",
            Conflict::LinkNotOpen => "LINK_NOT_OPEN",
            Conflict::DuplicateEmail => "DUPLICATE_EMAIL",
            Conflict::DuplicateBranchCode => "DUPLICATE_BRANCH_CODE",
            Conflict::AlreadyRevoked => "ALREADY_REVOKED",
            Conflict::LinkBusy => "LINK_BUSY",
            Conflict::LinkAlreadyPaid => "LINK_ALREADY_PAID",
            Conflict::PaymentNotWaiting => "PAYMENT_NOT_WAITING",
            Conflict::PaymentNotRefundable => "PAYMENT_NOT_REFUNDABLE",
            Conflict::RefundExceedsCaptured => "REFUND_EXCEEDS_CAPTURED",
            Conflict::RefundNotPending => "REFUND_NOT_PENDING",
            Conflict::SecondFactorOn => "SECOND_FACTOR_ON",
        }
    }
}

impl From<DbError> for ServiceError {
    fn from(e: DbError) -> Self {
        ServiceError::Internal(Box::new(e))
    }
}

impl ServiceError {
    /// An internal error described by `message` alone.
    pub fn internal(message: impl Into<String>) -> Self {
        ServiceError::Internal(message.into().into())
    }

    /// An internal error: `context`, caused by `source`.
    pub fn internal_from(context: impl Into<String>, source: impl Into<Cause>) -> Self {
        ServiceError::Internal(Box::new(Context::new(context, source)))
    }

    /// The error with its sources, for a log line.
    pub fn chain(&self) -> String {
        error_chain(self)
    }

    /// A single-field validation error.
    pub fn field(field: &str, kind: crate::domain::ErrorKind, msg: impl Into<String>) -> Self {
        ServiceError::Invalid(vec![FieldError::new(field, kind, msg)])
    }

    /// A single-field validation error naming the rule broken.
    pub fn rule(
        field: &str,
        kind: crate::domain::ErrorKind,
        rule: crate::domain::Rule,
        msg: impl Into<String>,
    ) -> Self {
        ServiceError::Invalid(vec![FieldError::new(field, kind, msg).with_rule(rule)])
    }

    /// A text field longer than `max` characters (`must be at most {max} characters`).
    pub fn too_long(field: &str, max: usize) -> Self {
        let msg = format!("must be at most {max} characters");
        ServiceError::rule(field, crate::domain::ErrorKind::Invalid, crate::domain::Rule::TooLong, msg)
    }
}

/// Service result.
pub type Result<T> = std::result::Result<T, ServiceError>;
