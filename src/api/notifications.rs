//! `POST /v1/payment_links/{id}/notify` and `/v1/notifications`: sending a link to its payer now,
//! and the SMS and e-mail sent (or stored, with the `log` provider) in the key's scope.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiQuery, Auth, OptionalJson};
use crate::dto::notification::NotificationOut;
use crate::service::Ctx;
use crate::service::notify::list::{self, NotificationListInput};
use crate::service::notify::{self, NotifyInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(notify_payment_link))
        .routes(routes!(list_notifications))
        .routes(routes!(get_notification))
}

/// Send a link to its payer now (`channel` is required; an empty body answers 400 naming it).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NotifyIn {
    /// `sms` or `email`.
    #[schema(example = "sms")]
    pub channel: Option<String>,
    /// Another recipient than the link's customer: an E.164 phone number for `sms`, an e-mail
    /// address for `email`.
    pub to: Option<String>,
}

/// Queues the link, in its language, for its payer by SMS or e-mail (202: it is sent by a
/// worker; follow it at `GET /v1/notifications/{id}`). The link must be open; sending caps per
/// link and per store per hour answer 429 `NOTIFICATION_LIMIT`.
#[utoipa::path(post, path = "/v1/payment_links/{id}/notify", tag = "notifications", request_body = NotifyIn,
    params(("id" = String, Path, description = "Link id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 202, body = NotificationOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn notify_payment_link(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    OptionalJson(body): OptionalJson<NotifyIn>,
) -> ApiResult<(StatusCode, Json<NotificationOut>)> {
    let input = NotifyInput { channel: body.channel, to: body.to };
    let queued = notify::notify_link(&ctx, &actor, &id, input).await?;
    Ok((StatusCode::ACCEPTED, Json(queued.into())))
}

/// A page of notifications.
#[derive(serde::Serialize, ToSchema)]
pub struct NotificationList {
    /// Always `list`.
    pub object: &'static str,
    /// The notifications of this page, newest first.
    pub data: Vec<NotificationOut>,
    /// Whether more notifications follow.
    pub has_more: bool,
    /// Pass as `starting_after` for the next page.
    pub next_cursor: Option<String>,
}

/// Lists the notifications the key can see (those of links in its scope), newest first.
#[utoipa::path(get, path = "/v1/notifications", tag = "notifications", params(NotificationListInput),
    responses((status = 200, body = NotificationList), (status = 400, body = ErrorBody)))]
pub async fn list_notifications(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiQuery(input): ApiQuery<NotificationListInput>,
) -> ApiResult<Json<NotificationList>> {
    let page = list::list_notifications(&ctx, &actor, input).await?;
    let data: Vec<NotificationOut> = page.items.into_iter().map(Into::into).collect();
    let next_cursor = if page.has_more { data.last().map(|n| n.id.clone()) } else { None };
    Ok(Json(NotificationList { object: "list", data, has_more: page.has_more, next_cursor }))
}

/// Reads a notification.
#[utoipa::path(get, path = "/v1/notifications/{id}", tag = "notifications",
    params(("id" = String, Path, description = "Notification id")),
    responses((status = 200, body = NotificationOut), (status = 404, body = ErrorBody)))]
pub async fn get_notification(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<NotificationOut>> {
    Ok(Json(list::get_notification(&ctx, &actor, &id).await?.into()))
}
