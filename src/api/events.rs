//! `/v1/events`: the event log in the key's scope, newest first.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiQuery, Auth};
use crate::dto::event::EventOut;
use crate::service::Ctx;
use crate::service::event_log::{self, EventListInput};
use axum::Json;
use axum::extract::{Path, State};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(list_events)).routes(routes!(get_event))
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
    let (events, has_more) = event_log::list_events(&ctx, &actor, input).await?;
    let data: Vec<EventOut> = events.into_iter().map(Into::into).collect();
    let next_cursor = if has_more { data.last().map(|e| e.id.clone()) } else { None };
    Ok(Json(EventList { object: "list", data, has_more, next_cursor }))
}

/// Reads an event.
#[utoipa::path(get, path = "/v1/events/{id}", tag = "events", params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = EventOut), (status = 404, body = ErrorBody)))]
pub async fn get_event(State(ctx): State<Ctx>, Auth(actor): Auth, Path(id): Path<String>) -> ApiResult<Json<EventOut>> {
    Ok(Json(event_log::get_event(&ctx, &actor, &id).await?.into()))
}
