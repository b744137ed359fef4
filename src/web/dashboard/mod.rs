//! The merchant dashboard under `/dashboard`: staff sign in with their e-mail and password (and a
//! second factor when they have one), then work in their role's scope through the same
//! `service` functions as the API — out of scope is 404, not allowed 403, as there. Server-
//! rendered (askama, `templates/dashboard/`), Arabic by default and English by choice, usable on
//! a phone, a counter tablet and a desktop, and complete without JavaScript. Every answer carries
//! the payment pages' strict headers; every state-changing form carries the session's token.

mod audit;
mod auth;
mod customers;
mod developers;
mod error;
mod forms;
mod home;
mod integrations;
mod link_pages;
mod links;
mod login;
mod profile;
mod refunds;
mod reports;
mod settings;
mod shell;
mod stages;
pub mod status;
pub mod texts;
mod webhooks;

use crate::service::Ctx;
use axum::Router;
use axum::routing::{get, post};

/// The dashboard's stylesheet (the payment pages' sheet plus the dashboard's rules).
fn css_href() -> &'static str {
    crate::web::assets::dashboard_css_href()
}

/// The dashboard's routes, every POST behind the form-token guard.
pub fn router(ctx: &Ctx) -> Router<Ctx> {
    pages().layer(axum::middleware::from_fn_with_state(ctx.clone(), forms::guard))
}

fn pages() -> Router<Ctx> {
    Router::new()
        .route("/dashboard", get(home::show))
        .route("/dashboard/login", get(login::show).post(login::submit))
        .route("/dashboard/logout", post(login::logout))
        .route("/dashboard/second-factor", get(stages::second_factor).post(stages::submit_second_factor))
        .route("/dashboard/second-factor/enrol", get(stages::enrol).post(stages::submit_enrol))
        .route("/dashboard/password", get(stages::password).post(stages::submit_password))
        .route("/dashboard/profile", get(profile::show))
        .route("/dashboard/profile/password", post(profile::change_password))
        .route("/dashboard/profile/second-factor/disable", post(profile::disable_two_factor))
        .route("/dashboard/language", post(profile::switch_language))
        .route("/dashboard/environment", post(profile::switch_environment))
        .route("/dashboard/{*rest}", get(unknown).post(unknown))
        .merge(links::router())
        .merge(refunds::router())
        .merge(customers::router())
        .merge(link_pages::router())
        .merge(developers::router())
        .merge(audit::router())
        .merge(reports::router())
        .merge(integrations::router())
        .merge(webhooks::router())
        .merge(settings::router())
}

/// An address under `/dashboard` that names no page: the dashboard's own 404 page in the user's
/// language (signed out: the sign-in page first), not the API's JSON.
async fn unknown(staff: auth::Staff) -> axum::response::Response {
    error::page(crate::service::ServiceError::NotFound, staff.t)
}
