//! Paymob QuickLink under `/paymob`: exchange an API key for a 60-minute
//! auth token ([`tokens`]), create a QuickLink as multipart form data or JSON with an optional
//! image ([`create`]), cancel it ([`cancel`]); when it is paid, Paymob's transaction callback and
//! redirect with their `hmac` ([`callback`]). A QuickLink is an ordinary single-use payment link
//! whose integer id is its `dialect_ref`. Everything under `/paymob`, unknown routes included,
//! answers in Paymob's error shapes ([`error`]); the dialect's OpenAPI document is at
//! `/paymob/openapi.json`.

pub mod auth;
pub mod body;
pub mod callback;
pub mod cancel;
pub mod create;
pub mod error;
pub mod input;
pub mod plug;
pub mod tokens;
pub mod view;

pub use plug::{Paymob, register};

/// The name QuickLinks and their callbacks are stored under.
pub const NAME: &str = "paymob";
/// The counter of QuickLink numbers (`payment_links.dialect_ref` of Paymob links).
pub const LINK_COUNTER: &str = "paymob_link";
/// The counter of transaction numbers (`payments.dialect_ref` of payments on Paymob links).
pub const TRANSACTION_COUNTER: &str = "paymob_transaction";

use crate::api::idempotency::RouteBodyLimit;
use crate::service::Ctx;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{any, get};
use axum::{Extension, Router};
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The base path of the dialect.
pub const BASE: &str = "/paymob";

/// The create route's body limit: a 2 MiB image and the form around it.
pub const CREATE_BODY_LIMIT: usize = 3 * 1024 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(title = "Paylink — Paymob QuickLink dialect", version = "1", description = "Paymob's QuickLink API \
        (accept.paymob.com) served by Paylink. Get an auth token with `POST /api/auth/tokens` \
        `{\"api_key\": \"sk_test_…\"}` and send it as `Authorization: Bearer <token>` (60 minutes), or send the \
        secret key itself as `Authorization: Token sk_test_…`. Test mode is a `sk_test_…` key with \
        `is_live=false` and its sandbox payment methods; live mode a `sk_live_…` key with `is_live=true`. \
        Integration ids are the store's payment method ids (`GET /v1/payment_methods`). Errors: \
        `{\"message\", \"errors\": {field: [sentence]}}` for input, `{\"detail\"}` for credentials, \
        permissions, unknown objects and routes. When a QuickLink is paid, Paylink POSTs Paymob's \
        transaction-processed callback to its `notification_url` and redirects the payer to its \
        `redirection_url`, both with Paymob's `hmac` (HMAC-SHA512 with the store's HMAC secret)."),
    servers((url = "/paymob")),
    modifiers(&Schemes),
    security(("bearer" = []), ("token" = [])),
    tags((name = "auth", description = "Auth tokens"), (name = "quicklinks", description = "QuickLinks: payment links"))
)]
struct PaymobDoc;

struct Schemes;

impl utoipa::Modify for Schemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("auth token").build();
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
        let token = ApiKeyValue::with_description("Authorization", "`Token sk_test_…` / `Token sk_live_…`");
        components.add_security_scheme("token", SecurityScheme::ApiKey(ApiKey::Header(token)));
    }
}

fn token_routes() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(tokens::create_token))
}

fn create_routes() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(create::create_quicklink))
}

fn cancel_routes() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(cancel::cancel_quicklink))
}

/// The dialect's OpenAPI document (paths relative to its server, `/paymob`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let all = OpenApiRouter::with_openapi(PaymobDoc::openapi())
        .merge(token_routes())
        .merge(create_routes())
        .merge(cancel_routes());
    all.split_for_parts().1
}

async fn openapi_json() -> impl IntoResponse {
    static DOC: OnceLock<String> = OnceLock::new();
    let doc = DOC.get_or_init(|| openapi().to_pretty_json().unwrap_or_default());
    ([(header::CONTENT_TYPE, "application/json")], doc.as_str())
}

/// The Paymob dialect's routes, nested under [`BASE`] with their own fallbacks so that every
/// answer there, an unknown route's too, is in Paymob's shape. The QuickLink routes authenticate
/// first, then run the native `Idempotency-Key` layer with the actor found; the create route
/// takes bodies up to [`CREATE_BODY_LIMIT`] (the image), every other route the global limit.
pub fn router(ctx: &Ctx) -> Router<Ctx> {
    let authenticated = |r: OpenApiRouter<Ctx>| -> Router<Ctx> {
        r.split_for_parts()
            .0
            .route_layer(from_fn_with_state(ctx.clone(), crate::api::idempotency::layer))
            .route_layer(from_fn_with_state(ctx.clone(), auth::require_auth))
    };
    let create = authenticated(create_routes())
        .layer(DefaultBodyLimit::max(CREATE_BODY_LIMIT))
        .layer(Extension(RouteBodyLimit(CREATE_BODY_LIMIT)));
    let routes = token_routes()
        .split_for_parts()
        .0
        .merge(create)
        .merge(authenticated(cancel_routes()))
        .route("/openapi.json", get(openapi_json))
        .fallback(error::route_not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(from_fn(crate::api::control::path_guard))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(error::panicked))
        .layer(from_fn(error::envelope));
    Router::new()
        .nest(BASE, routes)
        .route(BASE, any(error::route_not_found))
        .route(&format!("{BASE}/"), any(error::route_not_found))
}
