//! The Amwal dialect's own OpenAPI document, generated from its handlers (like `/openapi.json`
//! for `/v1`) and served at `/amwal/openapi.json`; it never appears in the native document.

use crate::service::Ctx;
use axum::http::header;
use axum::response::IntoResponse;
use std::sync::OnceLock;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Paylink — Amwal dialect", version = "1", description = "Amwal's payment sessions / \
        installment links API (create, list, details, refund) served by Paylink. Change the base URL \
        from `https://backend.sa.amwal.tech` to `{your Paylink}/amwal`. Authenticate with \
        `Authorization: sk_test_…` (sandbox) or `sk_live_…` (production), no scheme; the optional \
        `X-Amwal-Key: sandbox-…` / `prod-…` must agree with the key's environment. Errors are \
        `{\"error\", \"error_code\", \"details\"}` (refunds: DRF's `{\"detail\"}` or `{\"<field>\": [\"…\"]}`, \
        the shared layers' failures too); an unknown or wrong \
        key is 403, another store or an object outside the key's role scope 404. Unknown body fields \
        are ignored. POST routes take an `Idempotency-Key` header."),
    modifiers(&RawKeyAuth),
    security(("api_key" = [])),
    tags((name = "payment_links", description = "Payment sessions / installment links"),
        (name = "refunds", description = "Refunds of transactions (the store's approval policy applies)"),
        (name = "callbacks", description = "The public key that verifies callbacks' `X-Signature`"))
)]
struct AmwalDoc;

struct RawKeyAuth;

impl Modify for RawKeyAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = ApiKey::Header(ApiKeyValue::with_description(
            "Authorization",
            "The API key itself, no scheme (`Bearer <key>` is accepted too)",
        ));
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("api_key", SecurityScheme::ApiKey(scheme));
    }
}

/// What the layers every route shares can answer, documented once, in the route's own shape
/// (seed 000's `AmwalErrorBody`; DRF's `DrfDetail` on the refund routes): the key's per-minute
/// allowance (429) on every route, and on every POST the body limit (413) and the native
/// `Idempotency-Key` middleware (409 while the first request runs, 422 for a key reused with
/// another request).
struct SharedErrors;

impl SharedErrors {
    const EVERY: [(&str, &str); 1] = [("429", "The key's per-minute allowance is spent (`Retry-After`)")];
    const POSTS: [(&str, &str); 3] = [
        ("409", "A request with this `Idempotency-Key` is still being processed"),
        ("413", "The request body is too large"),
        ("422", "This `Idempotency-Key` was used with a different request"),
    ];
}

impl Modify for SharedErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let schema = if path.contains("/transactions/refund/") { "DrfDetail" } else { "AmwalErrorBody" };
            let ops = [(&mut item.get, false), (&mut item.post, true)];
            for (op, post) in ops {
                let Some(op) = op.as_mut() else { continue };
                let extra: &[(&str, &str)] = if post { &Self::POSTS } else { &[] };
                for (status, description) in Self::EVERY.iter().chain(extra) {
                    let body = Content::new(Some(Ref::from_schema_name(schema)));
                    let response = ResponseBuilder::new().description(*description).content("application/json", body);
                    op.responses.responses.entry((*status).to_owned()).or_insert_with(|| RefOr::T(response.build()));
                }
            }
        }
    }
}

/// The documented routes' starting point.
pub fn base() -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(AmwalDoc::openapi())
}

/// The document of the Amwal dialect.
pub fn openapi() -> utoipa::openapi::OpenApi {
    // Applied to the merged document: the routes' paths are not there when `AmwalDoc` is built.
    let mut doc = super::documented().split_for_parts().1;
    SharedErrors.modify(&mut doc);
    doc
}

/// `GET /amwal/openapi.json`, rendered once.
pub async fn openapi_json() -> impl IntoResponse {
    static DOC: OnceLock<String> = OnceLock::new();
    let doc = DOC.get_or_init(|| openapi().to_pretty_json().unwrap_or_default());
    ([(header::CONTENT_TYPE, "application/json")], doc.as_str())
}
