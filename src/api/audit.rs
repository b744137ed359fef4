//! `/v1/audit_log`: every action that changed money or access in the merchant, newest first
//! (OWNER, ADMIN, ACCOUNTING).

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiQuery, Auth};
use crate::dto::audit::AuditEntryOut;
use crate::service::Ctx;
use crate::service::audit::log::{self, AuditListInput};
use axum::Json;
use axum::extract::{Path, State};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(list_audit_entries)).routes(routes!(get_audit_entry))
}

/// A page of audit entries.
#[derive(serde::Serialize, ToSchema)]
pub struct AuditList {
    /// Always `list`.
    pub object: &'static str,
    /// The entries of this page, newest first.
    pub data: Vec<AuditEntryOut>,
    /// Whether more entries follow.
    pub has_more: bool,
    /// Pass as `starting_after` for the next page.
    pub next_cursor: Option<String>,
}

/// Lists the merchant's audit entries (all its stores; this key's environment and the entries
/// without one, such as user changes), newest first.
#[utoipa::path(get, path = "/v1/audit_log", tag = "audit", params(AuditListInput),
    responses((status = 200, body = AuditList), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_audit_entries(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiQuery(input): ApiQuery<AuditListInput>,
) -> ApiResult<Json<AuditList>> {
    let page = log::list_entries(&ctx, &actor, input).await?;
    let data: Vec<AuditEntryOut> = page.items.into_iter().map(Into::into).collect();
    let next_cursor = if page.has_more { data.last().map(|e| e.id.clone()) } else { None };
    Ok(Json(AuditList { object: "list", data, has_more: page.has_more, next_cursor }))
}

/// Reads one audit entry.
#[utoipa::path(get, path = "/v1/audit_log/{id}", tag = "audit",
    params(("id" = String, Path, description = "Audit entry id (`aud_…`)")),
    responses((status = 200, body = AuditEntryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_audit_entry(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<AuditEntryOut>> {
    Ok(Json(log::get_entry(&ctx, &actor, &id).await?.into()))
}
