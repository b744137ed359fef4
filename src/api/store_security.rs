//! `/v1/store/security`: whether the store's owners and administrators must sign in to the
//! dashboard with two-step verification.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth};
use crate::service::Ctx;
use crate::service::store_security;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(get_store_security, update_store_security))
}

/// The store's sign-in rule.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreSecurityIo {
    /// Whether OWNER and ADMIN users must sign in with two-step verification (those without it
    /// set it up at their next sign-in).
    pub require_two_factor_for_admins: bool,
}

/// Reads the store's sign-in rule (OWNER, ADMIN).
#[utoipa::path(get, path = "/v1/store/security", tag = "users",
    responses((status = 200, body = StoreSecurityIo), (status = 403, body = ErrorBody)))]
pub async fn get_store_security(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<Json<StoreSecurityIo>> {
    let required = store_security::second_factor_required(&ctx, &actor).await?;
    Ok(Json(StoreSecurityIo { require_two_factor_for_admins: required }))
}

/// Changes the store's sign-in rule (OWNER, ADMIN); audited.
#[utoipa::path(patch, path = "/v1/store/security", tag = "users", request_body = StoreSecurityIo,
    responses((status = 200, body = StoreSecurityIo), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update_store_security(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<StoreSecurityIo>,
) -> ApiResult<Json<StoreSecurityIo>> {
    let required = store_security::require_second_factor(&ctx, &actor, body.require_two_factor_for_admins).await?;
    Ok(Json(StoreSecurityIo { require_two_factor_for_admins: required }))
}
