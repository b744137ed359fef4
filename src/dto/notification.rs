//! A notification (SMS or e-mail to a payer) as the API shows it.

use crate::domain::link::Language;
use crate::domain::notification::{Channel, Kind, Notification, Provider, Status};
use crate::domain::{Environment, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

/// An SMS or e-mail to a payer: the link, or the receipt of a payment. The text is what was
/// (or will be) sent.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct NotificationOut {
    /// Notification id (`ntf_…`).
    pub id: String,
    /// Always `notification`.
    pub object: &'static str,
    /// The link it is about.
    pub payment_link_id: String,
    /// The payment, for a receipt.
    pub payment_id: Option<String>,
    /// `sandbox` or `production`.
    pub environment: Environment,
    /// `sms` or `email`.
    pub channel: Channel,
    /// `link` (the payment link) or `receipt` (a succeeded payment).
    pub kind: Kind,
    /// E.164 phone number or e-mail address.
    pub recipient: String,
    /// `ar` or `en`: the link's language.
    pub language: Language,
    /// The e-mail's subject (null for SMS).
    pub subject: Option<String>,
    /// The text, rendered from the language's template when the notification was queued.
    pub body: String,
    /// `log` (stored only: nothing leaves the server), `http` (SMS gateway) or `smtp`.
    pub provider: Provider,
    /// `queued`, `sent` or `failed`.
    pub status: Status,
    /// Attempts made so far.
    pub attempts: i64,
    /// When a queued notification is tried (again) (RFC 3339); null once sent or failed.
    pub next_attempt_at: Option<String>,
    /// Why the last attempt failed, or `cap_reached: …` when a sending cap stopped it.
    pub last_error: Option<String>,
    /// The provider's answer to the accepted attempt (message id or the start of its response).
    pub provider_response: Option<String>,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// When the provider took it (RFC 3339).
    pub sent_at: Option<String>,
}

impl From<Notification> for NotificationOut {
    fn from(n: Notification) -> Self {
        NotificationOut {
            id: n.id.to_string(),
            object: "notification",
            payment_link_id: n.link_id.to_string(),
            payment_id: n.payment_id.map(|p| p.to_string()),
            environment: n.environment,
            channel: n.channel,
            kind: n.kind,
            recipient: n.recipient,
            language: n.language,
            subject: n.subject,
            body: n.body,
            provider: n.provider,
            status: n.status,
            attempts: n.attempts,
            next_attempt_at: (n.status == Status::Queued).then(|| n.next_attempt_at.to_rfc3339()),
            last_error: n.last_error,
            provider_response: n.provider_response,
            created_at: n.created_at.to_rfc3339(),
            sent_at: n.sent_at.map(Timestamp::to_rfc3339),
        }
    }
}
