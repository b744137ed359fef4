//! Amwal Exchange invoices under `/exchange`: create an invoice with
//! `PUT /exchange/projects/{project_id}/invoices`, read it back, and hear of its payment through
//! the project callback ([`callback`]). A project is a store (its id is the store's `sto_…`) in
//! the environment of the key; its callback settings are the dialect's store-level callback
//! ([`project`], `service::dialect_callbacks`).
//! Everything under `/exchange`, unknown routes included, answers in the dialect's envelope
//! ([`error`]); the dialect's own OpenAPI document is at `/exchange/openapi.json`.

pub mod callback;
pub mod cli;
pub mod create;
pub mod error;
pub mod extract;
pub mod invoice;
pub mod plug;
pub mod project;
pub mod words;

pub use plug::{Exchange, register};

use crate::service::Ctx;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{any, get};
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The name Exchange invoices and their callbacks are stored under.
pub const NAME: &str = "exchange";

/// The base path of the dialect.
pub const BASE: &str = "/exchange";

#[derive(OpenApi)]
#[openapi(
    info(title = "Paylink — Amwal Exchange dialect", version = "1", description = "Amwal Exchange's invoice API \
        (amwal.exchange) served by Paylink. Authenticate with `Authorization: Bearer sk_test_…` (sandbox) or \
        `sk_live_…` (production); the project id is the key's store id. Every answer is an envelope: \
        `{\"data\": …, \"err\": 0}` on success, `{\"data\": null, \"err\": n, \"message\", \"details\"}` on \
        failure with err 1 invalid request, 2 authentication, 3 not found, 4 forbidden, 5 conflict, \
        6 rate limited, 99 internal. When an invoice is paid and the project's callback is on, Paylink POSTs \
        `{invoiceId, paymentSessionId, secret}` to the project's callback URL (retried 30 times over 3 days)."),
    servers((url = "/exchange")),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags((name = "invoices", description = "Invoices: payment pages for an amount"))
)]
struct ExchangeDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("sk_test_… / sk_live_…").build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

fn documented() -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(ExchangeDoc::openapi())
        .routes(routes!(create::create_invoice))
        .routes(routes!(invoice::get_invoice))
}

/// The dialect's OpenAPI document (paths relative to its server, `/exchange`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().split_for_parts().1
}

async fn openapi_json() -> impl IntoResponse {
    static DOC: OnceLock<String> = OnceLock::new();
    let doc = DOC.get_or_init(|| openapi().to_pretty_json().unwrap_or_default());
    ([(header::CONTENT_TYPE, "application/json")], doc.as_str())
}

/// The Exchange dialect's routes, nested under [`BASE`] with their own fallbacks so that every
/// answer there, an unknown route's too, is in the envelope.
pub fn router(ctx: &Ctx) -> Router<Ctx> {
    let (routes, _) = documented().split_for_parts();
    let routes = routes
        .route("/openapi.json", get(openapi_json))
        .fallback(error::route_not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), crate::api::idempotency::layer))
        .layer(axum::middleware::from_fn(crate::api::control::path_guard))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(error::panicked))
        .layer(axum::middleware::from_fn(error::envelope));
    // The nested fallback covers `/exchange/…`; the base path itself (with or without its
    // trailing slash) is routed to it explicitly.
    Router::new()
        .nest(BASE, routes)
        .route(BASE, any(error::route_not_found))
        .route(&format!("{BASE}/"), any(error::route_not_found))
}

/// An invoice's payment page.
pub fn invoice_url(ctx: &Ctx, invoice_id: &str) -> String {
    format!("{}/invoice/{invoice_id}", ctx.config.public_base())
}
