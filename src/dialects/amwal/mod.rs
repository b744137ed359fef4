//! Amwal payment sessions and installment links under `/amwal`.
//!
//! A thin adapter: each handler reads Amwal's request ([`body`]), authenticates Amwal's way
//! ([`auth`]), calls the same `service` function the native API calls, and answers in Amwal's
//! shapes ([`view`], [`page`], [`error`]). No business rule lives here.

pub mod auth;
pub mod body;
pub mod callback;
pub mod create;
pub mod details;
pub mod error;
pub mod keys;
pub mod list;
pub mod openapi;
pub mod page;
pub mod plug;
pub mod refund;
pub mod view;
pub mod words;

pub use plug::{Amwal, register};

use crate::service::Ctx;
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The name Amwal's links, callbacks and keys are stored under.
pub const NAME: &str = "amwal";

/// The payment-link and key routes (errors in seed 000's shape).
fn links() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create::create_payment_link))
        .routes(routes!(list::list_payment_links))
        .routes(routes!(list::list_payment_links_without_slash))
        .routes(routes!(details::payment_link_details))
        .routes(routes!(details::payment_links_details))
        .routes(routes!(keys::get_public_key))
        .routes(routes!(keys::get_public_key_pem))
}

/// The refund routes (errors in DRF's shape).
fn refunds() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(refund::refund_transaction))
        .routes(routes!(refund::refund_transaction_without_slash))
}

/// Every documented route.
fn documented() -> OpenApiRouter<Ctx> {
    openapi::base().merge(links()).merge(refunds())
}

/// The Amwal dialect's routes. A path with a control character is a 404 first; then the key is
/// checked (its failures are 403 in the route's error shape), then the native `Idempotency-Key`
/// layer runs with the actor it found. Route layers leave wrong methods (405) and unknown paths
/// (404) to the app's fallbacks.
pub fn router(ctx: &Ctx) -> Router<Ctx> {
    let idempotent = from_fn_with_state(ctx.clone(), crate::api::idempotency::layer);
    let guard = from_fn(crate::api::control::path_guard);
    let links: Router<Ctx> = links()
        .split_for_parts()
        .0
        .route_layer(idempotent.clone())
        .route_layer(from_fn_with_state(ctx.clone(), auth::require_key))
        .layer(guard.clone());
    // The refund routes answer in DRF's shape, the shared layers' failures too.
    let refunds: Router<Ctx> = refunds()
        .split_for_parts()
        .0
        .route_layer(idempotent)
        .route_layer(from_fn_with_state(ctx.clone(), auth::require_key_drf))
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(guard)
        .layer(from_fn(error::drf_envelope));
    Router::new().merge(links).merge(refunds).route("/amwal/openapi.json", get(openapi::openapi_json))
}
