//! The store callback secret from the dialects page: "show" reads it through
//! `service::callbacks::callback_secret` (what `GET /v1/store/callback_secret` answers the same
//! roles), "replace" makes a new one through `rotate_callback_secret` (the API's rotate, with the
//! configured grace period). Both are POSTs answered with the secret in the page itself — never
//! in a URL or a page a GET could bring back — and the page is not stored (`no-store`).

use super::dialects::HERE;
use super::texts::IntegrationTexts;
use crate::service::{Ctx, callbacks};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::developers::tabs::{DevTab, Tabs};
use crate::web::dashboard::error;
use crate::web::dashboard::link_pages::allow_own_script;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "dashboard/integrations/secret.html")]
struct SecretPage<'a> {
    shell: Shell,
    tabs: Tabs,
    it: &'a IntegrationTexts,
    heading: &'a str,
    secret: String,
    /// The dashboard's own script (the copy button).
    js: &'static str,
}

/// `POST /dashboard/developers/dialects/callback_secret`: the current secret.
pub async fn reveal(State(ctx): State<Ctx>, staff: Staff) -> Response {
    let it = IntegrationTexts::of(staff.session.user.language);
    match callbacks::callback_secret(&ctx, &staff.actor).await {
        Ok(secret) => shown(&staff, it.secret_title, secret),
        Err(e) => error::page(e, staff.t),
    }
}

/// `POST /dashboard/developers/dialects/callback_secret/rotate`: a new secret, shown this once.
pub async fn rotate(State(ctx): State<Ctx>, staff: Staff) -> Response {
    let it = IntegrationTexts::of(staff.session.user.language);
    match callbacks::rotate_callback_secret(&ctx, &staff.actor, None).await {
        Ok(secret) => shown(&staff, it.new_secret_title, secret),
        Err(e) => error::page(e, staff.t),
    }
}

fn shown(staff: &Staff, heading: &'static str, secret: String) -> Response {
    let it = IntegrationTexts::of(staff.session.user.language);
    let page = SecretPage {
        tabs: Tabs::new(staff.session.user.language, DevTab::Dialects),
        shell: Shell::new(staff, heading, HERE),
        it,
        heading,
        secret,
        js: crate::web::assets::dashboard_js_href(),
    };
    allow_own_script(Page::render(StatusCode::OK, &page).into_response())
}
