//! BirrLink webhook endpoints: `POST /webhooks` as seed 003 documents it, and what BirrLink's
//! docs leave out designed in its style: the signing secret returned once by the
//! create, `GET /webhooks`, `DELETE /webhooks/{id}`. Each is the native webhook service
//! (`service::webhooks`: OWNER / ADMIN keys, the same URL checks and per-store cap) with the
//! endpoint marked as BirrLink's, so its deliveries take BirrLink's envelope (`event`),
//! `BirrLink-Signature` and retry policy. Only BirrLink endpoints are listed or deleted here;
//! the native API shows them too (with the Paylink event types they stand for).

use super::auth::BirrLinkActor;
use super::catalogue;
use super::error::{BirrLinkResult, ErrorEnvelope, success};
use super::extract::BirrLinkJson;
use super::refund_view::time;
use crate::api::idempotency::ShownOnce;
use crate::domain::dialect::DialectName;
use crate::domain::webhook::{EndpointStatus, WebhookEndpoint};
use crate::service::Ctx;
use crate::service::webhooks::{self, EndpointFields};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The webhook routes (relative to the dialect's base path).
pub fn routes() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(create_webhook, list_webhooks)).routes(routes!(delete_webhook))
}

/// A new webhook endpoint (seed 003).
#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookIn {
    /// Where events are POSTed: an http or https URL (with a production key, private and
    /// loopback addresses are refused).
    #[schema(example = "https://yourwebsite.com/webhooks/birrlink")]
    pub url: Option<String>,
    /// The events to receive, from BirrLink's catalogue: `payment.created`, `payment.pending`,
    /// `payment.processing`, `payment.completed`, `payment.failed`, `payment.cancelled`,
    /// `refund.created`, `refund.approved`, `refund.completed`, `refund.failed`,
    /// `customer.created`, `customer.updated`.
    #[schema(example = json!(["payment.completed", "payment.failed"]))]
    pub events: Option<Vec<String>>,
    /// A note for you (at most 500 characters).
    #[schema(example = "Webhook for payment notifications")]
    pub description: Option<String>,
}

/// A webhook endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookData {
    /// Endpoint id (`we_…`).
    #[schema(example = "we_01JD8X3V9Q2W5E7R9T1Y3U5I7O")]
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// The events it receives, as registered.
    pub events: Vec<String>,
    /// Your note.
    pub description: Option<String>,
    /// `enabled`, or `disabled` (through Paylink's native API).
    #[schema(example = "enabled")]
    pub status: &'static str,
    /// The signing secret (`whsec_…`): returned by the create only. Verify
    /// `BirrLink-Signature` with it (HMAC-SHA256 of the raw body, keyed with this text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// When it was registered (ISO 8601, UTC).
    pub created_at: String,
}

impl WebhookData {
    fn new(w: WebhookEndpoint, secret: Option<String>) -> Self {
        WebhookData {
            id: w.id.to_string(),
            url: w.url,
            events: w.dialect_events.unwrap_or_default(),
            description: w.description,
            status: if w.status == EndpointStatus::Enabled { "enabled" } else { "disabled" },
            secret,
            created_at: time(w.created_at),
        }
    }
}

/// The webhook endpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    /// Oldest first, without their secrets.
    pub webhooks: Vec<WebhookData>,
}

/// A deleted endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDeleted {
    /// Endpoint id.
    pub id: String,
    /// Always true.
    pub deleted: bool,
}

/// Registers a webhook endpoint; the answer carries its signing secret, shown only this once.
#[utoipa::path(post, path = "/webhooks", tag = "webhooks", request_body = WebhookIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = inline(super::error::Success<WebhookData>)),
        (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_webhook(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    BirrLinkJson(body): BirrLinkJson<WebhookIn>,
) -> BirrLinkResult<Response> {
    let fields = EndpointFields { url: body.url, description: Some(body.description), ..Default::default() };
    let events = body.events.unwrap_or_default();
    let name = DialectName::of(super::NAME);
    let created = webhooks::create_dialect_endpoint(&ctx, &actor, fields, name, || catalogue::parse(&events)).await?;
    let mut response = success(StatusCode::CREATED, WebhookData::new(created.endpoint, Some(created.secret)));
    response.extensions_mut().insert(ShownOnce);
    Ok(response)
}

/// Lists the webhook endpoints registered through BirrLink's API.
#[utoipa::path(get, path = "/webhooks", tag = "webhooks",
    responses((status = 200, body = inline(super::error::Success<WebhookList>)), (status = 403, body = ErrorEnvelope)))]
pub async fn list_webhooks(State(ctx): State<Ctx>, BirrLinkActor(actor): BirrLinkActor) -> BirrLinkResult<Response> {
    let all = webhooks::list_endpoints(&ctx, &actor).await?;
    let ours = all.into_iter().filter(|w| w.dialect == Some(DialectName::of(super::NAME)));
    Ok(success(StatusCode::OK, WebhookList { webhooks: ours.map(|w| WebhookData::new(w, None)).collect() }))
}

/// Deletes a webhook endpoint: it receives nothing more (attempts still due are dropped).
#[utoipa::path(delete, path = "/webhooks/{webhook_id}", tag = "webhooks",
    params(("webhook_id" = String, Path, description = "Endpoint id (`we_…`)")),
    responses((status = 200, body = inline(super::error::Success<WebhookDeleted>)),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_webhook(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    Path(webhook_id): Path<String>,
) -> BirrLinkResult<Response> {
    let found = webhooks::get_endpoint(&ctx, &actor, &webhook_id).await?;
    if found.dialect != Some(DialectName::of(super::NAME)) {
        return Err(super::error::BirrLinkError::not_found());
    }
    let deleted = webhooks::delete_endpoint(&ctx, &actor, &webhook_id).await?;
    Ok(success(StatusCode::OK, WebhookDeleted { id: deleted.id.to_string(), deleted: true }))
}
