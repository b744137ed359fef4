//! `/v1/payments`: payments in the key's scope (the scope of the links they pay), newest first.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiQuery, Auth};
use crate::dto::payment::PaymentOut;
use crate::service::Ctx;
use crate::service::payments::{self, PaymentListInput};
use axum::Json;
use axum::extract::{Path, State};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(list_payments)).routes(routes!(get_payment))
}

/// A page of payments.
#[derive(serde::Serialize, ToSchema)]
pub struct PaymentList {
    /// Always `list`.
    pub object: &'static str,
    /// The payments of this page.
    pub data: Vec<PaymentOut>,
    /// Whether more payments follow.
    pub has_more: bool,
    /// Pass as `starting_after` for the next page.
    pub next_cursor: Option<String>,
}

/// Lists the payments the key can see, newest first.
#[utoipa::path(get, path = "/v1/payments", tag = "payments", params(PaymentListInput),
    responses((status = 200, body = PaymentList), (status = 400, body = ErrorBody)))]
pub async fn list_payments(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiQuery(input): ApiQuery<PaymentListInput>,
) -> ApiResult<Json<PaymentList>> {
    let page = payments::list_payments(&ctx, &actor, input).await?;
    let base = ctx.config.public_base();
    let data: Vec<PaymentOut> = page.items.iter().map(|p| PaymentOut::new(p, base)).collect();
    let next_cursor = if page.has_more { data.last().map(|p| p.id.clone()) } else { None };
    Ok(Json(PaymentList { object: "list", data, has_more: page.has_more, next_cursor }))
}

/// Reads a payment.
#[utoipa::path(get, path = "/v1/payments/{id}", tag = "payments", params(("id" = String, Path, description = "Payment id")),
    responses((status = 200, body = PaymentOut), (status = 404, body = ErrorBody)))]
pub async fn get_payment(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<PaymentOut>> {
    let payment = payments::get_payment(&ctx, &actor, &id).await?;
    Ok(Json(PaymentOut::new(&payment, ctx.config.public_base())))
}
