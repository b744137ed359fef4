//! `POST /amwal/transactions/refund/{transaction_id}/` (Amwal's refund docs, docs/dialects.md): a refund
//! of one payment through `service::refunds::create_refund`, so the store's maker–checker policy
//! applies. Errors answer as Django REST Framework does: `{"detail": "…"}` or
//! `{"refund_amount": ["…"]}`.

use super::auth::AmwalActor;
use super::body::AmwalJson;
use super::error::DrfError;
use crate::api::error::ApiError;
use crate::domain::Rule;
use crate::domain::id::PaymentId;
use crate::domain::id::id_from_uuid;
use crate::service::refunds::{self, NewRefund};
use crate::service::{Conflict, Ctx, ServiceError};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;

/// A refund request.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RefundIn {
    /// Amount to give back, in the payment's currency (a JSON number or numeric string); partial
    /// refunds are allowed up to what is left of the payment.
    #[schema(value_type = f64, example = 299.99)]
    pub refund_amount: Option<Box<RawValue>>,
}

/// The refund requested.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefundOut {
    /// Always `success`: the request was accepted.
    pub status: &'static str,
    /// Always `RefundReference`.
    pub key_type: &'static str,
    /// The refund's id (`re_…`, also readable at `/v1/refunds/{id}`).
    pub key: String,
    /// `pending_approval` (waits for an approver), `approved`, `succeeded`, `failed` or
    /// `rejected`.
    pub refund_status: &'static str,
}

/// Refunds (part of) a transaction.
#[utoipa::path(post, path = "/amwal/transactions/refund/{transaction_id}/", tag = "refunds",
    request_body = RefundIn,
    params(("transaction_id" = String, Path, description = "The payment's UUID (or its `pay_…` id)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = RefundOut),
        (status = 400, description = "`{\"refund_amount\": [\"…\"]}` naming the field, or `{\"detail\": …}` (the \
            transaction is not refundable, the amount exceeds what is left, malformed JSON, a bad `Idempotency-Key`)",
            body = super::error::DrfBadRequest),
        (status = 403, body = super::error::DrfDetail), (status = 404, body = super::error::DrfDetail),
        (status = 415, body = super::error::DrfDetail)))]
pub async fn refund_transaction(
    State(ctx): State<Ctx>,
    actor: Result<AmwalActor, ApiError>,
    Path(transaction_id): Path<String>,
    body: Result<AmwalJson<RefundIn>, ApiError>,
) -> Result<Json<RefundOut>, DrfError> {
    let (AmwalActor(actor), AmwalJson(body)) = (actor?, body?);
    let raw = body.refund_amount.ok_or_else(|| DrfError::field("refund_amount", "This field is required."))?;
    let amount = crate::api::extract::amount_text(&raw);
    let payment_id = id_from_uuid(PaymentId::PREFIX, &transaction_id).unwrap_or(transaction_id);
    let input = NewRefund { payment_id, amount: Some(amount), ..NewRefund::default() };
    let refund = refunds::create_refund(&ctx, &actor, input).await.map_err(drf_error)?;
    Ok(Json(RefundOut {
        status: "success",
        key_type: "RefundReference",
        key: refund.id.to_string(),
        refund_status: refund.status.as_str(),
    }))
}

/// The same without the trailing slash.
#[utoipa::path(post, path = "/amwal/transactions/refund/{transaction_id}", tag = "refunds",
    request_body = RefundIn,
    params(("transaction_id" = String, Path, description = "The payment's UUID (or its `pay_…` id)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = RefundOut),
        (status = 400, description = "`{\"refund_amount\": [\"…\"]}` naming the field, or `{\"detail\": …}` (the \
            transaction is not refundable, the amount exceeds what is left, malformed JSON, a bad `Idempotency-Key`)",
            body = super::error::DrfBadRequest),
        (status = 403, body = super::error::DrfDetail), (status = 404, body = super::error::DrfDetail),
        (status = 415, body = super::error::DrfDetail)))]
pub async fn refund_transaction_without_slash(
    ctx: State<Ctx>,
    actor: Result<AmwalActor, ApiError>,
    id: Path<String>,
    body: Result<AmwalJson<RefundIn>, ApiError>,
) -> Result<Json<RefundOut>, DrfError> {
    refund_transaction(ctx, actor, id, body).await
}

/// The refund service's answers in DRF's words.
fn drf_error(e: ServiceError) -> DrfError {
    match e {
        ServiceError::NotFound => DrfError::not_found(),
        // The service names a payment it cannot find (or the key cannot see) as a bad field.
        ServiceError::Invalid(errors) if errors.iter().any(|e| e.field == "payment_id") => DrfError::not_found(),
        ServiceError::Invalid(errors) => {
            let Some(first) = errors.into_iter().next() else {
                return DrfError::field("refund_amount", &drf_sentence(Rule::Invalid, ""));
            };
            let field = if first.field == "amount" { "refund_amount".to_owned() } else { first.field };
            DrfError::field(&field, &drf_sentence(first.rule, &first.message))
        }
        ServiceError::Conflict(Conflict::PaymentNotRefundable, _) => {
            DrfError::detail(StatusCode::BAD_REQUEST, "This transaction is not refundable")
        }
        ServiceError::Conflict(Conflict::RefundExceedsCaptured, _) => {
            DrfError::detail(StatusCode::BAD_REQUEST, "Refund amount exceeds the refundable balance")
        }
        ServiceError::Conflict(_, message) => DrfError::detail(StatusCode::BAD_REQUEST, &message),
        ServiceError::Forbidden(_) => {
            DrfError::detail(StatusCode::FORBIDDEN, "You do not have permission to perform this action.")
        }
        ServiceError::Refused(_, why) => DrfError::detail(StatusCode::FORBIDDEN, why),
        ServiceError::TooManyAttempts | ServiceError::RateLimited(..) => {
            DrfError::detail(StatusCode::TOO_MANY_REQUESTS, "Request was throttled.")
        }
        other => DrfError::from(ApiError::from(other)),
    }
}

/// A field message as DRF writes one: a sentence (`A valid number is required.`, DRF's own words
/// for a number it cannot read).
fn drf_sentence(rule: Rule, message: &str) -> String {
    if rule == Rule::NotANumber {
        return "A valid number is required.".to_owned();
    }
    let mut chars = message.chars();
    let sentence = match chars.next() {
        Some(first) => format!("{}{}", first.to_uppercase(), chars.as_str()),
        None => "Invalid value.".to_owned(),
    };
    if sentence.ends_with('.') { sentence } else { format!("{sentence}.") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_messages_read_as_drf_sentences() {
        assert_eq!(drf_sentence(Rule::NotANumber, "is not a decimal number"), "A valid number is required.");
        assert_eq!(drf_sentence(Rule::NotPositive, "must be greater than zero"), "Must be greater than zero.");
        assert_eq!(drf_sentence(Rule::Invalid, ""), "Invalid value.");
    }
}
