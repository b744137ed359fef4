//! `/v1/store/logo`: the store's logo on its hosted pages (OWNER, ADMIN).

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth};
use crate::service::{Ctx, logos};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(set_store_logo, delete_store_logo))
}

/// A logo to set.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoIn {
    /// `image/png`, `image/jpeg` or `image/webp` (no SVG: it could carry script).
    pub content_type: String,
    /// The image, base64 (standard alphabet), at most 32 KiB decoded.
    pub data: String,
}

/// The logo as the pages show it.
#[derive(Serialize, ToSchema)]
pub struct LogoOut {
    /// Always `store_logo`.
    pub object: &'static str,
    /// Where the pages load it from (this server, versioned by the logo's digest).
    pub url: String,
}

/// Sets the store's logo (OWNER, ADMIN).
#[utoipa::path(put, path = "/v1/store/logo", tag = "store", request_body = LogoIn,
    responses((status = 200, body = LogoOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn set_store_logo(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<LogoIn>,
) -> ApiResult<Json<LogoOut>> {
    let path = logos::set_logo(&ctx, &actor, &body.content_type, &body.data).await?;
    Ok(Json(LogoOut { object: "store_logo", url: format!("{}{path}", ctx.config.public_base()) }))
}

/// Removes the store's logo (OWNER, ADMIN); the pages show the store's monogram again.
#[utoipa::path(delete, path = "/v1/store/logo", tag = "store",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_store_logo(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<StatusCode> {
    logos::remove_logo(&ctx, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
