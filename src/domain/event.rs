//! Events: one record per state change, written in the same transaction as the change. The
//! types are a closed vocabulary (webhook subscriptions, dialect mappings and callbacks all name
//! them); an event carries a snapshot of its object and, once numbered, a gap-free sequence
//! number per store and environment.

use super::Timestamp;
use super::id::EventId;

/// Declares the event types with their stored names, in the order the API documents them.
macro_rules! event_types {
    ($($(#[$doc:meta])* $variant:ident = $text:literal),* $(,)?) => {
        /// What happened: the type of an event.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventType {
            $($(#[$doc])* $variant),*
        }

        impl EventType {
            /// Every type, in the documented order.
            pub const ALL: &'static [EventType] = &[$(EventType::$variant),*];

            /// The stored and published name (`payment.succeeded`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$variant => $text),*
                }
            }
        }
    };
}

event_types! {
    LinkCreated = "payment_link.created",
    LinkUpdated = "payment_link.updated",
    LinkPaid = "payment_link.paid",
    LinkExpired = "payment_link.expired",
    LinkCancelled = "payment_link.cancelled",
    PaymentCreated = "payment.created",
    PaymentSucceeded = "payment.succeeded",
    PaymentFailed = "payment.failed",
    RefundCreated = "refund.created",
    RefundApproved = "refund.approved",
    RefundRejected = "refund.rejected",
    RefundSucceeded = "refund.succeeded",
    RefundFailed = "refund.failed",
    CustomerCreated = "customer.created",
    CustomerUpdated = "customer.updated",
}

/// The kind of object an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Link,
    Payment,
    Refund,
    Customer,
}

impl EventType {
    /// Parses a stored or published name.
    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.iter().copied().find(|t| t.as_str() == s)
    }

    /// The kind of object the event is about.
    pub fn subject(self) -> Subject {
        use EventType::*;
        match self {
            LinkCreated | LinkUpdated | LinkPaid | LinkExpired | LinkCancelled => Subject::Link,
            PaymentCreated | PaymentSucceeded | PaymentFailed => Subject::Payment,
            RefundCreated | RefundApproved | RefundRejected | RefundSucceeded | RefundFailed => Subject::Refund,
            CustomerCreated | CustomerUpdated => Subject::Customer,
        }
    }
}

/// A list of types in its stored form, `,a,b,` (so one `replace` or `LIKE` finds a type).
pub fn stored_list(types: &[EventType]) -> String {
    let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    format!(",{},", names.join(","))
}

/// Reads a stored list back; `None` when it names a type this version does not know.
pub fn parse_stored_list(stored: &str) -> Option<Vec<EventType>> {
    stored.split(',').filter(|t| !t.is_empty()).map(EventType::parse).collect()
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event as stored and read back (its store and environment are the reader's scope).
#[derive(Clone, Debug)]
pub struct Event {
    pub id: EventId,
    pub kind: EventType,
    /// The id of the object it is about (a link, payment, refund or customer id).
    pub object_id: String,
    /// The sequence number, once the sequencer has numbered it.
    pub seq: Option<i64>,
    /// `{"object": <snapshot>}` as written with the change.
    pub payload: String,
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_reads_back_from_its_name() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(*t));
        }
        assert_eq!(EventType::parse("payment.exploded"), None);
    }

    #[test]
    fn a_stored_list_reads_back() {
        let types = [EventType::PaymentSucceeded, EventType::LinkExpired];
        assert_eq!(stored_list(&types), ",payment.succeeded,payment_link.expired,");
        assert_eq!(parse_stored_list(&stored_list(&types)).as_deref(), Some(&types[..]));
        assert_eq!(parse_stored_list(",payment.exploded,"), None);
    }

    #[test]
    fn a_type_is_about_the_object_its_name_starts_with() {
        let family = |s: Subject| match s {
            Subject::Link => "payment_link",
            Subject::Payment => "payment",
            Subject::Refund => "refund",
            Subject::Customer => "customer",
        };
        for t in EventType::ALL {
            assert_eq!(t.as_str().split_once('.').unwrap().0, family(t.subject()), "{t}");
        }
    }
}
