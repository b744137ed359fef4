//! Amwal payment sessions and installment links (seeds 000 and 001, NOTES §1–2) under `/amwal`.

pub mod callback;

use crate::service::Ctx;
use axum::Router;

/// The Amwal dialect's routes.
pub fn router(_ctx: &Ctx) -> Router<Ctx> {
    Router::new()
}
