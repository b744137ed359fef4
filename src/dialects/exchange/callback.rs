//! The project callback of Amwal Exchange: when an invoice is paid, POST
//! `{invoiceId, paymentSessionId, secret}` to the project's callback URL (NOTES §3). The receiver
//! must answer 200; otherwise the callback is retried up to 30 times over three days, and each
//! failed attempt e-mails the merchant when the project asks for it. The body is exactly the
//! provider's; Standard Webhooks headers signed with the store's callback secret are added, so a
//! receiver may also check authenticity beyond the unguessable `secret`.

use crate::delivery::sign;
use crate::domain::Timestamp;
use crate::domain::id::{NotificationId, PaymentId};
use crate::domain::link::{Language, Link};
use crate::egress::OutboundRequest;
use crate::notify::template::{self, CallbackFailed};
use crate::notify::{Channel, Kind, Notification, Provider, Status};
use crate::service::{Ctx, secrets};
use crate::store::conn::DbError;
use crate::store::deliveries::{Attempt, Claimed, Next};
use crate::store::{exchange_projects, links, payments, tenancy};
use std::time::Duration;

/// The callback request for a claimed Exchange delivery, or why it cannot be built.
pub async fn request(
    ctx: &Ctx,
    d: &Claimed,
    url: String,
    signed: impl FnOnce(&[u8]) -> Vec<(std::borrow::Cow<'static, str>, String)>,
) -> Result<OutboundRequest, &'static str> {
    let link = paid_link(ctx, d).await.ok_or("invoice_not_found")?;
    let invoice_id = link.dialect_ref.clone().ok_or("invoice_not_found")?;
    let body = serde_json::json!({
        "invoiceId": invoice_id,
        "paymentSessionId": d.event.object_id,
        "secret": sign::invoice_secret(&ctx.signing_key, &invoice_id),
    });
    let body = serde_json::to_vec(&body).unwrap_or_default();
    Ok(OutboundRequest {
        url,
        headers: signed(&body),
        body,
        timeout: Duration::from_secs(ctx.config.delivery.request_timeout_secs),
        max_response_bytes: ctx.config.delivery.max_response_bytes,
    })
}

/// The invoice (link) whose payment the delivery announces.
async fn paid_link(ctx: &Ctx, d: &Claimed) -> Option<Link> {
    let payment_id = PaymentId::from_trusted(d.event.object_id.clone());
    ctx.db
        .read(move |c| match payments::get(c, &payment_id)? {
            Some(p) => links::get_public(c, &p.link_id),
            None => Ok(None),
        })
        .await
        .ok()
        .flatten()
}

/// The merchant's e-mail about a failed attempt, when the project asks for one and names an
/// address; written with the attempt.
pub async fn alert(ctx: &Ctx, d: &Claimed, attempt: &Attempt, next: Next) -> Option<Notification> {
    let link = paid_link(ctx, d).await?;
    let (store_id, env) = (link.store_id.clone(), link.environment);
    let (project, store) = ctx
        .db
        .read(move |c| -> Result<_, DbError> {
            Ok((exchange_projects::get(c, &store_id, env)?, tenancy::get_store(c, &store_id)?))
        })
        .await
        .ok()?;
    let recipient = project.failure_email.filter(|_| project.email_on_failure)?;
    let outcome = match (attempt.status_code, &attempt.error) {
        (Some(code), _) => format!("HTTP {code}"),
        (None, Some(e)) => e.clone(),
        (None, None) => "no answer".to_owned(),
    };
    let next = match next {
        Next::RetryAt(at) => Some(crate::web::format::format_datetime(at, Language::En)),
        _ => None,
    };
    let text = template::render_callback_failed(&CallbackFailed {
        store: &store.map(|s| s.name).unwrap_or_default(),
        invoice_id: link.dialect_ref.as_deref().unwrap_or_default(),
        url: d.url.as_deref().unwrap_or_default(),
        attempt: attempt.number,
        outcome: &outcome,
        next,
    })
    .ok()?;
    Some(notification(ctx, &link, d, recipient, text, attempt.attempted_at))
}

fn notification(
    ctx: &Ctx,
    link: &Link,
    d: &Claimed,
    recipient: String,
    text: template::Rendered,
    now: Timestamp,
) -> Notification {
    let (ms, rnd) = secrets::id_parts(now);
    Notification {
        id: NotificationId::generate(ms, rnd),
        store_id: link.store_id.clone(),
        environment: link.environment,
        link_id: link.id.clone(),
        payment_id: Some(PaymentId::from_trusted(d.event.object_id.clone())),
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
