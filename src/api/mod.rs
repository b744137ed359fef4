//! The native `/v1` JSON API. Routes and their OpenAPI documentation are declared together
//! (`#[utoipa::path]` + `routes!`), so `/openapi.json` cannot drift from the handlers.

pub mod audit;
pub mod branches;
pub mod control;
pub mod customers;
pub mod error;
pub mod events;
pub mod extract;
pub mod idempotency;
pub mod json_object;
pub mod keys;
pub mod links;
pub mod methods;
pub mod notifications;
pub mod offline;
pub mod ops;
pub mod payments;
pub mod refunds;
pub mod reports;
pub mod store;
pub mod store_profile;
pub mod store_security;
pub mod users;
pub mod webhooks;

use crate::service::Ctx;
use axum::Router;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
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
        (name = "payment_methods", description = "Payment methods of the store"),
        (name = "payments", description = "Payments: attempts to pay a link"),
        (name = "refunds", description = "Refunds with maker–checker approval"),
        (name = "customers", description = "Customers: the people a store sells to, with their links and payments"),
        (name = "notifications", description = "SMS and e-mail to payers: links and receipts"),
        (name = "events", description = "The event log: every state change, in order"),
        (name = "audit", description = "The audit trail: who changed money or access, hash-chained"),
        (name = "store", description = "The store's profile, time zone and hosted-page branding"),
        (name = "reports", description = "Collected, refunded and net per day, method and branch, in the store's time zone"),
        (name = "webhooks", description = "Webhook endpoints, signing secrets and replays"),
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

/// The native routes, with `extra` ones (the routes dialects add) merged in.
fn documented(extra: OpenApiRouter<Ctx>) -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(links::router())
        .merge(branches::router())
        .merge(users::router())
        .merge(keys::router())
        .merge(methods::router())
        .merge(payments::router())
        .merge(refunds::router())
        .merge(store_security::router())
        .merge(offline::router())
        .merge(customers::router())
        .merge(notifications::router())
        .merge(events::router())
        .merge(audit::router())
        .merge(store::router())
        .merge(store_profile::router())
        .merge(reports::router())
        .merge(extra)
        .merge(webhooks::router())
        .merge(ops::router())
}

/// The 4xx responses the layers every `/v1` route shares can produce, documented once here (the
/// handlers document their own): the bearer key (401); the strict JSON extractor (400, 415); and on
/// writes, the body limit and the `Idempotency-Key` middleware (400, 409, 413, 422).
struct SharedErrors;

impl SharedErrors {
    fn add(op: &mut Operation, status: &str, description: &str) {
        let body = Content::new(Some(Ref::from_schema_name("ErrorBody")));
        let response = ResponseBuilder::new().description(description).content("application/json", body).build();
        op.responses.responses.entry(status.to_owned()).or_insert_with(|| RefOr::T(response));
    }
}

impl Modify for SharedErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (_, item) in openapi.paths.paths.iter_mut().filter(|(path, _)| path.starts_with("/v1/")) {
            let (reads, writes) = ([&mut item.get, &mut item.delete], [&mut item.post, &mut item.put, &mut item.patch]);
            let ops = reads.into_iter().map(|op| (op, false)).chain(writes.into_iter().map(|op| (op, true)));
            for (op, write) in ops {
                let Some(op) = op.as_mut() else { continue };
                Self::add(op, "401", "Missing, invalid, expired or revoked API key");
                if op.request_body.is_some() {
                    Self::add(op, "400", "Invalid request; `details` names the field");
                    Self::add(op, "415", "The body is not `application/json`");
                }
                if write {
                    Self::add(op, "400", "Invalid request or `Idempotency-Key`; `details` names the field");
                    Self::add(op, "409", "A request with this `Idempotency-Key` is still being processed");
                    Self::add(op, "413", "The request body is too large");
                    Self::add(op, "422", "This `Idempotency-Key` was used with a different request");
                }
            }
        }
    }
}

/// The OpenAPI document of the native API with the `extra` routes dialects add to it.
pub fn openapi(extra: OpenApiRouter<Ctx>) -> utoipa::openapi::OpenApi {
    let mut doc = documented(extra).split_for_parts().1;
    SharedErrors.modify(&mut doc);
    doc
}

/// The native API's routes with the `extra` ones dialects add (without the shared middleware,
/// which `app` adds).
pub fn router(ctx: &Ctx, extra: OpenApiRouter<Ctx>) -> Router<Ctx> {
    let (router, _) = documented(extra).split_for_parts();
    router
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), idempotency::layer))
        .layer(axum::middleware::from_fn(control::path_guard))
}
