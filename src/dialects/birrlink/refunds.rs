//! BirrLink refunds: `POST /refunds` as seed 003 documents it, and what BirrLink leaves out
//! (docs/dialects.md) designed in its style: `GET /refunds` (limit/offset with `pagination`),
//! `GET /refunds/{id}`, `POST /refunds/{id}/approve` and `POST /refunds/{id}/reject`.
//!
//! A refund names a BirrLink payment (`pay_…`, one of our payment links) and is of that link's
//! latest completed payment with a refundable balance
//! ([`service::refunds::of_link`](crate::service::refunds::of_link)), through the same service
//! as `POST /v1/refunds`: the store's approval policy, maker–checker and the guarded
//! reservation apply unchanged. Approve and reject are the native decisions (same roles, never
//! the requester).

use super::auth::BirrLinkActor;
use super::error::{BirrLinkError, BirrLinkResult, ErrorEnvelope, success};
use super::extract::{BirrLinkJson, BirrLinkQuery};
use super::list::date;
use super::refund_view::{RefundData, RefundPage, native_link_id, native_refund_id, status_of_word};
use crate::api::extract::amount_text;
use crate::service::refunds::{self, NewRefund, list::RefundListInput, of_link};
use crate::service::{Conflict, Ctx, ServiceError};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The refunds routes (relative to the dialect's base path).
pub fn routes() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_refund, list_refunds))
        .routes(routes!(get_refund))
        .routes(routes!(approve_refund))
        .routes(routes!(reject_refund))
}

/// A refund request (seed 003).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefundIn {
    /// The completed payment to refund (`pay_…`).
    #[schema(example = "pay_01JD8X3V9Q2W5E7R9T1Y3U5I7O")]
    pub payment_id: Option<String>,
    /// Amount to give back, in major units (a JSON number or numeric string, at most the
    /// currency's decimals); omitted: all that is left to refund.
    #[schema(value_type = Option<f64>, example = 50.00)]
    pub amount: Option<Box<RawValue>>,
    /// Why (at most 500 characters).
    #[schema(example = "Customer request")]
    pub reason: Option<String>,
    /// Your own data (a JSON object, at most 50 keys and 4 KB).
    #[serde(default, deserialize_with = "crate::api::json_object::unique_keys")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
}

/// Creates a refund for a completed payment. It waits for approval (`pending_approval`) unless
/// the store's policy approves it at once (`approved`, then `completed` or `failed`).
#[utoipa::path(post, path = "/refunds", tag = "refunds", request_body = RefundIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = inline(super::error::Success<RefundData>)),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`payment_not_refundable` or `refund_exceeds_payment`", body = ErrorEnvelope)))]
pub async fn create_refund(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    BirrLinkJson(body): BirrLinkJson<RefundIn>,
) -> BirrLinkResult<Response> {
    let payment_id = body.payment_id.filter(|p| !p.trim().is_empty());
    let payment_id = payment_id.ok_or_else(|| BirrLinkError::validation("payment_id", "is required"))?;
    let link = native_link_id(payment_id.trim()).ok_or_else(BirrLinkError::not_found)?;
    let input = NewRefund {
        payment_id: String::new(),
        amount: body.amount.as_deref().map(amount_text),
        reason: body.reason,
        metadata: body.metadata,
    };
    let refund = of_link::create_link_refund(&ctx, &actor, link.as_str(), input).await.map_err(refund_error)?;
    Ok(success(StatusCode::CREATED, RefundData::from(&refund)))
}

/// `GET /refunds` parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RefundListParams {
    /// Number of records to return (default 10, at most 100).
    pub limit: Option<i64>,
    /// Number of records to skip (default 0).
    pub offset: Option<i64>,
    /// `pending_approval`, `approved`, `completed`, `failed` or `rejected`.
    pub status: Option<String>,
    /// Only refunds of this payment (`pay_…`).
    pub payment_id: Option<String>,
    /// Created at or after (ISO 8601: a date or a date-time).
    pub date_from: Option<String>,
    /// Created up to (ISO 8601; a date includes that whole day).
    pub date_to: Option<String>,
}

/// Lists the refunds the key can see, newest first.
#[utoipa::path(get, path = "/refunds", tag = "refunds", params(RefundListParams),
    responses((status = 200, body = inline(super::error::Success<RefundPage>)),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_refunds(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    BirrLinkQuery(params): BirrLinkQuery<RefundListParams>,
) -> BirrLinkResult<Response> {
    let (limit, offset) = (params.limit.unwrap_or(10), params.offset.unwrap_or(0));
    let input = list_input(params, limit)?;
    let (found, total) = refunds::list::list_refunds_at(&ctx, &actor, input, offset).await?;
    let refunds = found.iter().map(RefundData::from).collect();
    let pagination = super::customer_view::Pagination { limit, offset, total };
    Ok(success(StatusCode::OK, RefundPage { refunds, pagination }))
}

/// BirrLink's list parameters as the native list's (dates read as `GET /payments` reads them).
fn list_input(p: RefundListParams, limit: i64) -> BirrLinkResult<RefundListInput> {
    let status = match p.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(word) => Some(status_of_word(word).map(|s| s.as_str().to_owned()).ok_or_else(|| {
            BirrLinkError::validation("status", "must be pending_approval, approved, completed, failed or rejected")
        })?),
    };
    let payment_link_id = match p.payment_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(id) => Some(
            native_link_id(id)
                .ok_or_else(|| BirrLinkError::validation("payment_id", "is not a payment id (pay_…)"))?
                .to_string(),
        ),
    };
    Ok(RefundListInput {
        payment_link_id,
        status,
        created_from: date(p.date_from.as_deref(), "date_from", false)?,
        created_to: date(p.date_to.as_deref(), "date_to", true)?,
        limit: Some(limit),
        ..RefundListInput::default()
    })
}

