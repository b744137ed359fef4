//! `/v1/branches`: OWNER and ADMIN manage the store's branches.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth};
use crate::dto::tenancy::{BranchOut, ListOf};
use crate::service::Ctx;
use crate::service::admin::api as admin;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_branch, list_branches))
        .routes(routes!(get_branch, update_branch))
        .routes(routes!(disable_branch))
}

/// A new branch.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBranchIn {
    /// Unique code in the store: letters, digits, `-`, `_` (`RIYADH-001`).
    pub code: String,
    /// Display name.
    pub name: String,
}

/// Creates a branch.
#[utoipa::path(post, path = "/v1/branches", tag = "branches", request_body = CreateBranchIn,
    responses((status = 201, body = BranchOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_branch(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(b): ApiJson<CreateBranchIn>,
) -> ApiResult<(StatusCode, Json<BranchOut>)> {
    let branch = admin::add_branch(&ctx, &actor, b.code, b.name).await?;
    Ok((StatusCode::CREATED, Json((&branch).into())))
}

/// Lists the store's branches.
#[utoipa::path(get, path = "/v1/branches", tag = "branches", responses((status = 200, body = ListOf<BranchOut>), (status = 403, body = ErrorBody)))]
pub async fn list_branches(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<Json<ListOf<BranchOut>>> {
    let branches = admin::branches(&ctx, &actor).await?;
    Ok(Json(ListOf::new(branches.iter().map(Into::into).collect())))
}

/// Reads a branch by id or code.
#[utoipa::path(get, path = "/v1/branches/{id}", tag = "branches", params(("id" = String, Path, description = "Branch id or code")),
    responses((status = 200, body = BranchOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_branch(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<BranchOut>> {
    Ok(Json((&admin::branch(&ctx, &actor, id).await?).into()))
}

/// Changes to a branch.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBranchIn {
    /// New display name.
    pub name: Option<String>,
    /// Disable (true) or re-enable (false).
    pub disabled: Option<bool>,
}

/// Renames, disables or re-enables a branch.
#[utoipa::path(patch, path = "/v1/branches/{id}", tag = "branches", request_body = UpdateBranchIn, params(("id" = String, Path, description = "Branch id or code")),
    responses((status = 200, body = BranchOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_branch(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<UpdateBranchIn>,
) -> ApiResult<Json<BranchOut>> {
    Ok(Json((&admin::change_branch(&ctx, &actor, id, b.name, b.disabled).await?).into()))
}

/// Disables a branch (new links can no longer be assigned to it).
#[utoipa::path(post, path = "/v1/branches/{id}/disable", tag = "branches", params(("id" = String, Path, description = "Branch id or code")),
    responses((status = 200, body = BranchOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn disable_branch(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<BranchOut>> {
    Ok(Json((&admin::change_branch(&ctx, &actor, id, None, Some(true)).await?).into()))
}
