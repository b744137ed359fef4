//! `/v1/store/exchange_project`, which this dialect adds to the native API: the store's Amwal
//! Exchange project settings in the key's environment (OWNER, ADMIN) — where paid invoices are
//! announced, and whether failed announcements e-mail the merchant. They are the dialect's
//! store-level callback settings (`service::dialect_callbacks`).

use crate::api::error::{ApiResult, ErrorBody};
use crate::api::extract::{ApiJson, Auth};
use crate::domain::Environment;
use crate::domain::id::StoreId;
use crate::service::Ctx;
use crate::service::dialect_callbacks::{self, CallbackPatch, Setting, StoreCallback};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The project settings: the dialect's store-level callback, audited under these names.
pub const PROJECT: Setting =
    Setting { dialect: super::NAME, object_type: "exchange_project", action: "store.exchange_project.update" };

#[derive(OpenApi)]
#[openapi(tags((name = "exchange_project", description = "Amwal Exchange project settings: where paid invoices are announced")))]
struct ProjectDoc;

/// The routes this dialect adds to the native API.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(ProjectDoc::openapi()).routes(routes!(get_exchange_project, update_exchange_project))
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
    pub fn new(p: StoreCallback, store: &StoreId, env: Environment, base: &str) -> Self {
        ExchangeProjectOut {
            object: "exchange_project",
            project_id: store.to_string(),
            environment: env.as_str().to_owned(),
            invoices_url: format!("{base}{}/projects/{store}/invoices", super::BASE),
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
    #[serde(default, deserialize_with = "crate::api::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub callback_url: Option<Option<String>>,
    /// Turns the callback on (needs a `callback_url`) or off.
    pub callback_enabled: Option<bool>,
    /// Whether each failed callback attempt e-mails `failure_email`.
    pub email_on_failure: Option<bool>,
    /// An e-mail address; null removes it (no e-mail is sent then).
    #[serde(default, deserialize_with = "crate::api::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub failure_email: Option<Option<String>>,
}

/// Reads the store's Amwal Exchange project settings (OWNER, ADMIN).
#[utoipa::path(get, path = "/v1/store/exchange_project", tag = "exchange_project",
    responses((status = 200, body = ExchangeProjectOut), (status = 403, body = ErrorBody)))]
pub async fn get_exchange_project(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<Json<ExchangeProjectOut>> {
    let project = dialect_callbacks::get_settings(&ctx, &actor, PROJECT).await?;
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
    let patch = CallbackPatch {
        callback_url: body.callback_url,
        callback_enabled: body.callback_enabled,
        email_on_failure: body.email_on_failure,
        failure_email: body.failure_email,
    };
    let project = dialect_callbacks::update_settings(&ctx, &actor, PROJECT, patch).await?;
    Ok(Json(ExchangeProjectOut::new(project, &actor.store_id, actor.environment, ctx.config.public_base())))
}
