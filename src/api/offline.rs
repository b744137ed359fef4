//! `POST /v1/payment_links/{id}/record_payment`: staff record a cash or card-terminal payment
//! taken at the branch (the roles and scope of cancelling the link).

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth, amount_text};
use crate::dto::payment::PaymentOut;
use crate::service::Ctx;
use crate::service::offline::{self, OfflinePayment};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(record_payment))
}

/// A payment taken at the branch.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPaymentIn {
    /// `cash` or `card_terminal`.
    pub method: String,
    /// The amount taken (string or number); must equal the link's amount.
    #[schema(value_type = String)]
    pub amount: Option<Box<RawValue>>,
    /// The card terminal's id (required for `card_terminal`, ≤ 64 characters).
    pub terminal_id: Option<String>,
    /// The paper receipt's number (≤ 64 characters).
    pub receipt_number: Option<String>,
    /// A note (≤ 500 characters).
    pub note: Option<String>,
}

/// Records a payment taken at the branch: the link is paid exactly as by an online payment (a
/// single-use link once, whoever comes first), attributed to the staff member and branch.
#[utoipa::path(post, path = "/v1/payment_links/{id}/record_payment", tag = "payments", request_body = RecordPaymentIn,
    params(("id" = String, Path, description = "Payment link id")),
    responses((status = 201, body = PaymentOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn record_payment(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RecordPaymentIn>,
) -> ApiResult<(StatusCode, Json<PaymentOut>)> {
    let amount = body.amount.as_deref().map(amount_text);
    let input = OfflinePayment {
        method: body.method,
        amount,
        terminal_id: body.terminal_id,
        receipt_number: body.receipt_number,
        note: body.note,
    };
    let paid = offline::record_payment(&ctx, &actor, &id, input).await?;
    Ok((StatusCode::CREATED, Json(PaymentOut::new(&paid, ctx.config.public_base()))))
}
