//! The provider dialects (DESIGN §5): each speaks one provider's API — its paths, auth header,
//! field names, response and error shapes, status words and callbacks — as a thin adapter over
//! the same `service` functions the native API uses. No business rule lives here.

pub mod amwal;
pub mod birrlink;
pub mod exchange;
pub mod paymob;
pub mod reshape;

use crate::service::Ctx;
use axum::Router;

/// Every dialect's routes, each under its own base path.
pub fn router(ctx: &Ctx) -> Router<Ctx> {
    Router::new()
        .merge(amwal::router(ctx))
        .merge(exchange::router(ctx))
        .merge(birrlink::router(ctx))
        .merge(paymob::router(ctx))
}
