//! BirrLink's payment gateway API (seed 003, NOTES §4) under `/birrlink/v1`.

pub mod customers;
pub mod refunds;
pub mod webhooks;

use crate::service::Ctx;
use axum::Router;

/// The BirrLink dialect's routes.
pub fn router(_ctx: &Ctx) -> Router<Ctx> {
    Router::new()
}
