//! `/v1/events`: the event log in the key's scope, newest first.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiQuery, Auth, OptionalJson};
use super::webhooks::Scheduled;
use crate::dto::event::EventOut;
use crate::service::Ctx;
use crate::service::callbacks;
use crate::service::event_log::{self, EventListInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(list_events)).routes(routes!(get_event)).routes(routes!(redeliver_event))
}

/// A page of events.
#[derive(serde::Serialize, ToSchema)]
pub struct EventList {
    /// Always `list`.
    pub object: &'static str,
    /// The events of this page, newest first.
    pub data: Vec<EventOut>,
    /// Whether more events follow.
    pub has_more: bool,
    /// Pass as `starting_after` for the next page.
    pub next_cursor: Option<String>,
}

/// Lists the events the key can see, newest first.
#[utoipa::path(get, path = "/v1/events", tag = "events", params(EventListInput),
    responses((status = 200, body = EventList), (status = 400, body = ErrorBody)))]
pub async fn list_events(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiQuery(input): ApiQuery<EventListInput>,
) -> ApiResult<Json<EventList>> {
    let page = event_log::list_events(&ctx, &actor, input).await?;
    let data: Vec<EventOut> = page.items.into_iter().map(Into::into).collect();
    let next_cursor = if page.has_more { data.last().map(|e| e.id.clone()) } else { None };
    Ok(Json(EventList { object: "list", data, has_more: page.has_more, next_cursor }))
}

/// Reads an event with its deliveries and every attempt.
#[utoipa::path(get, path = "/v1/events/{id}", tag = "events", params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = EventOut), (status = 404, body = ErrorBody)))]
pub async fn get_event(State(ctx): State<Ctx>, Auth(actor): Auth, Path(id): Path<String>) -> ApiResult<Json<EventOut>> {
    let event = event_log::get_event(&ctx, &actor, &id).await?;
    let deliveries = event_log::deliveries_of(&ctx, event.id.as_str()).await?;
    let mut out = EventOut::from(event);
    out.deliveries = Some(deliveries.into_iter().map(Into::into).collect());
    Ok(Json(out))
}

/// Which deliveries of an event to send again (the body is optional).
#[derive(serde::Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RedeliverIn {
    /// Only this endpoint (`we_…`, or `callback`); default: every enabled endpoint subscribed to
    /// the event's type, and the link's callback.
    pub endpoint_id: Option<String>,
}

/// Sends an event again (OWNER, ADMIN). Deliveries still pending keep their turn.
#[utoipa::path(post, path = "/v1/events/{id}/redeliver", tag = "events", request_body = Option<RedeliverIn>,
    params(("id" = String, Path, description = "Event id")),
    responses((status = 202, body = Scheduled), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn redeliver_event(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    OptionalJson(input): OptionalJson<RedeliverIn>,
) -> ApiResult<(StatusCode, Json<Scheduled>)> {
    let scheduled = callbacks::redeliver(&ctx, &actor, &id, input.endpoint_id).await?;
    Ok((StatusCode::ACCEPTED, Json(Scheduled { scheduled })))
}
