//! BirrLink's payment gateway API under `/birrlink/v1`, and the same routes
//! under `/birrlink/sandbox/v1` for sandbox keys only ([`auth`]).
//!
//! A thin adapter: each handler authenticates BirrLink's way ([`auth`]), reads BirrLink's request
//! ([`extract`]), calls the same `service` function the native API calls, and answers in
//! BirrLink's envelopes ([`error`]). A BirrLink payment is a Paylink payment link ([`view`]).
//! Everything under the base paths, unknown routes and the shared layers' failures included,
//! answers in the envelope ([`envelope`]); the dialect's own OpenAPI document is at
//! `{base}/openapi.json`.
//!
//! Adding routes (refunds, customers, webhooks): a module's `routes()` returns an
//! `OpenApiRouter<Ctx>` of `#[utoipa::path]` handlers whose paths are relative to the base
//! (`/refunds/{id}`); handlers take `BirrLinkActor`, `BirrLinkJson` / `BirrLinkQuery`, return
//! `BirrLinkResult<Response>` built with `error::success`. Authentication and the
//! `Idempotency-Key` layer are applied here, to every route.

pub mod auth;
pub mod catalogue;
pub mod customer_view;
pub mod customers;
pub mod envelope;
pub mod error;
pub mod event;
pub mod extract;
pub mod list;
pub mod openapi;
pub mod payments;
pub mod plug;
pub mod refund_view;
pub mod refunds;
pub mod view;
pub mod webhooks;
pub mod words;

pub use plug::{BirrLink, register};

/// The name BirrLink's payments, callbacks and webhook endpoints are stored under.
pub const NAME: &str = "birrlink";

use crate::service::Ctx;
use auth::Host;
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{any, get};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The base path serving both environments (BirrLink's production host).
pub const BASE: &str = "/birrlink/v1";

/// The base path serving the sandbox only (BirrLink's sandbox host).
pub const SANDBOX_BASE: &str = "/birrlink/sandbox/v1";

/// Every documented route, relative to the base path.
fn documented() -> OpenApiRouter<Ctx> {
    openapi::base()
        .routes(routes!(payments::create_payment, list::list_payments))
        .routes(routes!(payments::get_payment))
        .merge(refunds::routes())
        .merge(customers::routes())
        .merge(webhooks::routes())
}

/// The dialect's routes for one host: authenticated (then idempotent), with fallbacks, panic
/// catching and the envelope around everything.
fn served(ctx: &Ctx, host: Host) -> Router<Ctx> {
    let (routes, _) = documented().split_for_parts();
    routes
        .route_layer(from_fn_with_state(ctx.clone(), crate::api::idempotency::layer))
        .route_layer(from_fn_with_state((ctx.clone(), host), auth::require_key))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(envelope::route_not_found)
        .method_not_allowed_fallback(envelope::method_not_allowed)
        .layer(from_fn(crate::api::control::path_guard))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(envelope::panicked))
        .layer(from_fn(envelope::envelope))
}

/// The BirrLink dialect's routes under [`BASE`] and [`SANDBOX_BASE`].
pub fn router(ctx: &Ctx) -> Router<Ctx> {
    let mut router = Router::new();
    for (base, host) in [(BASE, Host::Any), (SANDBOX_BASE, Host::SandboxOnly)] {
        // The nested fallback covers `{base}/…`; the base itself (with or without its trailing
        // slash) is routed to it explicitly.
        router = router
            .nest(base, served(ctx, host))
            .route(base, any(envelope::route_not_found))
            .route(&format!("{base}/"), any(envelope::route_not_found));
    }
    router
}
