//! `/dashboard/developers`: the API keys of the store in the session's environment, a form that
//! makes one and shows its secret once, and a revoke button. OWNER and ADMIN only; every rule
//! and every audit entry is the `/v1/api_keys` service's (`service::admin::api`).

mod create;
mod keys;
mod revoke;
pub mod tabs;
pub(super) mod texts;

use super::status::Pill;
use crate::domain::Timestamp;
use crate::domain::tenancy::{ApiKey, KeyBinding, User};
use crate::service::Ctx;
use crate::web::dashboard::auth::Staff;
use axum::Router;
use axum::routing::{get, post};
use texts::DeveloperTexts;

/// The developers pages' routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/dashboard/developers", get(keys::show))
        .route("/dashboard/developers/keys", get(keys::show))
        .route("/dashboard/developers/keys/new", get(create::show).post(create::submit))
        .route("/dashboard/developers/keys/{id}/revoke", post(revoke::submit))
}

/// A key as a row of the list: only what the API shows of it (never a secret or digest).
pub struct Row {
    pub id: String,
    pub name: String,
    pub environment: &'static str,
    pub prefix: String,
    pub acts_as: String,
    pub last_used: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub status: Pill,
    pub active: bool,
}

/// The row of `k`, naming its user from `users`.
fn row(staff: &Staff, k: &ApiKey, users: &[User], now: Timestamp) -> Row {
    let lang = staff.session.user.language;
    let dt = DeveloperTexts::of(lang);
    let status = key_status(dt, k, now);
    Row {
        id: k.id.to_string(),
        name: k.name.clone(),
        environment: environment(dt, k.environment),
        prefix: format!("{}…", k.prefix),
        acts_as: acts_as(staff, dt, &k.binding, users),
        last_used: k.last_used_at.map_or_else(|| dt.never_used.to_owned(), |at| staff.when(at)),
        created_at: staff.when(k.created_at),
        expires_at: k.expires_at.map(|at| staff.when(at)),
        active: status.tone == "ok",
        status,
    }
}

/// Active, revoked or expired, as a pill.
fn key_status(dt: &'static DeveloperTexts, k: &ApiKey, now: Timestamp) -> Pill {
    if k.revoked_at.is_some() {
        Pill { label: dt.revoked, tone: "bad" }
    } else if k.expires_at.is_some_and(|at| at <= now) {
        Pill { label: dt.expired, tone: "" }
    } else {
        Pill { label: dt.active, tone: "ok" }
    }
}

fn environment(dt: &'static DeveloperTexts, env: crate::domain::Environment) -> &'static str {
    match env {
        crate::domain::Environment::Sandbox => dt.sandbox,
        crate::domain::Environment::Production => dt.production,
    }
}

/// "User: name" or "Role: role".
fn acts_as(staff: &Staff, dt: &'static DeveloperTexts, binding: &KeyBinding, users: &[User]) -> String {
    match binding {
        KeyBinding::User(id) => {
            let name = users.iter().find(|u| &u.id == id).map_or_else(|| id.to_string(), |u| u.name.clone());
            format!("{}: {}", dt.user_key, name)
        }
        KeyBinding::Role { role, .. } => format!("{}: {}", dt.role_key, staff.t.role(*role)),
    }
}
