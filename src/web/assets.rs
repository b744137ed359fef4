//! The stylesheets and the dashboard's script, embedded in the binary and served under names that
//! carry their digests, so browsers may keep them forever: a changed file is a new name.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// The payment pages' stylesheet.
pub const CSS: &str = include_str!("../../static/pay.css");

/// The dashboard's stylesheet: the payment pages' sheet (one visual language), the shell's rules
/// and each page family's.
pub const DASHBOARD_CSS: &str = concat!(
    include_str!("../../static/pay.css"),
    include_str!("../../static/dashboard.css"),
    include_str!("../../static/dashboard-links.css"),
    include_str!("../../static/dashboard-money.css"),
    include_str!("../../static/dashboard-reports.css"),
    include_str!("../../static/dashboard-dev.css"),
);

/// The dashboard's optional script (copy and print buttons); pages work without it.
pub const DASHBOARD_JS: &str = include_str!("../../static/dashboard.js");

/// `/assets/{stem}-<12 hex of the content's SHA-256>.css`.
fn fingerprinted(stem: &str, content: &str) -> String {
    fingerprinted_as(stem, content, "css")
}

/// `/assets/{stem}-<12 hex of the content's SHA-256>.{ext}`.
fn fingerprinted_as(stem: &str, content: &str, ext: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("/assets/{stem}-{hex}.{ext}")
}

static CSS_HREF: LazyLock<String> = LazyLock::new(|| fingerprinted("pay", CSS));
static DASHBOARD_CSS_HREF: LazyLock<String> = LazyLock::new(|| fingerprinted("dashboard", DASHBOARD_CSS));
static DASHBOARD_JS_HREF: LazyLock<String> = LazyLock::new(|| fingerprinted_as("dashboard", DASHBOARD_JS, "js"));

/// The payment pages' stylesheet's fingerprinted path (`/assets/pay-<12 hex>.css`).
pub fn css_href() -> &'static str {
    &CSS_HREF
}

/// The dashboard's stylesheet's fingerprinted path.
pub fn dashboard_css_href() -> &'static str {
    &DASHBOARD_CSS_HREF
}

/// The dashboard's script's fingerprinted path (`/assets/dashboard-<12 hex>.js`).
pub fn dashboard_js_href() -> &'static str {
    &DASHBOARD_JS_HREF
}

/// `GET /assets/{file}`: a stylesheet or the script under its current name, cacheable for a year.
pub async fn asset(Path(file): Path<String>) -> Response {
    let path = format!("/assets/{file}");
    let (body, content_type) = match path {
        p if p == css_href() => (CSS, "text/css; charset=utf-8"),
        p if p == dashboard_css_href() => (DASHBOARD_CSS, "text/css; charset=utf-8"),
        p if p == dashboard_js_href() => (DASHBOARD_JS, "text/javascript; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "no such asset").into_response(),
    };
    let headers = [(CONTENT_TYPE, content_type), (CACHE_CONTROL, "public, max-age=31536000, immutable")];
    (headers, body).into_response()
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
