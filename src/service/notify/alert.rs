//! Messages to the merchant rather than the payer: a callback to the merchant's system failed.
//! The text is rendered by whoever raises the alert (it knows the facts); the record is queued
//! like any other e-mail, against the link and payment it is about.

use crate::domain::Timestamp;
use crate::domain::id::{NotificationId, PaymentId};
use crate::domain::link::{Language, Link};
use crate::domain::notification::{Channel, Kind, Notification, Provider, Status};
use crate::notify::template::Rendered;
use crate::service::{Ctx, secrets};

/// The e-mail telling `recipient` that a callback about `payment` on `link` failed, queued now.
pub fn callback_failed(
    ctx: &Ctx,
    (link, payment): (&Link, &PaymentId),
    recipient: String,
    text: Rendered,
    now: Timestamp,
) -> Notification {
    let (ms, rnd) = secrets::id_parts(now);
    Notification {
        id: NotificationId::generate(ms, rnd),
        store_id: link.store_id.clone(),
        environment: link.environment,
        link_id: link.id.clone(),
        payment_id: Some(payment.clone()),
        branch_id: link.branch_id.clone(),
        link_created_by: link.created_by.clone(),
        channel: Channel::Email,
        recipient,
        language: Language::En,
        kind: Kind::CallbackFailed,
        subject: text.subject,
        body: text.body,
        provider: Provider::parse(&ctx.config.notifications.email_provider).unwrap_or(Provider::Log),
        status: Status::Queued,
        attempts: 0,
        next_attempt_at: now,
        last_error: None,
        provider_response: None,
        created_at: now,
        updated_at: now,
        sent_at: None,
    }
}
