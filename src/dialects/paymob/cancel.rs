//! `POST /paymob/api/ecommerce/payment-links/cancel`: cancel an unpaid QuickLink by its number
//! (`payment_link_id`, form data, urlencoded or JSON) through the native cancel, so the role
//! rules and the event are the native API's. Another store's or mode's number is 404.

use super::auth::PaymobActor;
use super::body::PaymobBody;
use super::error::{DetailBody, MessageBody, PaymobError};
use super::view::state;
use crate::domain::access::Actor;
use crate::domain::dialect::DialectName;
use crate::domain::link::Link;
use crate::service::links::{self, by_ref};
use crate::service::{Conflict, Ctx, ServiceError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which QuickLink to cancel.
#[derive(Deserialize, ToSchema)]
pub struct CancelIn {
    /// The QuickLink's `id`.
    #[schema(example = 580010)]
    pub payment_link_id: i64,
}

/// The cancellation.
#[derive(Serialize, ToSchema)]
pub struct CancelOut {
    /// Always true.
    pub success: bool,
    /// Always `Canceled by merchant`.
    #[schema(example = "Canceled by merchant")]
    pub message: &'static str,
    /// The QuickLink's id.
    #[schema(example = 580010)]
    pub payment_link_id: i64,
}

/// Cancels an unpaid QuickLink.
#[utoipa::path(post, path = "/api/ecommerce/payment-links/cancel", tag = "quicklinks",
    request_body(content(
        (CancelIn = "multipart/form-data"),
        (CancelIn = "application/x-www-form-urlencoded"),
        (CancelIn = "application/json"),
    )),
    responses((status = 200, body = CancelOut),
        (status = 400, body = MessageBody, description = "`payment_link_id` is wrong, or the link is already paid, \
            canceled or expired"),
        (status = 401, body = DetailBody, description = "`incorrect credentials`"),
        (status = 403, body = DetailBody, description = "The key's role cannot cancel this link"),
        (status = 404, body = DetailBody, description = "`Not found.`: no such QuickLink for this key"),
        (status = 409, body = MessageBody, description = "A request with this `Idempotency-Key` is still being processed"),
        (status = 413, body = MessageBody, description = "The body is too large"),
        (status = 415, body = MessageBody, description = "Not multipart, urlencoded or JSON"),
        (status = 422, body = MessageBody, description = "This `Idempotency-Key` was used with a different request"),
        (status = 429, body = DetailBody, description = "The key's per-minute limit (`Retry-After`)")))]
pub async fn cancel_quicklink(
    State(ctx): State<Ctx>,
    PaymobActor(actor): PaymobActor,
    PaymobBody(fields): PaymobBody,
) -> Result<Json<CancelOut>, PaymobError> {
    let repeated = fields.repeated(&["payment_link_id"]);
    if !repeated.is_empty() {
        return Err(PaymobError::fields(repeated));
    }
    let text = fields.text("payment_link_id").ok_or_else(|| PaymobError::field("payment_link_id", "is required"))?;
    let number: i64 = text.parse().map_err(|_| PaymobError::field("payment_link_id", "must be an integer"))?;
    let link = find(&ctx, &actor, number).await?;
    match links::cancel_link(&ctx, &actor, link.id.as_str()).await {
        Ok(_) => Ok(Json(CancelOut { success: true, message: "Canceled by merchant", payment_link_id: number })),
        Err(ServiceError::Conflict(Conflict::LinkNotOpen, _)) => {
            let now = find(&ctx, &actor, number).await?.status_at(ctx.clock.now());
            let text = format!("Payment link can't be canceled: it is already {}.", state(now));
            Err(PaymobError::message(StatusCode::BAD_REQUEST, &text))
        }
        Err(e) => Err(e.into()),
    }
}

/// The Paymob link with this number that the key can see, or 404.
async fn find(ctx: &Ctx, actor: &Actor, number: i64) -> Result<Link, PaymobError> {
    let name = DialectName::of(super::NAME);
    Ok(by_ref::get_link_by_ref(ctx, actor, &name, &number.to_string()).await?)
}
