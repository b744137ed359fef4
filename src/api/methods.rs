//! `/v1/payment_methods`: every role reads the store's methods; OWNER and ADMIN change them.

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth};
use crate::dto::method::MethodOut;
use crate::dto::tenancy::ListOf;
use crate::service::{Ctx, methods};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(list_payment_methods))
        .routes(routes!(get_payment_method, update_payment_method))
}

/// A path id that is not a number names no method: 404.
fn method_id(id: &str) -> ApiResult<i64> {
    id.parse().map_err(|_| ApiError::not_found())
}

/// Lists the store's payment methods in the key's environment.
#[utoipa::path(get, path = "/v1/payment_methods", tag = "payment_methods", responses((status = 200, body = ListOf<MethodOut>)))]
pub async fn list_payment_methods(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<Json<ListOf<MethodOut>>> {
    let found = methods::list_methods(&ctx, &actor).await?;
    Ok(Json(ListOf::new(found.into_iter().map(Into::into).collect())))
}

/// Reads a payment method.
#[utoipa::path(get, path = "/v1/payment_methods/{id}", tag = "payment_methods", params(("id" = i64, Path, description = "Method id")),
    responses((status = 200, body = MethodOut), (status = 404, body = ErrorBody)))]
pub async fn get_payment_method(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<MethodOut>> {
    Ok(Json(methods::get_method(&ctx, &actor, method_id(&id)?).await?.into()))
}

/// Changes to a payment method.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMethodIn {
    /// New display name (1–100 characters).
    pub name: Option<String>,
    /// Enable (true) or disable (false).
    pub enabled: Option<bool>,
}

/// Renames, enables or disables a payment method (OWNER, ADMIN).
#[utoipa::path(patch, path = "/v1/payment_methods/{id}", tag = "payment_methods", request_body = UpdateMethodIn,
    params(("id" = i64, Path, description = "Method id")),
    responses((status = 200, body = MethodOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_payment_method(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateMethodIn>,
) -> ApiResult<Json<MethodOut>> {
    let changed = methods::change_method(&ctx, &actor, method_id(&id)?, body.name, body.enabled).await?;
    Ok(Json(changed.into()))
}
