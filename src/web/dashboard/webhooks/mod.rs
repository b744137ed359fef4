//! `/dashboard/developers/webhooks`: the store's webhook endpoints in the session's environment —
//! create one (its secret shown once), enable, disable, rotate the secret (shown once), delete —
//! and per endpoint its delivery log, one delivery's attempts, "send again" and a replay of a
//! time range. OWNER and ADMIN only; every rule, scope and refusal is the `/v1/webhook_endpoints`
//! services' (`service::webhooks`, `service::webhook_deliveries`, `service::callbacks`).

mod actions;
mod create;
mod delivery;
mod list;
mod log;
mod texts;

use super::status::Pill;
use crate::domain::webhook::{EndpointStatus, Subscription, WebhookEndpoint};
use crate::service::Ctx;
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::link_pages::allow_own_script;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use texts::HookTexts;

/// Where the pages live.
const BASE: &str = "/dashboard/developers/webhooks";

/// The webhook pages' routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route(BASE, get(list::show))
        .route("/dashboard/developers/webhooks/new", get(create::show).post(create::submit))
        .route("/dashboard/developers/webhooks/{id}", get(log::show))
        .route("/dashboard/developers/webhooks/{id}/enable", post(actions::enable))
        .route("/dashboard/developers/webhooks/{id}/disable", post(actions::disable))
        .route("/dashboard/developers/webhooks/{id}/rotate", post(actions::rotate))
        .route("/dashboard/developers/webhooks/{id}/delete", post(actions::delete))
        .route("/dashboard/developers/webhooks/{id}/replay", post(log::replay))
        .route("/dashboard/developers/webhooks/{id}/deliveries/{event}", get(delivery::show))
        .route("/dashboard/developers/webhooks/{id}/deliveries/{event}/redeliver", post(delivery::redeliver))
}

/// The sentences of the signed-in user's language.
fn texts_of(staff: &Staff) -> &'static HookTexts {
    HookTexts::of(staff.session.user.language)
}

/// An endpoint's state as a pill.
fn endpoint_pill(ht: &'static HookTexts, w: &WebhookEndpoint) -> Pill {
    match w.status {
        EndpointStatus::Enabled => Pill { label: ht.enabled, tone: "ok" },
        _ => Pill { label: ht.disabled, tone: "" },
    }
}

/// The event types an endpoint receives, as a person reads them.
fn events_label(ht: &'static HookTexts, s: &Subscription) -> String {
    match s {
        Subscription::All => ht.all_events.to_owned(),
        Subscription::Only(types) => types.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "),
    }
}

/// A delivery's state as a pill.
fn delivery_pill(ht: &'static HookTexts, status: &str) -> Pill {
    match status {
        "delivered" => Pill { label: ht.delivered, tone: "ok" },
        "failed" => Pill { label: ht.failed, tone: "bad" },
        _ => Pill { label: ht.pending, tone: "warn" },
    }
}

#[derive(Template)]
#[template(path = "dashboard/webhooks/secret.html")]
struct SecretPage<'a> {
    shell: Shell,
    tabs: crate::web::dashboard::developers::tabs::Tabs,
    ht: &'a HookTexts,
    heading: &'static str,
    /// Said under the warning after a rotation (the previous secret's grace period).
    grace: Option<&'static str>,
    url: String,
    secret: String,
    /// The dashboard's own script (the copy button).
    js: &'static str,
}

/// The page that shows an endpoint's secret, this once (after creation or rotation).
fn secret_page(
    staff: &Staff,
    heading: &'static str,
    grace: Option<&'static str>,
    w: WebhookEndpoint,
    secret: String,
) -> Response {
    use crate::web::dashboard::developers::tabs::{DevTab, Tabs};
    let ht = texts_of(staff);
    let page = SecretPage {
        shell: Shell::new(staff, heading, BASE),
        tabs: Tabs::new(staff.session.user.language, DevTab::Webhooks),
        ht,
        heading,
        grace,
        url: w.url,
        secret,
        js: crate::web::assets::dashboard_js_href(),
    };
    allow_own_script(Page::render(StatusCode::OK, &page).into_response())
}
