//! One payment link on the dashboard: creating it at the counter (`/dashboard/links/new`), the
//! counter view shown to the customer (`/dashboard/links/{id}/counter`: amount, a large QR code,
//! the address to copy, send or share, a print sheet), and its detail page with the actions the
//! user's role allows (`/dashboard/links/{id}`). Every call goes through the same `service`
//! function as the API, so scope (404) and permissions (403) are the API's.

mod actions;
mod counter;
mod detail;
mod form;
mod history;
mod new;
mod texts;

use crate::domain::link::Link;
use crate::service::Ctx;
use crate::web::dashboard::auth::Staff;
use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::response::Response;
use axum::routing::{get, post};
use texts::LinkTexts;

/// The link pages' routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/dashboard/links/new", get(new::show).post(new::submit))
        .route("/dashboard/links/{id}", get(detail::show))
        .route("/dashboard/links/{id}/counter", get(counter::show))
        .route("/dashboard/links/{id}/notify", post(actions::notify))
        .route("/dashboard/links/{id}/cancel", post(actions::cancel))
        .route("/dashboard/links/{id}/payments", post(actions::record_payment))
}

/// The sentences of the user's language.
fn texts_of(staff: &Staff) -> &'static LinkTexts {
    LinkTexts::of(staff.session.user.language)
}

/// The address the customer pays at (the API's `url`).
fn pay_url(ctx: &Ctx, link: &Link) -> String {
    crate::dto::link::LinkOut::new(link, ctx.clock.now(), ctx.config.public_base()).url
}

/// The pages' policy plus the dashboard's own script file (`/assets/dashboard-….js`): copy and
/// print buttons. Still no inline script.
pub(crate) fn allow_own_script(mut response: Response) -> Response {
    let policy = format!("{}; script-src 'self'", crate::web::page::csp(&[]));
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// What an action came back with (`?done=…`), as a notice.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

impl Done {
    fn notice(&self, t: &'static LinkTexts) -> Option<String> {
        let text = match self.done.as_str() {
            "created" => t.created_notice,
            "sent" => t.sent_notice,
            "cancelled" => t.cancelled_notice,
            "recorded" => t.recorded_notice,
            _ => return None,
        };
        Some(text.to_owned())
    }
}
