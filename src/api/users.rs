//! `/v1/users`: OWNER and ADMIN manage staff (ADMIN never over owners).

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth};
use crate::domain::access::Role;
use crate::dto::tenancy::{ListOf, UserOut};
use crate::service::Ctx;
use crate::service::admin::api::{self as admin, UserChange};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_user, list_users))
        .routes(routes!(get_user, update_user))
        .routes(routes!(disable_user))
}

/// A new staff user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserIn {
    /// Login e-mail, unique in the merchant.
    pub email: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Role in the merchant.
    pub role: Role,
    /// Branch id or code (required for SUPERVISOR and CASHIER).
    pub branch: Option<String>,
}

/// A created user with the generated password (shown only here).
#[derive(Serialize, ToSchema)]
pub struct CreatedUserOut {
    #[serde(flatten)]
    pub user: UserOut,
    /// The generated password; shown once.
    pub password: String,
}

/// Creates a staff user with a generated password.
#[utoipa::path(post, path = "/v1/users", tag = "users", request_body = CreateUserIn,
    responses((status = 201, body = CreatedUserOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(u): ApiJson<CreateUserIn>,
) -> ApiResult<(StatusCode, Json<CreatedUserOut>)> {
    let created = admin::add_user(&ctx, &actor, u.email, u.name, u.role, u.branch).await?;
    Ok((StatusCode::CREATED, Json(CreatedUserOut { user: (&created.user).into(), password: created.password })))
}

/// Lists the merchant's users.
#[utoipa::path(get, path = "/v1/users", tag = "users", responses((status = 200, body = ListOf<UserOut>), (status = 403, body = ErrorBody)))]
pub async fn list_users(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<Json<ListOf<UserOut>>> {
    let users = admin::users(&ctx, &actor).await?;
    Ok(Json(ListOf::new(users.iter().map(Into::into).collect())))
}

/// Reads a user by id or e-mail.
#[utoipa::path(get, path = "/v1/users/{id}", tag = "users", params(("id" = String, Path, description = "User id or e-mail")),
    responses((status = 200, body = UserOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_user(State(ctx): State<Ctx>, Auth(actor): Auth, Path(id): Path<String>) -> ApiResult<Json<UserOut>> {
    Ok(Json((&admin::user(&ctx, &actor, id).await?).into()))
}

/// Changes to a user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserIn {
    /// New display name.
    pub name: Option<String>,
    /// New role.
    pub role: Option<Role>,
    /// New branch id or code.
    pub branch: Option<String>,
    /// Disable (true) or re-enable (false); a disabled user's keys stop working.
    pub disabled: Option<bool>,
}

/// Changes a user.
#[utoipa::path(patch, path = "/v1/users/{id}", tag = "users", request_body = UpdateUserIn, params(("id" = String, Path, description = "User id or e-mail")),
    responses((status = 200, body = UserOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_user(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(u): ApiJson<UpdateUserIn>,
) -> ApiResult<Json<UserOut>> {
    let change = UserChange { name: u.name, role: u.role, branch: u.branch, disabled: u.disabled };
    Ok(Json((&admin::change_user(&ctx, &actor, id, change).await?).into()))
}

/// Disables a user (revokes their access).
#[utoipa::path(post, path = "/v1/users/{id}/disable", tag = "users", params(("id" = String, Path, description = "User id or e-mail")),
    responses((status = 200, body = UserOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn disable_user(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<UserOut>> {
    let change = UserChange { disabled: Some(true), ..Default::default() };
    Ok(Json((&admin::change_user(&ctx, &actor, id, change).await?).into()))
}
