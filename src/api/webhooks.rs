//! `/v1/webhook_endpoints` (OWNER, ADMIN): where signed events go, their secrets and replays; and
//! `/v1/store/callback_secret`, the secret per-link callbacks are signed with.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Auth, OptionalJson};
use super::idempotency::ShownOnce;
use crate::domain::{ErrorKind, Timestamp};
use crate::dto::tenancy::ListOf;
use crate::dto::webhook::{DeliveryList, DeliveryOut, WebhookEndpointOut};
use crate::service::webhook_deliveries::{self, DeliveryListInput};
use crate::service::webhooks::{self, EndpointFields, WithSecret};
use crate::service::{Ctx, ServiceError, callbacks};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(list_webhook_endpoints, create_webhook_endpoint))
        .routes(routes!(get_webhook_endpoint, update_webhook_endpoint, delete_webhook_endpoint))
        .routes(routes!(rotate_webhook_secret))
        .routes(routes!(replay_webhook_endpoint))
        .routes(routes!(list_webhook_deliveries))
        .routes(routes!(get_callback_secret))
        .routes(routes!(rotate_callback_secret))
}

/// A new endpoint, or changes to one (absent fields keep their value).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointIn {
    /// Where to POST events: http or https (required on create). Production endpoints may not
    /// point at loopback or private addresses.
    pub url: Option<String>,
    /// Event types to receive (`payment.succeeded`, …), or `["*"]` (the default) for all.
    pub event_types: Option<Vec<String>>,
    /// A note for the merchant (≤ 500 characters); null clears it.
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// false pauses deliveries; true resumes (also after a 410 disabled it).
    pub enabled: Option<bool>,
}

impl From<EndpointIn> for EndpointFields {
    fn from(i: EndpointIn) -> Self {
        EndpointFields { url: i.url, event_types: i.event_types, description: i.description, enabled: i.enabled }
    }
}

fn shown(ctx: &Ctx, w: WithSecret) -> WebhookEndpointOut {
    WebhookEndpointOut::new(w.endpoint, Some(w.secret), ctx.clock.now())
}

/// Lists the store's endpoints in the key's environment.
#[utoipa::path(get, path = "/v1/webhook_endpoints", tag = "webhooks",
    responses((status = 200, body = ListOf<WebhookEndpointOut>), (status = 403, body = ErrorBody)))]
pub async fn list_webhook_endpoints(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
) -> ApiResult<Json<ListOf<WebhookEndpointOut>>> {
    let now = ctx.clock.now();
    let found = webhooks::list_endpoints(&ctx, &actor).await?;
    Ok(Json(ListOf::new(found.into_iter().map(|w| WebhookEndpointOut::new(w, None, now)).collect())))
}

/// Registers an endpoint. The answer carries its signing secret (`whsec_…`), shown only here and
/// on rotation.
#[utoipa::path(post, path = "/v1/webhook_endpoints", tag = "webhooks", request_body = EndpointIn,
    responses((status = 201, body = WebhookEndpointOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_webhook_endpoint(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<EndpointIn>,
) -> ApiResult<(StatusCode, Extension<ShownOnce>, Json<WebhookEndpointOut>)> {
    let created = webhooks::create_endpoint(&ctx, &actor, body.into()).await?;
    Ok((StatusCode::CREATED, Extension(ShownOnce), Json(shown(&ctx, created))))
}

/// Reads an endpoint (without its secret).
#[utoipa::path(get, path = "/v1/webhook_endpoints/{id}", tag = "webhooks", params(("id" = String, Path, description = "Endpoint id")),
    responses((status = 200, body = WebhookEndpointOut), (status = 404, body = ErrorBody)))]
