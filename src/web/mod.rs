//! The hosted payment pages: what a payer sees, in Arabic (default, right-to-left) or English.
//!
//! Server-rendered HTML (askama templates in `templates/pay/`) with one embedded stylesheet and
//! no script: choosing a method opens its own `<details>` section and form, a payment in progress
//! reloads itself with `<meta http-equiv="refresh">`. Every answer carries a strict CSP (no
//! script, styles from this origin, forms only to here and the link's own return origins),
//! `no-store`, `no-referrer` and no framing; every form carries a signed double-submit CSRF token
//! (`csrf`). Handlers are thin: form → `service::pay` → view; `error` maps service errors to pages.

mod assets;
mod csrf;
pub mod dashboard;
pub mod error;
mod form;
pub mod i18n;
mod images;
mod link;
mod link_view;
pub mod page;
mod payment;
pub mod png;
pub mod qr;
mod receipt;
mod sandbox;

use crate::domain::link::{Language, Link};
use crate::service::Ctx;
use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use error::{Kind, PageError};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The pages' routes (state: the shared context), with the page addresses the dialects hand out.
pub fn router(ctx: &Ctx) -> Router<Ctx> {
    let aliases = ctx.dialects.iter().filter_map(|d| d.page_alias());
    let router = aliases.fold(Router::new(), |r, alias| r.route(&format!("/{alias}/{{id}}"), get(link::show_alias)));
    router
        .route("/pay/{link_id}", get(link::show_link).post(link::pay_link))
        .route("/l/{short_code}", get(link::show_link_by_code))
        .route("/pay/{link_id}/cancel", post(link::leave_link))
        .route("/pay/{link_id}/payments/{payment_id}", get(payment::show_payment))
        .route("/pay/{link_id}/payments/{payment_id}/otp", post(payment::submit_otp))
        .route("/pay/{link_id}/payments/{payment_id}/cancel", post(payment::cancel_payment))
        .route("/receipts/{payment_id}", get(receipt::show_receipt))
        .route("/sandbox", get(sandbox::sandbox_help))
        .route("/assets/{file}", get(assets::asset))
        .route("/assets/logos/{store_id}", get(assets::logo))
        .route("/images/links/{image_id}", get(images::link_image))
        .merge(dashboard::router(ctx))
        .layer(axum::middleware::from_fn(control_in_path))
        .layer(axum::middleware::from_fn(page::secure_headers))
}

/// A page address with a control character (or bytes that are not UTF-8) in a segment names no
/// link, payment or image: the "not found" page, before any handler or the database sees it
/// (`api::control`).
async fn control_in_path(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if crate::api::control::path_names_nothing(req.uri().path()) {
        return PageError::new(Kind::NotFound, Language::Ar).into_response();
    }
    next.run(req).await
}

/// The `?lang=` the payer chose, if any (`ar` / `en`; anything else is ignored).
pub struct PageLang(pub Option<Language>);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let lang =
            form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "lang").and_then(|(_, v)| Language::parse(&v));
        Ok(PageLang(lang))
    }
}

/// The client's IP address when the server was started with connection info (for the
/// per-client limits): the peer's, or behind a trusted proxy the one it forwarded.
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<Ctx> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Self, Self::Rejection> {
        let Some(peer) = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()) else {
            return Ok(ClientAddr(None));
        };
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        Ok(ClientAddr(Some(ctx.config.trusted_proxies.client(peer, forwarded))))
    }
}

/// A CSRF token for a form about `link_id`, and the cookie to set when the browser has none.
fn csrf_cookie(ctx: &Ctx, headers: &HeaderMap, link_id: &str) -> (String, Option<String>) {
    let nonce = csrf::Nonce::from_headers(headers);
    let token = nonce.token(&ctx.page_key, link_id, ctx.clock.now());
    (token, nonce.set_cookie(ctx.config.public_base().starts_with("https://")))
}

/// Refuses a form whose token is not this browser's, for this link, and recent (403 page).
fn check_csrf(
    ctx: &Ctx,
    headers: &HeaderMap,
    link_id: &str,
    token: &str,
    lang: Option<Language>,
) -> Result<(), PageError> {
    if csrf::verify(&ctx.page_key, headers, link_id, token, ctx.clock.now()) {
        return Ok(());
    }
    let lang = lang.unwrap_or(Language::Ar);
    Err(PageError::new(Kind::Forbidden, lang).back_to(link_href(link_id, lang)))
}

/// A posted page form, parsed and its CSRF token checked for `link_id`, with the language it
/// was shown in (a malformed body or a bad token answers with a page, never JSON).
fn accept_form<F: form::PageForm>(
    ctx: &Ctx,
    headers: &HeaderMap,
    link_id: &str,
    form: Result<axum::Form<F>, axum::extract::rejection::FormRejection>,
) -> Result<(F, Option<Language>), PageError> {
    let axum::Form(form) = form.map_err(|_| PageError::new(Kind::BadForm, Language::Ar))?;
    let asked = form::form_lang(form.lang());
    check_csrf(ctx, headers, link_id, form.csrf(), asked)?;
    Ok((form, asked))
}

/// The link page in `lang`.
fn link_href(link_id: &str, lang: Language) -> String {
    let id: String = link_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    format!("/pay/{id}?lang={}", lang.as_str())
}

/// The origins of the link's success and cancel URLs, which its forms may end at (CSP
/// `form-action` also governs where a form's redirect goes).
fn return_origins(link: &Link) -> Vec<String> {
    let mut origins: Vec<String> =
        [&link.success_url, &link.cancel_url].into_iter().flatten().filter_map(|u| page::origin_of(u)).collect();
    origins.dedup();
    origins
}

/// 303 See Other to `url`.
fn see_other(url: &str) -> Response {
    Redirect::to(url).into_response()
}
