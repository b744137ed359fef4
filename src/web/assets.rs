//! The stylesheet, embedded in the binary and served under a name that carries its digest, so
//! browsers may keep it forever: a changed sheet is a new name.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// The pages' only stylesheet.
pub const CSS: &str = include_str!("../../static/pay.css");

static CSS_HREF: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(CSS.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("/assets/pay-{hex}.css")
});

/// The stylesheet's fingerprinted path (`/assets/pay-<12 hex>.css`).
pub fn css_href() -> &'static str {
    &CSS_HREF
}

/// `GET /assets/{file}`: the stylesheet under its current name, cacheable for a year.
pub async fn asset(Path(file): Path<String>) -> Response {
    if format!("/assets/{file}") != css_href() {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    }
    let headers = [(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "public, max-age=31536000, immutable")];
    (headers, CSS).into_response()
}

/// `GET /assets/logos/{store_id}?v=…`: a store's logo. The URL carries the logo's digest, so a
/// matching version may be cached for a year; any other request is answered fresh.
pub async fn logo(
    axum::extract::State(ctx): axum::extract::State<crate::service::Ctx>,
    Path(store): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let Ok((content_type, bytes, digest)) = crate::service::logos::logo(&ctx, &store).await else {
        return (StatusCode::NOT_FOUND, "no such logo").into_response();
    };
    let versioned =
        query.as_deref().and_then(|q| q.strip_prefix("v=")).is_some_and(|v| digest.starts_with(v) && v.len() >= 16);
    let cache = if versioned { "public, max-age=31536000, immutable" } else { "no-cache" };
    ([(CONTENT_TYPE, content_type), (CACHE_CONTROL, cache.to_owned())], bytes).into_response()
}
