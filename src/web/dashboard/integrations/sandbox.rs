//! `/dashboard/developers/sandbox`: what the sandbox is, how it differs from live, and the way
//! to the public test instruments page (`/sandbox`, in the user's language). In live it says so
//! and points at the environment switch. OWNER and ADMIN, like the rest of the developers area.

use super::texts::IntegrationTexts;
use crate::service::admin::require_admin;
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::developers::tabs::{DevTab, Tabs};
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "dashboard/integrations/sandbox.html")]
struct SandboxPage<'a> {
    shell: Shell,
    tabs: Tabs,
    it: &'a IntegrationTexts,
    /// `/sandbox?lang=…`: the instruments in the user's language.
    instruments: String,
}

/// `GET /dashboard/developers/sandbox`.
pub async fn show(staff: Staff) -> Response {
    if let Err(e) = require_admin(&staff.actor) {
        return error::page(e, staff.t);
    }
    let it = IntegrationTexts::of(staff.session.user.language);
    let page = SandboxPage {
        tabs: Tabs::new(staff.session.user.language, DevTab::Sandbox),
        shell: Shell::new(&staff, it.sandbox_title, "/dashboard/developers/sandbox"),
        it,
        instruments: format!("/sandbox?lang={}", staff.t.lang),
    };
    Page::render(StatusCode::OK, &page).into_response()
}
