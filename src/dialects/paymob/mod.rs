//! Paymob QuickLink (seed 004, NOTES §5) under `/paymob`.

pub mod callback;

use crate::service::Ctx;
use axum::Router;

/// The Paymob dialect's routes.
pub fn router(_ctx: &Ctx) -> Router<Ctx> {
    Router::new()
}
