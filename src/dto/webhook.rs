//! Webhook endpoints and deliveries as the API shows them.

use crate::domain::Environment;
use crate::domain::Timestamp;
use crate::domain::webhook::{EndpointStatus, WebhookEndpoint};
use crate::store::delivery_log::{AttemptRecord, DeliveryRecord};
use serde::Serialize;
use utoipa::ToSchema;

/// A URL of the merchant's that receives signed events (Standard Webhooks).
#[derive(Serialize, ToSchema)]
pub struct WebhookEndpointOut {
    /// Endpoint id (`we_…`).
    pub id: String,
    /// Always `webhook_endpoint`.
    pub object: &'static str,
    /// Where events are POSTed (http or https).
    pub url: String,
    /// The merchant's note.
    pub description: Option<String>,
    /// The event types delivered here; `["*"]` for all.
    pub event_types: Vec<String>,
    /// `enabled` or `disabled` (by the merchant, or after the receiver answered 410 Gone).
    pub status: &'static str,
    /// Why the endpoint is disabled.
    pub disabled_reason: Option<String>,
    /// `sandbox` or `production`.
    pub environment: Environment,
    /// The dialect an endpoint was registered through (its deliveries take that dialect's
    /// envelope and signature; see docs/dialects.md); null for a native one.
    pub dialect: Option<String>,
    /// The signing secret (`whsec_…`): present only in the answers to create and rotate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Until when the previous secret still signs too (after a rotation).
    pub previous_secret_expires_at: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

impl WebhookEndpointOut {
    /// The endpoint as shown at `now`, with its secret when it was just created or rotated.
    pub fn new(w: WebhookEndpoint, secret: Option<String>, now: Timestamp) -> Self {
        WebhookEndpointOut {
            id: w.id.as_str().to_owned(),
            object: "webhook_endpoint",
            url: w.url,
            description: w.description,
            event_types: w.subscription.types(),
            status: match w.status {
                EndpointStatus::Enabled => "enabled",
                EndpointStatus::Disabled => "disabled",
                EndpointStatus::Deleted => "deleted",
            },
            disabled_reason: w.disabled_reason,
            environment: w.environment,
            dialect: w.dialect.map(|d| d.to_string()),
            secret,
            previous_secret_expires_at: w.previous_until.filter(|t| *t > now).map(Timestamp::to_rfc3339),
            created_at: w.created_at.to_rfc3339(),
            updated_at: w.updated_at.to_rfc3339(),
        }
    }
}

/// One event's delivery to one target, with every attempt.
#[derive(Serialize, ToSchema)]
pub struct DeliveryOut {
    /// Always `delivery`.
    pub object: &'static str,
    /// The event delivered (`evt_…`).
    pub event_id: String,
    /// The event's type (`payment.succeeded`, …).
    pub event_type: String,
    /// The webhook endpoint (`we_…`); `callback` for the link's `callback_url`; the name of the
    /// dialect that made the link for that dialect's callback (see docs/dialects.md).
    pub endpoint_id: String,
    /// Where it is sent.
    pub url: Option<String>,
    /// `pending` (an attempt is due at `next_attempt_at`), `delivered` or `failed`.
    pub status: String,
    /// Attempts made so far.
    pub attempt_count: i64,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: Option<String>,
    /// HTTP status of the last attempt.
    pub last_status_code: Option<i64>,
    /// Why the last attempt failed without an HTTP status (`timeout: …`, `refused: …`), or why
    /// the delivery ended unsent (`endpoint_disabled`).
    pub last_error: Option<String>,
    /// When the delivery was first scheduled.
    pub created_at: String,
    /// Every attempt, oldest first (empty in a list of deliveries).
    pub attempts: Vec<AttemptOut>,
}

/// A page of an endpoint's deliveries, newest first.
#[derive(Serialize, ToSchema)]
pub struct DeliveryList {
    /// Always `list`.
    pub object: &'static str,
    /// The deliveries of this page (their attempts are on `GET /v1/events/{id}`).
    pub data: Vec<DeliveryOut>,
    /// Whether more deliveries follow.
    pub has_more: bool,
    /// Pass as `starting_after` for the next page.
    pub next_cursor: Option<String>,
}

/// One HTTP request made for a delivery.
#[derive(Serialize, ToSchema)]
pub struct AttemptOut {
    /// 1 for the first attempt.
    pub number: i64,
    /// When the request started.
    pub attempted_at: String,
    /// The receiver's HTTP status, if it answered.
    pub status_code: Option<i64>,
    /// Milliseconds until the answer (or the failure).
    pub latency_ms: i64,
    /// Why there was no answer.
    pub error: Option<String>,
    /// The first bytes of the answer's body.
    pub response_excerpt: Option<String>,
}

impl From<DeliveryRecord> for DeliveryOut {
    fn from(d: DeliveryRecord) -> Self {
        DeliveryOut {
            object: "delivery",
            event_id: d.event_id,
            event_type: d.event_type,
            endpoint_id: d.endpoint_id,
            url: d.url,
            status: d.status,
            attempt_count: d.attempts,
            next_attempt_at: d.next_attempt_at.map(Timestamp::to_rfc3339),
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            created_at: d.created_at.to_rfc3339(),
            attempts: d.tries.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<AttemptRecord> for AttemptOut {
    fn from(a: AttemptRecord) -> Self {
        AttemptOut {
            number: a.number,
            attempted_at: a.attempted_at.to_rfc3339(),
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            error: a.error,
            response_excerpt: a.response_excerpt,
        }
    }
}
