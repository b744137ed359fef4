//! `/v1/store/exchange_project`: the store's Amwal Exchange project settings in the key's
//! environment (OWNER, ADMIN) — where paid invoices are announced, and whether failed
//! announcements e-mail the merchant.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth};
use crate::domain::Environment;
use crate::domain::id::StoreId;
use crate::service::Ctx;
use crate::service::exchange_projects::{self, ProjectPatch};
use crate::store::exchange_projects::Project;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(get_exchange_project, update_exchange_project))
}

/// A project's settings.
#[derive(Serialize, ToSchema)]
pub struct ExchangeProjectOut {
    /// Always `exchange_project`.
    pub object: &'static str,
    /// The project id Amwal Exchange clients put in their URL: the store id.
    pub project_id: String,
    /// `sandbox` or `production` (the key's).
    pub environment: String,
    /// Where to `PUT` new invoices (with a key of this environment as the bearer token).
    pub invoices_url: String,
    /// Receives `{invoiceId, paymentSessionId, secret}` when an invoice is paid.
    pub callback_url: Option<String>,
    /// Whether paid invoices are announced to `callback_url`.
    pub callback_enabled: bool,
    /// Whether each failed callback attempt e-mails `failure_email`.
    pub email_on_failure: bool,
    /// Who hears of failed callbacks.
    pub failure_email: Option<String>,
    /// When the settings last changed (RFC 3339), or null while they are the defaults.
    pub updated_at: Option<String>,
}

impl ExchangeProjectOut {
    /// The settings of `store`'s project in `env`.
    pub fn new(p: Project, store: &StoreId, env: Environment, base: &str) -> Self {
        ExchangeProjectOut {
            object: "exchange_project",
            project_id: store.to_string(),
            environment: env.as_str().to_owned(),
            invoices_url: format!("{base}{}/projects/{store}/invoices", crate::dialects::exchange::BASE),
            callback_url: p.callback_url,
            callback_enabled: p.callback_enabled,
            email_on_failure: p.email_on_failure,
            failure_email: p.failure_email,
            updated_at: p.updated_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// Changes to a project's settings; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExchangeProjectPatch {
    /// An absolute http(s) URL this environment may reach; null removes it (the callback must
    /// be off then).
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub callback_url: Option<Option<String>>,
    /// Turns the callback on (needs a `callback_url`) or off.
    pub callback_enabled: Option<bool>,
    /// Whether each failed callback attempt e-mails `failure_email`.
    pub email_on_failure: Option<bool>,
    /// An e-mail address; null removes it (no e-mail is sent then).
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub failure_email: Option<Option<String>>,
}

/// Reads the store's Amwal Exchange project settings (OWNER, ADMIN).
#[utoipa::path(get, path = "/v1/store/exchange_project", tag = "exchange_project",
    responses((status = 200, body = ExchangeProjectOut), (status = 403, body = ErrorBody)))]
pub async fn get_exchange_project(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<Json<ExchangeProjectOut>> {
    let project = exchange_projects::get_project(&ctx, &actor).await?;
    Ok(Json(ExchangeProjectOut::new(project, &actor.store_id, actor.environment, ctx.config.public_base())))
}

/// Changes the store's Amwal Exchange project settings (OWNER, ADMIN).
#[utoipa::path(patch, path = "/v1/store/exchange_project", tag = "exchange_project",
    request_body = ExchangeProjectPatch,
    responses((status = 200, body = ExchangeProjectOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update_exchange_project(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<ExchangeProjectPatch>,
) -> ApiResult<Json<ExchangeProjectOut>> {
    let patch = ProjectPatch {
        callback_url: body.callback_url,
        callback_enabled: body.callback_enabled,
        email_on_failure: body.email_on_failure,
        failure_email: body.failure_email,
    };
    let project = exchange_projects::update_project(&ctx, &actor, patch).await?;
    Ok(Json(ExchangeProjectOut::new(project, &actor.store_id, actor.environment, ctx.config.public_base())))
}
