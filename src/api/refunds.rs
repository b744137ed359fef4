//! `/v1/refunds`: request a refund, list and read them in the links' role scope, approve or
//! reject (never the requester); `/v1/store/refund_policy` sets the thresholds.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Auth, OptionalJson, amount_text};
use crate::domain::money::{Currency, Money};
use crate::domain::refund::Policy;
use crate::dto::refund::RefundOut;
use crate::service::Ctx;
use crate::service::refunds::{self, NewRefund, list::RefundListInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(list_refunds, create_refund))
        .routes(routes!(get_refund))
        .routes(routes!(approve_refund))
        .routes(routes!(reject_refund))
        .routes(routes!(get_refund_policy, update_refund_policy))
}

/// A refund request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRefundIn {
    /// The succeeded payment to refund (`pay_…`).
    pub payment_id: String,
    /// Amount (string or number, in the payment's currency); default: what is left to refund.
    #[schema(value_type = Option<String>)]
    pub amount: Option<Box<RawValue>>,
    /// Why (≤ 500 characters).
    pub reason: Option<String>,
    /// Your own data (a JSON object, ≤ 50 keys, ≤ 4 KB).
    #[serde(default, deserialize_with = "crate::api::json_object::unique_keys")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
}

/// Requests a refund. It waits for approval by someone else, unless the store's policy approves
/// it at once (below the threshold, when the requester's role may approve it).
#[utoipa::path(post, path = "/v1/refunds", tag = "refunds", request_body = CreateRefundIn,
    responses((status = 201, body = RefundOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn create_refund(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<CreateRefundIn>,
) -> ApiResult<(StatusCode, Json<RefundOut>)> {
    let amount = body.amount.as_deref().map(amount_text);
    let input = NewRefund { payment_id: body.payment_id, amount, reason: body.reason, metadata: body.metadata };
    let r = refunds::create_refund(&ctx, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(RefundOut::from(&r))))
}

/// A page of refunds.
#[derive(Serialize, ToSchema)]
pub struct RefundList {
    /// Always `list`.
    pub object: &'static str,
    /// Newest first.
    pub data: Vec<RefundOut>,
    /// Whether more refunds follow.
    pub has_more: bool,
    /// Pass as `starting_after` for the next page.
    pub next_cursor: Option<String>,
}

/// Lists the refunds the key can see, newest first.
#[utoipa::path(get, path = "/v1/refunds", tag = "refunds", params(RefundListInput),
    responses((status = 200, body = RefundList), (status = 400, body = ErrorBody)))]
pub async fn list_refunds(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiQuery(input): ApiQuery<RefundListInput>,
) -> ApiResult<Json<RefundList>> {
    let page = refunds::list::list_refunds(&ctx, &actor, input).await?;
    let data: Vec<RefundOut> = page.items.iter().map(RefundOut::from).collect();
    let next_cursor = if page.has_more { data.last().map(|r| r.id.clone()) } else { None };
    Ok(Json(RefundList { object: "list", data, has_more: page.has_more, next_cursor }))
}

/// Reads a refund.
#[utoipa::path(get, path = "/v1/refunds/{id}", tag = "refunds", params(("id" = String, Path, description = "Refund id")),
    responses((status = 200, body = RefundOut), (status = 404, body = ErrorBody)))]
pub async fn get_refund(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<RefundOut>> {
    Ok(Json(RefundOut::from(&refunds::get_refund(&ctx, &actor, &id).await?)))
}

/// A decision's note (the body is optional).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    /// Why (≤ 500 characters).
    pub note: Option<String>,
}

/// Approves a pending refund and sends it (OWNER, ADMIN, ACCOUNTING; SUPERVISOR for their branch
/// up to the store's limit; never the requester: 403 `SELF_APPROVAL`).
#[utoipa::path(post, path = "/v1/refunds/{id}/approve", tag = "refunds", request_body = Option<DecisionIn>,
    params(("id" = String, Path, description = "Refund id")),
    responses((status = 200, body = RefundOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn approve_refund(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    OptionalJson(body): OptionalJson<DecisionIn>,
) -> ApiResult<Json<RefundOut>> {
    Ok(Json(RefundOut::from(&refunds::decide(&ctx, &actor, &id, true, body.note).await?)))
}

/// Rejects a pending refund; its amount can be refunded again.
#[utoipa::path(post, path = "/v1/refunds/{id}/reject", tag = "refunds", request_body = Option<DecisionIn>,
    params(("id" = String, Path, description = "Refund id")),
    responses((status = 200, body = RefundOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn reject_refund(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    OptionalJson(body): OptionalJson<DecisionIn>,
) -> ApiResult<Json<RefundOut>> {
    Ok(Json(RefundOut::from(&refunds::decide(&ctx, &actor, &id, false, body.note).await?)))
}

/// The store's refund policy.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundPolicyIo {
    /// Refunds below this amount are approved at once when the requester's role may approve
    /// them ("0": never).
    pub auto_approve_below: Option<String>,
    /// A SUPERVISOR approves refunds of their branch up to this amount ("0": none).
    pub supervisor_limit: Option<String>,
}

fn policy_out((p, currency): (Policy, Currency)) -> RefundPolicyIo {
    let show = |minor: i64| Money::from_minor(minor, currency).to_canonical();
    RefundPolicyIo {
        auto_approve_below: Some(show(p.auto_approve_below)),
        supervisor_limit: Some(show(p.supervisor_limit)),
    }
}

/// Reads the store's refund policy (OWNER, ADMIN).
#[utoipa::path(get, path = "/v1/store/refund_policy", tag = "refunds",
    responses((status = 200, body = RefundPolicyIo), (status = 403, body = ErrorBody)))]
pub async fn get_refund_policy(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<Json<RefundPolicyIo>> {
    Ok(Json(policy_out(refunds::policy(&ctx, &actor).await?)))
}

/// Changes the store's refund policy (OWNER, ADMIN); amounts in the store's currency.
#[utoipa::path(patch, path = "/v1/store/refund_policy", tag = "refunds", request_body = RefundPolicyIo,
    responses((status = 200, body = RefundPolicyIo), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update_refund_policy(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<RefundPolicyIo>,
) -> ApiResult<Json<RefundPolicyIo>> {
    let set = refunds::set_policy(&ctx, &actor, body.auto_approve_below, body.supervisor_limit).await?;
    Ok(Json(policy_out(set)))
}
