//! Messages to the merchant rather than the payer: a callback to the merchant's system failed.
//! The text is rendered by whoever raises the alert (it knows the facts); the record is queued
//! like any other e-mail, against the link and payment it is about.

use super::{Addressee, Outbox, queued};
use crate::domain::Timestamp;
use crate::domain::id::PaymentId;
use crate::domain::link::{Language, Link};
use crate::domain::notification::{Channel, Kind, Notification};
use crate::notify::template::Rendered;
use crate::service::Ctx;

/// The e-mail (in English: it goes to the merchant's staff) telling `recipient` that a callback
/// about `payment` on `link` failed, due `now`.
pub fn callback_failed(
    ctx: &Ctx,
    (link, payment): (&Link, &PaymentId),
    recipient: String,
    text: Rendered,
    now: Timestamp,
) -> Notification {
    let to =
        Addressee { link, payment: Some(payment.clone()), channel: Channel::Email, recipient, language: Language::En };
    queued(&Outbox::of(ctx), to, Kind::CallbackFailed, text, now)
}
