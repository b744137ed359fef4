//! Messages to payers: the payment link, or a receipt, by SMS or e-mail, in the link's language.
//!
//! A notification is a row written in the business transaction (the link's creation, the
//! payment's success, or `POST /v1/payment_links/{id}/notify`) with its text already rendered
//! from `templates/notify/{ar,en}/`, so the row is exactly what was sent. Workers claim due rows
//! with a lease and hand each to its provider: `log` (stored only; nothing leaves the machine), an
//! HTTP SMS gateway, or an SMTP relay. Recipients are personal data: they are stored and shown to
//! the merchant, never written to the log.

pub mod http_sms;
pub mod smtp;
pub mod template;

use crate::domain::id::{BranchId, LinkId, NotificationId, PaymentId, StoreId};
use crate::domain::link::Language;
use crate::domain::{Environment, Timestamp};

/// Declares a closed set of stored words with `as_str` and `parse` (and its OpenAPI name).
macro_rules! words {
    ($(#[$doc:meta])* $name:ident as $schema:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
        #[serde(rename_all = "lowercase")]
        #[schema(as = $schema)]
        pub enum $name {
            $($(#[$vdoc])* $variant),*
        }

        impl $name {
            /// The stored and displayed word.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),*
                }
            }

            /// Parses the stored word.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

words!(
    /// How a message travels.
    Channel as NotificationChannel { Sms = "sms", Email = "email" }
);
words!(
    /// What a message says.
    Kind as NotificationKind {
        /// The payment link, to pay it.
        Link = "link",
        /// The receipt of a succeeded payment.
        Receipt = "receipt",
        /// To the merchant: a project callback (Amwal Exchange) failed.
        #[serde(rename = "callback_failed")]
        CallbackFailed = "callback_failed",
    }
);
words!(
    /// Where a message is in its delivery.
    Status as NotificationStatus {
        /// Waiting for (its next) attempt.
        Queued = "queued",
        /// Handed to the provider (for `log`: stored).
        Sent = "sent",
        /// Given up: the attempts ran out, the provider refused it, or a sending cap was reached.
        Failed = "failed",
    }
);
words!(
    /// Who sends a message; chosen from the configuration when it is queued.
    Provider as NotificationProvider { Log = "log", Http = "http", Smtp = "smtp" }
);

/// A notification as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    pub store_id: StoreId,
    pub environment: Environment,
    pub link_id: LinkId,
    pub payment_id: Option<PaymentId>,
    /// The link's branch and creator, for the role scope of lists.
    pub branch_id: Option<BranchId>,
    pub link_created_by: String,
    pub channel: Channel,
    pub recipient: String,
    pub language: Language,
    pub kind: Kind,
    /// E-mail only.
    pub subject: Option<String>,
    pub body: String,
    pub provider: Provider,
    pub status: Status,
    pub attempts: i64,
    /// When a queued message is due (while claimed: the end of the claim's lease).
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    /// The provider's answer to the last attempt (its message id or the start of its response).
    pub provider_response: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

/// How one attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The provider took the message; its answer (message id, response excerpt).
    Sent(String),
    /// It may work later (a timeout, a connection error, a 5xx or a 4xx SMTP reply).
    Retry(String),
    /// It will not work (the provider refused the message itself).
    Fail(String),
}

/// At most `max` bytes of `text`, cut on a character boundary.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}
