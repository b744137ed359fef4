//! Webhook endpoints and the retry policy: which events an endpoint takes, and when the next
//! attempt of a failed delivery is due.

use super::Timestamp;
use super::dialect::DialectName;
use super::event::{self, EventType};
use super::id::{StoreId, WebhookEndpointId};
use std::time::Duration;

/// The events an endpoint receives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subscription {
    All,
    Only(Vec<EventType>),
}

impl Subscription {
    /// Parses a list of types; `["*"]` (or an empty list) means all. Errors name the bad entry.
    pub fn parse(types: &[String]) -> Result<Subscription, String> {
        if types.is_empty() || types.iter().any(|t| t == "*") {
            return Ok(Subscription::All);
        }
        let mut only: Vec<EventType> = Vec::with_capacity(types.len());
        for t in types {
            let Some(known) = EventType::parse(t) else {
                let all: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
                return Err(format!("unknown event type {t:?}; use \"*\" or one of {}", all.join(", ")));
            };
            if !only.contains(&known) {
                only.push(known);
            }
        }
        Ok(Subscription::Only(only))
    }

    /// The stored form: `*`, or the types between commas (`,a,b,`) so one `LIKE` finds a type.
    pub fn stored(&self) -> String {
        match self {
            Subscription::All => "*".into(),
            Subscription::Only(types) => event::stored_list(types),
        }
    }

    /// Reads the stored form back (a type this version no longer knows is left out).
    pub fn from_stored(s: &str) -> Subscription {
        match s {
            "*" => Subscription::All,
            _ => Subscription::Only(s.split(',').filter_map(EventType::parse).collect()),
        }
    }

    /// The types as the API shows them (`["*"]` for all).
    pub fn types(&self) -> Vec<String> {
        match self {
            Subscription::All => vec!["*".into()],
            Subscription::Only(types) => types.iter().map(|t| t.as_str().to_owned()).collect(),
        }
    }
}

/// The events of an endpoint registered through a dialect: the names as the dialect gave them
/// (shown back by the dialect) and the Paylink types they stand for (what the outbox matches).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialectEvents {
    pub names: Vec<String>,
    pub subscription: Subscription,
}

/// Whether an endpoint receives deliveries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointStatus {
    Enabled,
    Disabled,
    Deleted,
}

impl EndpointStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointStatus::Enabled => "enabled",
            EndpointStatus::Disabled => "disabled",
            EndpointStatus::Deleted => "deleted",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<EndpointStatus> {
        [EndpointStatus::Enabled, EndpointStatus::Disabled, EndpointStatus::Deleted]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// A merchant's webhook endpoint. Its signing secret is derived from `secret_nonce` and never
/// stored; during a rotation the previous one keeps signing until `previous_until`.
#[derive(Clone, Debug)]
pub struct WebhookEndpoint {
    pub id: WebhookEndpointId,
    pub store_id: StoreId,
    pub environment: super::Environment,
    pub url: String,
    pub description: Option<String>,
    pub subscription: Subscription,
    pub status: EndpointStatus,
    pub disabled_reason: Option<String>,
    pub secret_nonce: String,
    pub previous_nonce: Option<String>,
    pub previous_until: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The dialect the endpoint was registered through: its deliveries take that dialect's
    /// envelope and signature. `None` for a native endpoint.
    pub dialect: Option<DialectName>,
    /// The events as the dialect names them (shown back by the dialect), for a dialect endpoint.
    pub dialect_events: Option<Vec<String>>,
}

/// When the next attempt is due after a failed one, or `None` when the schedule is exhausted.
/// `attempts_made` counts the attempts so far (≥ 1); `delays` are the waits after each failure;
/// `jitter` in [-1, 1] moves the wait by up to `jitter_percent`; a receiver's `Retry-After`
/// postpones the attempt (never brings it forward), up to `retry_after_max`.
pub struct RetryPolicy<'a> {
    pub delays_secs: &'a [u64],
    pub jitter_percent: u64,
    pub retry_after_max: Duration,
}

impl RetryPolicy<'_> {
    /// The wait before the next attempt, or `None` if `attempts_made` used the whole schedule.
    pub fn next_wait(&self, attempts_made: usize, retry_after: Option<Duration>, jitter: f64) -> Option<Duration> {
        let base = *self.delays_secs.get(attempts_made.checked_sub(1)?)?;
        let spread = base as f64 * self.jitter_percent as f64 / 100.0 * jitter.clamp(-1.0, 1.0);
        let scheduled = Duration::from_secs_f64((base as f64 + spread).max(0.0));
        let asked = retry_after.map(|r| r.min(self.retry_after_max)).unwrap_or_default();
        Some(scheduled.max(asked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: [u64; 9] = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400];

    fn policy() -> RetryPolicy<'static> {
        RetryPolicy { delays_secs: &DEFAULT, jitter_percent: 10, retry_after_max: Duration::from_secs(3600) }
    }

    #[test]
    fn the_default_schedule_gives_ten_attempts_then_stops() {
        let p = policy();
        let waits: Vec<u64> = (1..=9).map(|n| p.next_wait(n, None, 0.0).unwrap().as_secs()).collect();
        assert_eq!(waits, DEFAULT);
        assert_eq!(p.next_wait(10, None, 0.0), None);
    }

    #[test]
    fn jitter_stays_within_its_percentage() {
        let p = policy();
        assert_eq!(p.next_wait(2, None, 1.0).unwrap().as_secs(), 330);
        assert_eq!(p.next_wait(2, None, -1.0).unwrap().as_secs(), 270);
        assert_eq!(p.next_wait(2, None, 7.0).unwrap().as_secs(), 330, "jitter is clamped");
    }

    #[test]
    fn retry_after_postpones_up_to_its_bound_but_never_brings_an_attempt_forward() {
        let p = policy();
        assert_eq!(p.next_wait(1, Some(Duration::from_secs(60)), 0.0).unwrap().as_secs(), 60);
        assert_eq!(p.next_wait(1, Some(Duration::from_secs(86_400)), 0.0).unwrap().as_secs(), 3600);
        assert_eq!(p.next_wait(2, Some(Duration::from_secs(1)), 0.0).unwrap().as_secs(), 300);
    }

    #[test]
    fn subscriptions_round_trip_and_refuse_unknown_types() {
        let s = Subscription::parse(&["payment.succeeded".into(), "payment_link.paid".into()]).unwrap();
        assert_eq!(s.stored(), ",payment.succeeded,payment_link.paid,");
        assert_eq!(Subscription::from_stored(&s.stored()), s);
        assert_eq!(Subscription::parse(&["*".into()]).unwrap(), Subscription::All);
        assert!(Subscription::parse(&["payment.exploded".into()]).unwrap_err().contains("payment.exploded"));
    }
}
