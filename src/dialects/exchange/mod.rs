//! Amwal Exchange invoices (seed 002, NOTES §3) under `/exchange`.

pub mod callback;

use crate::service::Ctx;
use axum::Router;

/// The Exchange dialect's routes.
pub fn router(_ctx: &Ctx) -> Router<Ctx> {
    Router::new()
}