pub async fn get_webhook_endpoint(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<WebhookEndpointOut>> {
    let w = webhooks::get_endpoint(&ctx, &actor, &id).await?;
    Ok(Json(WebhookEndpointOut::new(w, None, ctx.clock.now())))
}

/// Changes an endpoint's URL, event types, description, or pauses / resumes it.
#[utoipa::path(patch, path = "/v1/webhook_endpoints/{id}", tag = "webhooks", request_body = EndpointIn,
    params(("id" = String, Path, description = "Endpoint id")),
    responses((status = 200, body = WebhookEndpointOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_webhook_endpoint(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndpointIn>,
) -> ApiResult<Json<WebhookEndpointOut>> {
    let w = webhooks::update_endpoint(&ctx, &actor, &id, body.into()).await?;
    Ok(Json(WebhookEndpointOut::new(w, None, ctx.clock.now())))
}

/// Deletes an endpoint: nothing more is sent to it; its past deliveries stay visible.
#[utoipa::path(delete, path = "/v1/webhook_endpoints/{id}", tag = "webhooks", params(("id" = String, Path, description = "Endpoint id")),
    responses((status = 200, body = WebhookEndpointOut), (status = 404, body = ErrorBody)))]
pub async fn delete_webhook_endpoint(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<WebhookEndpointOut>> {
    let w = webhooks::delete_endpoint(&ctx, &actor, &id).await?;
    Ok(Json(WebhookEndpointOut::new(w, None, ctx.clock.now())))
}

/// How long the previous secret keeps signing after a rotation (the body is optional).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RotateIn {
    /// Seconds the previous secret still signs next to the new one (default 86400; 0 ends it now;
    /// at most 604800).
    pub grace_period_secs: Option<i64>,
}

/// Replaces the signing secret; during the grace period every delivery carries both signatures.
#[utoipa::path(post, path = "/v1/webhook_endpoints/{id}/rotate_secret", tag = "webhooks", request_body = Option<RotateIn>,
    params(("id" = String, Path, description = "Endpoint id")),
    responses((status = 200, body = WebhookEndpointOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn rotate_webhook_secret(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    OptionalJson(body): OptionalJson<RotateIn>,
) -> ApiResult<(Extension<ShownOnce>, Json<WebhookEndpointOut>)> {
    let grace = body.grace_period_secs;
    let rotated = webhooks::rotate_secret(&ctx, &actor, &id, grace).await?;
    Ok((Extension(ShownOnce), Json(shown(&ctx, rotated))))
}

/// A time range of events to send again.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplayIn {
    /// Events created at or after (RFC 3339).
    pub from: String,
    /// Events created before (RFC 3339); at most 31 days after `from`.
    pub to: String,
}

/// How many deliveries a replay or redelivery scheduled.
#[derive(Serialize, ToSchema)]
pub struct Scheduled {
    /// Deliveries now due (deliveries already pending keep their turn and are not counted).
    pub scheduled: u64,
}

fn instant(text: &str, field: &str) -> Result<Timestamp, ServiceError> {
    Timestamp::parse_rfc3339(text).ok_or_else(|| ServiceError::field(field, ErrorKind::Invalid, "must be RFC 3339"))
}

/// Sends again every subscribed event of a time range to this endpoint (after an outage).
#[utoipa::path(post, path = "/v1/webhook_endpoints/{id}/replay", tag = "webhooks", request_body = ReplayIn,
    params(("id" = String, Path, description = "Endpoint id")),
    responses((status = 202, body = Scheduled), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn replay_webhook_endpoint(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReplayIn>,
) -> ApiResult<(StatusCode, Json<Scheduled>)> {
    let (from, to) = (instant(&body.from, "from")?, instant(&body.to, "to")?);
    let scheduled = webhooks::replay(&ctx, &actor, &id, from, to).await?;
    Ok((StatusCode::ACCEPTED, Json(Scheduled { scheduled })))
}

/// Lists the endpoint's deliveries, newest first (attempts are on each event).
#[utoipa::path(get, path = "/v1/webhook_endpoints/{id}/deliveries", tag = "webhooks",
    params(("id" = String, Path, description = "Endpoint id"), DeliveryListInput),
    responses((status = 200, body = DeliveryList), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_webhook_deliveries(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiQuery(input): ApiQuery<DeliveryListInput>,
) -> ApiResult<Json<DeliveryList>> {
    let page = webhook_deliveries::list_deliveries(&ctx, &actor, &id, input).await?;
    let data: Vec<DeliveryOut> = page.items.into_iter().map(Into::into).collect();
    let next_cursor = if page.has_more { data.last().map(|d| d.event_id.clone()) } else { None };
    Ok(Json(DeliveryList { object: "list", data, has_more: page.has_more, next_cursor }))
}

/// The secret callbacks to links' `callback_url` are signed with.
#[derive(Serialize, ToSchema)]
pub struct CallbackSecretOut {
    /// Always `callback_secret`.
    pub object: &'static str,
    /// `whsec_…`: verify `webhook-signature` with it like any Standard Webhooks secret.
    pub secret: String,
}

/// Reads the store's callback secret (OWNER, ADMIN).
#[utoipa::path(get, path = "/v1/store/callback_secret", tag = "webhooks",
    responses((status = 200, body = CallbackSecretOut), (status = 403, body = ErrorBody)))]
pub async fn get_callback_secret(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<Json<CallbackSecretOut>> {
    let secret = callbacks::callback_secret(&ctx, &actor).await?;
    Ok(Json(CallbackSecretOut { object: "callback_secret", secret }))
}

/// Replaces the callback secret; the previous one signs along during the grace period.
#[utoipa::path(post, path = "/v1/store/callback_secret/rotate", tag = "webhooks", request_body = Option<RotateIn>,
    responses((status = 200, body = CallbackSecretOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn rotate_callback_secret(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    OptionalJson(body): OptionalJson<RotateIn>,
) -> ApiResult<(Extension<ShownOnce>, Json<CallbackSecretOut>)> {
    let grace = body.grace_period_secs;
    let secret = callbacks::rotate_callback_secret(&ctx, &actor, grace).await?;
    Ok((Extension(ShownOnce), Json(CallbackSecretOut { object: "callback_secret", secret })))
}
