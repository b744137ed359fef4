//! What happened to a link, for its detail page: its refunds, its event timeline (with the
//! webhook and callback deliveries of each event and their attempts) and the messages sent for
//! it — each read through the service's own list in the user's scope. A list the role may not
//! read (a cashier and refunds) is shown empty rather than refusing the whole page.

use super::texts::LinkTexts;
use crate::domain::event::EventType;
use crate::domain::format::{format_amount, format_number};
use crate::domain::link::Language;
use crate::domain::notification::{Channel, Notification, Status};
use crate::domain::refund::Refund;
use crate::service::event_log::{self, EventListInput};
use crate::service::notify::list::{self as notifications, NotificationListInput};
use crate::service::refunds::list::{self as refunds, RefundListInput};
use crate::service::{Ctx, Result, ServiceError};
use crate::store::delivery_log::DeliveryRecord;
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::status::{self, Pill};

/// How many of each list the page shows (the newest).
const SHOWN: i64 = 50;

/// A refund of one of the link's payments.
pub struct RefundRow {
    pub amount: String,
    pub status: Pill,
    pub date: String,
    pub reason: Option<String>,
}

/// One delivery of an event to a webhook endpoint or the link's callback.
pub struct DeliveryRow {
    pub url: String,
    pub status: Pill,
    pub attempts: String,
    pub last_code: Option<i64>,
    pub tries: Vec<TryRow>,
}

/// One attempt of a delivery: when, the answer's status (or the error), how long it took.
pub struct TryRow {
    pub number: String,
    pub at: String,
    pub code: Option<i64>,
    pub latency_ms: String,
    pub error: Option<String>,
}

/// One event of the link's story.
pub struct EventRow {
    /// What happened, in words.
    pub what: &'static str,
    /// The event's type (`payment.succeeded`), as webhooks name it.
    pub kind: &'static str,
    pub date: String,
    pub deliveries: Vec<DeliveryRow>,
}

/// One message sent for the link.
pub struct MessageRow {
    pub channel: &'static str,
    pub recipient: String,
    pub status: Pill,
    pub date: String,
}

/// A list the role may not read counts as empty.
fn or_empty<T>(r: Result<Vec<T>>) -> Result<Vec<T>> {
    match r {
        Err(ServiceError::Forbidden(_)) => Ok(Vec::new()),
        other => other,
    }
}

/// The refunds of the link's payments, newest first.
pub async fn refunds_of(ctx: &Ctx, staff: &Staff, link_id: &str) -> Result<Vec<RefundRow>> {
    let input = RefundListInput { payment_link_id: Some(link_id.to_owned()), limit: Some(SHOWN), ..Default::default() };
    let found = or_empty(refunds::list_refunds(ctx, &staff.actor, input).await.map(|p| p.items))?;
    let lang = staff.session.user.language;
    Ok(found.iter().map(|r| refund_row(r, lang, &staff.session.zone)).collect())
}

fn refund_row(r: &Refund, lang: Language, zone: &crate::domain::zone::Zone) -> RefundRow {
    RefundRow {
        amount: format_amount(r.amount, lang),
        status: status::refund(r.status, lang),
        date: crate::domain::format::format_datetime_in(r.created_at, lang, zone),
        reason: r.reason.clone(),
    }
}

/// The link's events (its own, its payments' and their refunds'), newest first, with deliveries.
pub async fn events_of(ctx: &Ctx, staff: &Staff, link_id: &str) -> Result<Vec<EventRow>> {
    let input = EventListInput { payment_link_id: Some(link_id.to_owned()), limit: Some(SHOWN), ..Default::default() };
    let events = event_log::list_events(ctx, &staff.actor, input).await?.items;
    let lang = staff.session.user.language;
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        // Each event is in the actor's scope (the list is), so its deliveries are too.
        let deliveries = event_log::deliveries_of(ctx, event.id.as_str()).await?;
        let deliveries = deliveries.into_iter().map(|d| delivery_row(d, lang, &staff.session.zone)).collect();
        let (what, kind) = (event_words(event.kind, LinkTexts::of(lang)), event.kind.as_str());
        rows.push(EventRow { what, kind, date: staff.when(event.created_at), deliveries });
    }
    Ok(rows)
}

fn delivery_row(d: DeliveryRecord, lang: Language, zone: &crate::domain::zone::Zone) -> DeliveryRow {
    let tries = d
        .tries
        .into_iter()
        .map(|a| TryRow {
            number: format_number(a.number, lang),
            at: crate::domain::format::format_datetime_in(a.attempted_at, lang, zone),
            code: a.status_code,
            latency_ms: format_number(a.latency_ms, lang),
            error: a.error,
        })
        .collect();
    DeliveryRow {
        url: d.url.unwrap_or(d.endpoint_id),
        status: delivery_status(&d.status, LinkTexts::of(lang)),
        attempts: format_number(d.attempts, lang),
        last_code: d.last_status_code,
        tries,
    }
}

/// A delivery's stored status (`pending`, `delivered`, `failed`) as a pill.
fn delivery_status(stored: &str, t: &'static LinkTexts) -> Pill {
    match stored {
        "delivered" => Pill { label: t.delivery_delivered, tone: "ok" },
        "failed" => Pill { label: t.delivery_failed, tone: "bad" },
        _ => Pill { label: t.delivery_pending, tone: "warn" },
    }
}

/// An event type in words; a type without words (a customer's) is shown as its code.
fn event_words(kind: EventType, t: &'static LinkTexts) -> &'static str {
    use EventType::*;
    match kind {
        LinkCreated => t.ev_link_created,
        LinkUpdated => t.ev_link_updated,
        LinkPaid => t.ev_link_paid,
        LinkExpired => t.ev_link_expired,
        LinkCancelled => t.ev_link_cancelled,
        PaymentCreated => t.ev_payment_created,
        PaymentSucceeded => t.ev_payment_succeeded,
        PaymentFailed => t.ev_payment_failed,
        RefundCreated => t.ev_refund_created,
        RefundApproved => t.ev_refund_approved,
        RefundRejected => t.ev_refund_rejected,
        RefundSucceeded => t.ev_refund_succeeded,
        RefundFailed => t.ev_refund_failed,
        other => other.as_str(),
    }
}

/// The SMS and e-mail sent (or waiting) for the link, newest first.
pub async fn messages_of(ctx: &Ctx, staff: &Staff, link_id: &str) -> Result<Vec<MessageRow>> {
    let input = NotificationListInput { link_id: Some(link_id.to_owned()), limit: Some(SHOWN), ..Default::default() };
    let found = notifications::list_notifications(ctx, &staff.actor, input).await?.items;
    let lang = staff.session.user.language;
    Ok(found.iter().map(|n| message_row(n, LinkTexts::of(lang), lang, &staff.session.zone)).collect())
}

fn message_row(
    n: &Notification,
    t: &'static LinkTexts,
    lang: Language,
    zone: &crate::domain::zone::Zone,
) -> MessageRow {
    let channel = match n.channel {
        Channel::Sms => t.sms,
        Channel::Email => t.email_channel,
    };
    let status = match n.status {
        Status::Queued => Pill { label: t.queued, tone: "warn" },
        Status::Sent => Pill { label: t.sent, tone: "ok" },
        Status::Failed => Pill { label: t.failed, tone: "bad" },
    };
    MessageRow {
        channel,
        recipient: n.recipient.clone(),
        status,
        date: crate::domain::format::format_datetime_in(n.created_at, lang, zone),
    }
}
