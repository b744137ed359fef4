//! The BirrLink dialect's own OpenAPI document, generated from its handlers and served at
//! `/birrlink/v1/openapi.json` (and `/birrlink/sandbox/v1/openapi.json`); it never appears in
//! the native document.

use super::error::ErrorEnvelope;
use crate::service::Ctx;
use axum::http::header;
use axum::response::IntoResponse;
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Paylink — BirrLink dialect", version = "1", description = "BirrLink's payment gateway API \
        (docs.birrlink.et) served by Paylink. Change the base URL from `https://api.birrlink.et/v1` to \
        `{your Paylink}/birrlink/v1` (both environments, by the key's prefix) and from \
        `https://sandbox.birrlink.et/api/v1` to `{your Paylink}/birrlink/sandbox/v1` (sandbox keys only). \
        Authenticate with `Authorization: Bearer sk_test_…` (sandbox) or `sk_live_…` (production). \
        Success is `{\"status\": \"success\", \"data\": …}` (201 for a create); failure is \
        `{\"status\": \"error\", \"error\": {\"code\", \"message\", \"details\": [{\"field\", \"message\"}]}}` \
        with 400 `validation_error`, 401 `authentication_failed`, 403 `permission_denied`, 404 \
        `resource_not_found`, 422 for a state conflict (`insufficient_funds`, …), 429 `rate_limit_exceeded` \
        (1,000 requests a minute per sandbox key, 5,000 per production key; `Retry-After`). A payment is a \
        Paylink payment link (`pay_…` is the link `plink_…` with the same ULID). POST routes take an \
        `Idempotency-Key` header; unknown body fields are ignored."),
    servers((url = "/birrlink/v1", description = "Sandbox and production, by the key's prefix"),
        (url = "/birrlink/sandbox/v1", description = "Sandbox keys only")),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(ErrorEnvelope)),
    tags((name = "payments", description = "Payments: a payable amount with its payment page"),
        (name = "refunds", description = "Refunds of completed payments (the store's approval policy applies)"),
        (name = "customers", description = "Customer records"),
        (name = "webhooks", description = "Webhook endpoints (`BirrLink-Signature`)"))
)]
struct BirrLinkDoc;

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

/// What every route can answer from the layers it shares, documented once: the key (401, 429),
/// and on writes the body limit (413), the content type (415) and the `Idempotency-Key` layer
/// (409 while the first request runs, 422 for a key reused with another request).
struct SharedErrors;

impl Modify for SharedErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let every = [
            ("401", "Missing, invalid or revoked API key, or a key of the other environment"),
            ("429", "The key spent its requests for this minute (`Retry-After`)"),
        ];
        let writes = [
            ("409", "A request with this `Idempotency-Key` is still being processed"),
            ("413", "The request body is too large"),
            ("415", "The body is not JSON"),
            ("422", "This `Idempotency-Key` was used with a different request, or a state conflict"),
        ];
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.patch, &mut item.delete, &mut item.put];
            for (i, op) in ops.into_iter().enumerate() {
                let Some(op) = op.as_mut() else { continue };
                let write = matches!(i, 1 | 2 | 4);
                let extra: &[(&str, &str)] = if write { &writes } else { &[] };
                for (status, description) in every.iter().chain(extra) {
                    let body = Content::new(Some(Ref::from_schema_name("ErrorEnvelope")));
                    let response = ResponseBuilder::new().description(*description).content("application/json", body);
                    op.responses.responses.entry((*status).to_owned()).or_insert_with(|| RefOr::T(response.build()));
                }
            }
        }
    }
}

/// The documented routes' starting point.
pub fn base() -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(BirrLinkDoc::openapi())
}

/// The document of the BirrLink dialect.
pub fn openapi() -> utoipa::openapi::OpenApi {
    // Applied to the merged document: the routes' paths are not there when `BirrLinkDoc` is built.
    let mut doc = super::documented().split_for_parts().1;
    SharedErrors.modify(&mut doc);
    doc
}

/// `GET /birrlink/v1/openapi.json`, rendered once.
pub async fn openapi_json() -> impl IntoResponse {
    static DOC: OnceLock<String> = OnceLock::new();
    let doc = DOC.get_or_init(|| openapi().to_pretty_json().unwrap_or_default());
    ([(header::CONTENT_TYPE, "application/json")], doc.as_str())
}
