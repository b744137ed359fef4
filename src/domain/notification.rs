//! Messages to payers (and merchants) as stored: which channel, what they say, who sends them
//! and where each is in its delivery. The record is shared by the service that queues messages,
//! the store that keeps them and the providers that send them (`crate::notify`).

use super::id::{BranchId, LinkId, NotificationId, PaymentId, StoreId};
use super::link::Language;
use super::{Environment, Timestamp};

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
        /// To the merchant: a callback to the merchant's system failed.
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
