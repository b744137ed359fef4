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

use crate::domain::notification::Notification;

/// How one attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The provider took the message; its answer (message id, response excerpt).
    Sent(String),
    /// It may work later (a timeout, a connection or TLS error, a gateway's 5xx, a 4xx SMTP reply).
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
