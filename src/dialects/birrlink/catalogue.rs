//! BirrLink's event catalogue and how it maps onto Paylink's events, both ways; and
//! BirrLink's delivery policy (three attempts: at once, after a minute, after ten minutes, each
//! given ten seconds).
//!
//! A BirrLink endpoint stores its events twice: as BirrLink named them (shown back by
//! `GET /birrlink/v1/webhooks`) and as the Paylink types they stand for (what the outbox matches
//! events against). Every Paylink type maps to at most one BirrLink name, so a delivery knows
//! which name to announce.

use crate::domain::event::EventType::{self, *};
use crate::domain::webhook::{DialectEvents, Subscription};

/// Every event BirrLink documents, in its order.
pub const EVENTS: [&str; 12] = [
    "payment.created",
    "payment.pending",
    "payment.processing",
    "payment.completed",
    "payment.failed",
    "payment.cancelled",
    "refund.created",
    "refund.approved",
    "refund.completed",
    "refund.failed",
    "customer.created",
    "customer.updated",
];

/// (BirrLink name, the Paylink types it stands for). A BirrLink payment is a Paylink link, so
/// its creation, cancellation and expiry are link events; an attempt to pay it starting (the
/// payment is `pending` again after a failed attempt) is `payment.pending`. `payment.processing`
/// has no Paylink event: Paylink shows no `processing` status (an attempt in progress leaves the
/// payment `pending`), so an endpoint may subscribe to it but never receives it.
const MAP: [(&str, &[EventType]); 12] = [
    ("payment.created", &[LinkCreated]),
    ("payment.pending", &[PaymentCreated]),
    ("payment.processing", &[]),
    ("payment.completed", &[PaymentSucceeded]),
    ("payment.failed", &[PaymentFailed]),
    ("payment.cancelled", &[LinkCancelled, LinkExpired]),
    ("refund.created", &[RefundCreated]),
    ("refund.approved", &[RefundApproved]),
    ("refund.completed", &[RefundSucceeded]),
    ("refund.failed", &[RefundFailed]),
    ("customer.created", &[CustomerCreated]),
    ("customer.updated", &[CustomerUpdated]),
];

/// Waits after each failed attempt: two retries, after one minute and after ten.
pub const RETRY_SECS: [u64; 2] = [60, 600];

/// How long one attempt may take.
pub const TIMEOUT_SECS: u64 = 10;

/// The BirrLink name of a Paylink event type, if BirrLink has one.
pub fn name_of(native: EventType) -> Option<&'static str> {
    MAP.iter().find(|(_, natives)| natives.contains(&native)).map(|(name, _)| *name)
}

/// The Paylink types a BirrLink name stands for (`None` for a name BirrLink does not document).
pub fn natives_of(name: &str) -> Option<&'static [EventType]> {
    MAP.iter().find(|(n, _)| *n == name).map(|(_, natives)| *natives)
}

/// Parses a BirrLink `events` list: at least one, each from the catalogue. The error is the
/// sentence about the first bad entry.
pub fn parse(names: &[String]) -> Result<DialectEvents, String> {
    if names.is_empty() {
        return Err("must list at least one event".to_owned());
    }
    let mut out = DialectEvents { names: Vec::new(), subscription: Subscription::Only(Vec::new()) };
    let mut natives: Vec<EventType> = Vec::new();
    for name in names {
        let Some(types) = natives_of(name) else {
            return Err(format!("contains an unknown event {name:?}; use any of {}", EVENTS.join(", ")));
        };
        if !out.names.contains(name) {
            out.names.push(name.clone());
            natives.extend_from_slice(types);
        }
    }
    out.subscription = Subscription::Only(natives);
    Ok(out)
}

/// The BirrLink names a set of Paylink types is announced under (for an endpoint whose types
/// were changed through the native API): each type's name, in catalogue order. `Err` names a
/// type BirrLink has no name for.
pub fn names_for(subscription: &Subscription) -> Result<Vec<String>, String> {
    let Subscription::Only(types) = subscription else {
        return Err("a BirrLink endpoint takes BirrLink's events only, not \"*\"".to_owned());
    };
    if let Some(t) = types.iter().find(|t| name_of(**t).is_none()) {
        return Err(format!("{t:?} has no BirrLink event; a BirrLink endpoint takes only events BirrLink names"));
    }
    let names = EVENTS.iter().filter(|n| types.iter().any(|t| name_of(*t) == Some(**n)));
    Ok(names.map(|n| (*n).to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn the_seed_subscription_maps_to_paylink_types() {
        let e = parse(&list(&["payment.completed", "payment.failed"])).unwrap();
        assert_eq!(e.names, ["payment.completed", "payment.failed"]);
        assert_eq!(e.subscription.stored(), ",payment.succeeded,payment.failed,");
    }

    #[test]
    fn every_paylink_type_has_at_most_one_birrlink_name() {
        for t in EventType::ALL {
            let names: Vec<_> = MAP.iter().filter(|(_, natives)| natives.contains(t)).collect();
            assert!(names.len() <= 1, "{t}");
        }
        assert_eq!(name_of(LinkExpired), Some("payment.cancelled"));
        assert_eq!(name_of(RefundSucceeded), Some("refund.completed"));
        assert_eq!((name_of(LinkPaid), name_of(RefundRejected)), (None, None));
    }

    #[test]
    fn unknown_names_repeats_and_empty_lists() {
        assert!(parse(&list(&["payment.exploded"])).unwrap_err().contains("payment.exploded"));
        assert!(parse(&list(&["*"])).is_err());
        assert!(parse(&[]).is_err());
        let e = parse(&list(&["payment.cancelled", "payment.cancelled"])).unwrap();
        assert_eq!(e.names, ["payment.cancelled"]);
        assert_eq!(e.subscription.stored(), ",payment_link.cancelled,payment_link.expired,");
    }

    #[test]
    fn paylink_types_read_back_as_birrlink_names() {
        let e = parse(&list(&["refund.completed", "payment.created"])).unwrap();
        assert_eq!(names_for(&e.subscription).unwrap(), ["payment.created", "refund.completed"]);
        assert!(names_for(&Subscription::All).is_err());
        assert!(names_for(&Subscription::Only(vec![LinkPaid])).is_err());
    }
}
