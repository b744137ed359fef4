//! The project callback of Amwal Exchange: when an invoice is paid, POST
//! `{invoiceId, paymentSessionId, secret}` to the project's callback URL. The receiver
//! must answer 200; otherwise the callback is retried up to 30 times over three days, and each
//! failed attempt e-mails the merchant when the project asks for it. The body is exactly the
//! provider's; Standard Webhooks headers signed with the store's callback secret are added, so a
//! receiver may also check authenticity beyond the unguessable `secret`.

use super::project::PROJECT;
use super::words::invoice_secret;
use crate::domain::format::format_datetime;
use crate::domain::id::PaymentId;
use crate::domain::link::{Language, Link};
use crate::domain::notification::Notification;
use crate::domain::outbox::{Attempt, Delivery, Next};
use crate::domain::sign::Signer;
use crate::egress::OutboundRequest;
use crate::notify::template;
use crate::service::notify::alert;
use crate::service::{Ctx, dialect_callbacks, stores, subjects};
use std::time::Duration;

/// The callback request for a claimed Exchange delivery, or why it cannot be built.
pub async fn request(ctx: &Ctx, d: &Delivery, url: String, signer: &Signer) -> Result<OutboundRequest, &'static str> {
    let link = paid_link(ctx, d).await.ok_or("invoice_not_found")?;
    let invoice_id = link.dialect_ref.clone().ok_or("invoice_not_found")?;
    let body = serde_json::json!({
        "invoiceId": invoice_id,
        "paymentSessionId": d.event.object_id,
        "secret": invoice_secret(&ctx.signing_key, &invoice_id),
    });
    let body = serde_json::to_vec(&body).unwrap_or_default();
    Ok(OutboundRequest {
        url,
        headers: signer.standard_headers(d.event.id.as_str(), &body),
        body,
        timeout: Duration::from_secs(ctx.config.delivery.request_timeout_secs),
        max_response_bytes: ctx.config.delivery.max_response_bytes,
    })
}

/// The invoice (link) whose payment the delivery announces.
async fn paid_link(ctx: &Ctx, d: &Delivery) -> Option<Link> {
    subjects::payment_with_link(ctx, d).await.ok().flatten().map(|(link, _)| link)
}

/// What the merchant is told when a project callback fails (English: it goes to the
/// merchant's staff); the first line is the subject.
#[derive(askama::Template)]
#[template(path = "dialects/exchange/callback_failed_email.txt")]
struct CallbackFailed<'a> {
    store: &'a str,
    invoice_id: &'a str,
    url: &'a str,
    attempt: i64,
    /// What happened (`HTTP 500`, `timeout: …`).
    outcome: &'a str,
    /// When the next attempt is due (`None`: that was the last one).
    next: Option<String>,
}

/// The merchant's e-mail about a failed attempt, when the project asks for one and names an
/// address; written with the attempt.
pub async fn alert(ctx: &Ctx, d: &Delivery, attempt: &Attempt, next: Next) -> Option<Notification> {
    let link = paid_link(ctx, d).await?;
    let project = dialect_callbacks::settings_of(ctx, &link.store_id, link.environment, PROJECT.dialect).await.ok()?;
    let recipient = project.failure_email.filter(|_| project.email_on_failure)?;
    let store = stores::name(ctx, &link.store_id).await.ok()?;
    let outcome = match (attempt.status_code, &attempt.error) {
        (Some(code), _) => format!("HTTP {code}"),
        (None, Some(e)) => e.clone(),
        (None, None) => "no answer".to_owned(),
    };
    let next = match next {
        Next::RetryAt(at) => Some(format_datetime(at, Language::En)),
        _ => None,
    };
    let text = askama::Template::render(&CallbackFailed {
        store: &store.unwrap_or_default(),
        invoice_id: link.dialect_ref.as_deref().unwrap_or_default(),
        url: d.url.as_deref().unwrap_or_default(),
        attempt: attempt.number,
        outcome: &outcome,
        next,
    })
    .ok()?;
    let payment = PaymentId::from_trusted(d.event.object_id.clone());
    Some(alert::callback_failed(ctx, (&link, &payment), recipient, template::email(&text), attempt.attempted_at))
}
