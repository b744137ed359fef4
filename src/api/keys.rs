//! `/v1/api_keys`: OWNER and ADMIN manage the keys of their store and environment. The secret is
//! in the creation response only; Paylink keeps a digest.

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth};
use super::idempotency::ShownOnce;
use crate::domain::Timestamp;
use crate::domain::access::Role;
use crate::dto::tenancy::{KeyOut, ListOf};
use crate::service::Ctx;
use crate::service::admin::api::{self as admin, KeyRequest};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_api_key, list_api_keys))
        .routes(routes!(get_api_key, update_api_key))
        .routes(routes!(revoke_api_key))
}

/// A new key: bound to a user, or a service key with a role.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKeyIn {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// User id or e-mail the key acts as.
    pub user: Option<String>,
    /// Role of a service key.
    pub role: Option<Role>,
    /// Branch id or code of a SUPERVISOR or CASHIER service key.
    pub branch: Option<String>,
    /// Optional RFC 3339 expiry.
    pub expires_at: Option<String>,
}

/// A created key with its secret (shown only here).
#[derive(Serialize, ToSchema)]
pub struct CreatedKeyOut {
    #[serde(flatten)]
    pub key: KeyOut,
    /// The secret (`sk_test_…` / `sk_live_…`); shown once.
    pub secret: String,
}

/// Creates a key in the caller's store and environment.
#[utoipa::path(post, path = "/v1/api_keys", tag = "api_keys", request_body = CreateKeyIn,
    responses((status = 201, body = CreatedKeyOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_api_key(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(k): ApiJson<CreateKeyIn>,
) -> ApiResult<(StatusCode, Extension<ShownOnce>, Json<CreatedKeyOut>)> {
    let expires_at = match k.expires_at.as_deref() {
        None => None,
        Some(t) => Some(Timestamp::parse_rfc3339(t).ok_or_else(|| {
            ApiError::field(StatusCode::BAD_REQUEST, "INVALID_EXPIRY", "expires_at", "must be an RFC 3339 date-time")
        })?),
    };
    let request = KeyRequest { name: k.name, user: k.user, role: k.role, branch: k.branch, expires_at };
    let created = admin::add_key(&ctx, &actor, request).await?;
    let out = CreatedKeyOut { key: (&created.key).into(), secret: created.secret };
    Ok((StatusCode::CREATED, Extension(ShownOnce), Json(out)))
}

/// Lists the keys of the caller's store and environment.
#[utoipa::path(get, path = "/v1/api_keys", tag = "api_keys", responses((status = 200, body = ListOf<KeyOut>), (status = 403, body = ErrorBody)))]
pub async fn list_api_keys(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<Json<ListOf<KeyOut>>> {
    let keys = admin::api_keys(&ctx, &actor).await?;
    Ok(Json(ListOf::new(keys.iter().map(Into::into).collect())))
}

/// Reads a key.
#[utoipa::path(get, path = "/v1/api_keys/{id}", tag = "api_keys", params(("id" = String, Path, description = "Key id")),
    responses((status = 200, body = KeyOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_api_key(State(ctx): State<Ctx>, Auth(actor): Auth, Path(id): Path<String>) -> ApiResult<Json<KeyOut>> {
    Ok(Json((&admin::api_key(&ctx, &actor, id).await?).into()))
}

/// Changes to a key.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateKeyIn {
    /// New display name.
    pub name: String,
}

/// Renames a key.
#[utoipa::path(patch, path = "/v1/api_keys/{id}", tag = "api_keys", request_body = UpdateKeyIn, params(("id" = String, Path, description = "Key id")),
    responses((status = 200, body = KeyOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_api_key(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(k): ApiJson<UpdateKeyIn>,
) -> ApiResult<Json<KeyOut>> {
    Ok(Json((&admin::rename_key(&ctx, &actor, id, k.name).await?).into()))
}

/// Revokes a key at once.
#[utoipa::path(post, path = "/v1/api_keys/{id}/revoke", tag = "api_keys", params(("id" = String, Path, description = "Key id")),
    responses((status = 200, body = KeyOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_api_key(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<KeyOut>> {
    Ok(Json((&admin::revoke(&ctx, &actor, id).await?).into()))
}
