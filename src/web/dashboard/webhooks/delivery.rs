//! `GET /dashboard/developers/webhooks/{id}/deliveries/{event}`: one delivery of an event to an
//! endpoint, with every attempt (time, HTTP status, duration, error, the answer's first bytes)
//! and the event sent (`service::webhook_deliveries::get_delivery`, 404 outside the actor's
//! store and environment); and `POST …/redeliver`, the event sent to this endpoint again by
//! `service::callbacks::redeliver`, the function behind `POST /v1/events/{id}/redeliver` with
//! this `endpoint_id`.

use super::log::scheduled;
use super::{HookTexts, delivery_pill, texts_of};
use crate::dto::event::EventOut;
use crate::service::{Ctx, Result, callbacks, event_log, webhook_deliveries};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::developers::tabs::{DevTab, Tabs};
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::dashboard::status::Pill;
use crate::web::page::Page;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The most of the event's content shown (the page stays light for large metadata).
const CONTENT_CHARS: usize = 4_000;

/// One attempt as a row.
struct Attempt {
    number: i64,
    at: String,
    status_code: String,
    latency_ms: i64,
    error: String,
    response: String,
}

#[derive(Template)]
#[template(path = "dashboard/webhooks/delivery.html")]
struct DeliveryPage<'a> {
    shell: Shell,
    tabs: Tabs,
    ht: &'a HookTexts,
    endpoint_id: String,
    event_id: String,
    event_type: String,
    url: String,
    status: Pill,
    next_attempt: Option<String>,
    attempts: Vec<Attempt>,
    content: String,
}

/// `GET /dashboard/developers/webhooks/{id}/deliveries/{event}`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, Path((id, event)): Path<(String, String)>) -> Response {
    match render(&ctx, &staff, &id, &event).await {
        Ok(r) => r,
        Err(e) => error::page(e, staff.t),
    }
}

/// `POST /dashboard/developers/webhooks/{id}/deliveries/{event}/redeliver`: only a delivery of
/// this endpoint (else 404), then the API's redelivery for this endpoint.
pub async fn redeliver(State(ctx): State<Ctx>, staff: Staff, Path((id, event)): Path<(String, String)>) -> Response {
    let sent = async {
        let d = webhook_deliveries::get_delivery(&ctx, &staff.actor, &id, &event).await?;
        callbacks::redeliver(&ctx, &staff.actor, &d.event_id, Some(d.endpoint_id)).await
    };
    match sent.await {
        Ok(n) => scheduled(&id, n),
        Err(e) => error::page(e, staff.t),
    }
}

async fn render(ctx: &Ctx, staff: &Staff, id: &str, event: &str) -> Result<Response> {
    let ht = texts_of(staff);
    let lang = staff.session.user.language;
    let d = webhook_deliveries::get_delivery(ctx, &staff.actor, id, event).await?;
    let sent = event_log::get_event(ctx, &staff.actor, &d.event_id).await?;
    // Through a `Value`, so the event's raw `data` is indented like the rest.
    let value = serde_json::to_value(EventOut::from(sent)).unwrap_or_default();
    let content = serde_json::to_string_pretty(&value).unwrap_or_default();
    let attempts = d
        .tries
        .into_iter()
        .map(|a| Attempt {
            number: a.number,
            at: staff.when(a.attempted_at),
            status_code: a.status_code.map(|c| c.to_string()).unwrap_or_default(),
            latency_ms: a.latency_ms,
            error: a.error.unwrap_or_default(),
            response: a.response_excerpt.unwrap_or_default(),
        })
        .collect();
    let page = DeliveryPage {
        shell: Shell::new(staff, ht.delivery_title, &format!("{}/{id}/deliveries/{event}", super::BASE)),
        tabs: Tabs::new(lang, DevTab::Webhooks),
        ht,
        endpoint_id: id.to_owned(),
        status: delivery_pill(ht, &d.status),
        next_attempt: d.next_attempt_at.map(|at| staff.when(at)),
        url: d.url.unwrap_or_default(),
        event_id: d.event_id,
        event_type: d.event_type,
        attempts,
        content: content.chars().take(CONTENT_CHARS).collect(),
    };
    Ok(Page::render(StatusCode::OK, &page).into_response())
}
