//! The native `/v1` JSON API. Routes and their OpenAPI documentation are declared together
//! (`#[utoipa::path]` + `routes!`), so `/openapi.json` cannot drift from the handlers.

pub mod branches;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod keys;
pub mod links;
pub mod ops;
pub mod users;

use crate::service::Ctx;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Paylink API", version = "1", description = "Payment links: create, share, get paid. \
        Authenticate with `Authorization: Bearer sk_test_…` (sandbox) or `sk_live_…` (production). Errors use \
        `{\"error\", \"error_code\", \"details\"}`; codes are listed in docs/errors.md."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags((name = "payment_links", description = "Payment links"), (name = "branches", description = "Branches of the store"),
        (name = "users", description = "Staff users"), (name = "api_keys", description = "API keys"),
        (name = "operations", description = "Health and metadata"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("sk_test_… / sk_live_…").build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

fn documented() -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(links::router())
        .merge(branches::router())
        .merge(users::router())
        .merge(keys::router())
        .merge(ops::router())
}

/// The OpenAPI document of the native API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().split_for_parts().1
}

/// The native API's routes (without the shared middleware, which `app` adds).
pub fn router(ctx: &Ctx) -> Router<Ctx> {
    let (router, _) = documented().split_for_parts();
    router.layer(axum::middleware::from_fn_with_state(ctx.clone(), idempotency::layer))
}
