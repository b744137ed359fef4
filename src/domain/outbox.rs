//! The outbox's records: where a delivery goes, a delivery claimed for sending, one attempt, and
//! what comes after it. Rows are written in the business transaction and sent by workers
//! (`crate::delivery`); the types live here so the store, the workers and the dialects that
//! shape their own callbacks all speak of the same thing.

use super::dialect::DialectName;
use super::event::Event;
use super::id::{StoreId, WebhookEndpointId};
use super::webhook::EndpointStatus;
use super::{Environment, Timestamp};

/// The outbox's name for a link's own `callback_url`.
const CALLBACK: &str = "callback";

/// Where a delivery goes (the outbox row's `endpoint_id` column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A webhook endpoint.
    Endpoint(WebhookEndpointId),
    /// A native link's own `callback_url`.
    Callback,
    /// The callback of a link a dialect made, in that dialect's shape.
    Dialect(DialectName),
}

impl Target {
    /// Reads the stored column: an endpoint id, `callback`, or a dialect's name.
    pub fn parse(stored: String) -> Target {
        if stored == CALLBACK {
            return Target::Callback;
        }
        match WebhookEndpointId::parse(&stored) {
            Some(id) => Target::Endpoint(id),
            None => Target::Dialect(DialectName::stored(stored)),
        }
    }

    /// The stored column.
    pub fn as_str(&self) -> &str {
        match self {
            Target::Endpoint(id) => id.as_str(),
            Target::Callback => CALLBACK,
            Target::Dialect(name) => name.as_str(),
        }
    }

    /// Whether the target is a callback (native or a dialect's) rather than an endpoint.
    pub fn is_callback(&self) -> bool {
        !matches!(self, Target::Endpoint(_))
    }
}

/// A delivery claimed by a worker: what sending it needs.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub id: i64,
    /// The lease token the worker holds the delivery under.
    pub token: String,
    /// Attempts made before this one.
    pub attempts: i64,
    pub target: Target,
    /// The callback URL, or the endpoint's current URL.
    pub url: Option<String>,
    /// The endpoint's status (`None` for callbacks).
    pub endpoint_status: Option<EndpointStatus>,
    /// The dialect an endpoint was registered through (`None` for native endpoints and
    /// callbacks).
    pub endpoint_dialect: Option<DialectName>,
    pub store_id: StoreId,
    pub environment: Environment,
    pub event: Event,
    /// The signing secret's nonce (`None` for a callback of a store that never rotated its
    /// secret), and the previous one with the end of its grace period.
    pub nonce: Option<String>,
    pub previous: Option<(String, Timestamp)>,
}

/// What became of a delivery after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    Delivered,
    RetryAt(Timestamp),
    Failed,
}

/// One attempt, as recorded.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub delivery_id: i64,
    pub number: i64,
    pub attempted_at: Timestamp,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_target_reads_back_as_what_it_names() {
        let endpoint = WebhookEndpointId::generate(1, [3; 10]);
        assert_eq!(Target::parse(endpoint.as_str().to_owned()), Target::Endpoint(endpoint));
        assert_eq!(Target::parse("callback".to_owned()), Target::Callback);
        assert_eq!(Target::parse("acme".to_owned()), Target::Dialect(DialectName::of("acme")));
        assert!(Target::parse("acme".to_owned()).is_callback());
    }
}