/// Retrieves a refund.
#[utoipa::path(get, path = "/refunds/{refund_id}", tag = "refunds",
    params(("refund_id" = String, Path, description = "Refund id (`ref_…`)")),
    responses((status = 200, body = inline(super::error::Success<RefundData>)),
        (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_refund(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    Path(refund_id): Path<String>,
) -> BirrLinkResult<Response> {
    let id = native_refund_id(&refund_id).ok_or_else(BirrLinkError::not_found)?;
    let refund = refunds::get_refund(&ctx, &actor, id.as_str()).await?;
    Ok(success(StatusCode::OK, RefundData::from(&refund)))
}

/// An approval (the body is optional).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ApproveIn {
    /// A note kept with the decision (at most 500 characters).
    pub note: Option<String>,
}

/// Approves a refund pending approval and sends it: OWNER, ADMIN, ACCOUNTING, or a SUPERVISOR
/// of the payment's branch up to the store's limit; never the user (or key) who requested it.
#[utoipa::path(post, path = "/refunds/{refund_id}/approve", tag = "refunds", request_body = Option<ApproveIn>,
    params(("refund_id" = String, Path, description = "Refund id (`ref_…`)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = inline(super::error::Success<RefundData>)),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`refund_not_pending`", body = ErrorEnvelope)))]
pub async fn approve_refund(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    Path(refund_id): Path<String>,
    OptionalJson(body): OptionalJson<ApproveIn>,
) -> BirrLinkResult<Response> {
    let id = native_refund_id(&refund_id).ok_or_else(BirrLinkError::not_found)?;
    let refund = refunds::decide(&ctx, &actor, id.as_str(), true, body.note).await.map_err(refund_error)?;
    Ok(success(StatusCode::OK, RefundData::from(&refund)))
}

/// A rejection.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RejectIn {
    /// Why the refund is refused (required, at most 500 characters).
    #[schema(example = "Goods not returned")]
    pub reason: Option<String>,
}

/// Rejects a refund pending approval; its amount can be refunded again. Same roles as approval.
#[utoipa::path(post, path = "/refunds/{refund_id}/reject", tag = "refunds", request_body = RejectIn,
    params(("refund_id" = String, Path, description = "Refund id (`ref_…`)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = inline(super::error::Success<RefundData>)),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`refund_not_pending`", body = ErrorEnvelope)))]
pub async fn reject_refund(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    Path(refund_id): Path<String>,
    OptionalJson(body): OptionalJson<RejectIn>,
) -> BirrLinkResult<Response> {
    let id = native_refund_id(&refund_id).ok_or_else(BirrLinkError::not_found)?;
    let reason = body.reason.filter(|r| !r.trim().is_empty());
    let reason = reason.ok_or_else(|| BirrLinkError::validation("reason", "is required"))?;
    let refund = refunds::decide(&ctx, &actor, id.as_str(), false, Some(reason)).await.map_err(|e| match e {
        ServiceError::Invalid(mut errors) => {
            errors.iter_mut().filter(|e| e.field == "note").for_each(|e| e.field = "reason".to_owned());
            refund_error(ServiceError::Invalid(errors))
        }
        other => refund_error(other),
    })?;
    Ok(success(StatusCode::OK, RefundData::from(&refund)))
}

/// The refund service's refusals in BirrLink's words.
fn refund_error(e: ServiceError) -> BirrLinkError {
    match e {
        ServiceError::Refused("SELF_APPROVAL", _) => BirrLinkError::permission_denied(
            "A refund cannot be approved or rejected by the user or key that requested it; \
             another user with an approver role must decide it",
        ),
        ServiceError::Refused(_, why) | ServiceError::Forbidden(why) => {
            BirrLinkError::permission_denied(super::words::sentence("", why))
        }
        ServiceError::Conflict(Conflict::PaymentNotRefundable, why) => {
            BirrLinkError::unprocessable("payment_not_refundable", super::words::sentence("", &why))
        }
        ServiceError::Conflict(Conflict::RefundExceedsCaptured, _) => BirrLinkError::unprocessable(
            "refund_exceeds_payment",
            "The refund amount exceeds what is left to refund on this payment",
        ),
        ServiceError::Conflict(Conflict::RefundNotPending, _) => BirrLinkError::unprocessable(
            "refund_not_pending",
            "Only a refund pending approval can be approved or rejected; this one was decided already",
        ),
        other => BirrLinkError::from(other),
    }
}

/// A JSON body that may be left out entirely (an empty body reads as `T::default()`); a body
/// that is sent is read as [`BirrLinkJson`] reads one.
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = BirrLinkError;

    async fn from_request(req: Request, state: &S) -> Result<Self, BirrLinkError> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state).await;
        let bytes = bytes.map_err(|e| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => {
                BirrLinkError::new(e.status(), "payload_too_large", "The request body is too large")
            }
            _ => BirrLinkError::validation("body", "could not be read"),
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        BirrLinkJson::<T>::from_request(req, state).await.map(|BirrLinkJson(v)| OptionalJson(v))
    }
}
