//! `/dashboard/developers/{methods,dialects,sandbox}`: the integration settings that otherwise
//! need the API — payment methods with their integration ids, the dialects' store settings
//! (Amwal Exchange project, Amwal callback key, the store callback secret) and a word on the
//! sandbox. OWNER and ADMIN only, as the API's services decide; every change goes through the
//! API's own service function, so its rules and audit entries are the API's.

mod dialects;
mod methods;
mod sandbox;
mod secret;
mod texts;

use crate::domain::text::{has_forbidden_control, too_long};
use crate::service::Ctx;
use axum::Router;
use axum::routing::{get, post};
use texts::IntegrationTexts;

/// The integrations pages' routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/dashboard/developers/methods", get(methods::show))
        .route("/dashboard/developers/methods/{id}", post(methods::submit))
        .route("/dashboard/developers/dialects", get(dialects::show))
        .route("/dashboard/developers/dialects/exchange", post(dialects::save_project))
        .route("/dashboard/developers/dialects/callback_secret", post(secret::reveal))
        .route("/dashboard/developers/dialects/callback_secret/rotate", post(secret::rotate))
        .route("/dashboard/developers/sandbox", get(sandbox::show))
}

/// What is wrong with a typed text before any service sees it: a control character (PostgreSQL
/// cannot store NUL, and the API refuses them all) or more than `max` characters.
fn text_problem(it: &'static IntegrationTexts, value: &str, max: usize) -> Option<&'static str> {
    if has_forbidden_control(value) {
        Some(it.e_control)
    } else if too_long(value, max) {
        Some(it.e_too_long)
    } else {
        None
    }
}
