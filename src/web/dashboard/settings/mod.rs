//! `/dashboard/settings`: the store's profile, logo, refund approval and sign-in rule; its
//! branches; its users. OWNER and ADMIN only — the services decide (403 for others), and an
//! ADMIN never manages an owner. Every change goes through the function the `/v1` API uses, so
//! the rules and the audit entries are the API's; a wrong field re-renders its form with a 400
//! that names it.

mod branches;
mod invite;
mod store;
mod texts;
mod users;

use crate::domain::FieldError;
use crate::domain::text::has_forbidden_control;
use crate::service::{Ctx, ServiceError};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use texts::SettingsTexts;

/// The settings pages' routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/dashboard/settings", get(store::show))
        .route("/dashboard/settings/store", post(store::save_profile))
        .route("/dashboard/settings/logo", post(store::save_logo))
        .route("/dashboard/settings/refund_policy", post(store::save_policy))
        .route("/dashboard/settings/security", post(store::save_security))
        .route("/dashboard/settings/branches", get(branches::show).post(branches::create))
        .route("/dashboard/settings/branches/{id}", post(branches::change))
        .route("/dashboard/settings/users", get(users::show))
        .route("/dashboard/settings/users/new", get(invite::new).post(invite::invite))
        .route("/dashboard/settings/users/{id}", post(users::change))
        .route("/dashboard/settings/users/{id}/disable", post(users::disable))
        .route("/dashboard/settings/users/{id}/enable", post(users::enable))
}

/// The time zones offered first (the Gulf, its neighbours, London and UTC); the store's own
/// zone is added when it is another.
const ZONES: [&str; 12] = [
    "Asia/Riyadh",
    "Asia/Dubai",
    "Asia/Kuwait",
    "Asia/Qatar",
    "Asia/Bahrain",
    "Asia/Muscat",
    "Asia/Baghdad",
    "Africa/Cairo",
    "Asia/Amman",
    "Asia/Beirut",
    "Europe/London",
    "UTC",
];

/// One option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The wrong fields of a form, each with the sentence that names it.
#[derive(Default)]
pub struct Problems(Vec<(String, String)>);

impl Problems {
    /// One wrong field.
    pub fn one(field: &str, message: &str) -> Problems {
        Problems(vec![(field.to_owned(), message.to_owned())])
    }

    /// The sentence for `field`, if it is wrong.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// Every (field, sentence), for a form whose fields are drawn in a table.
    pub fn all(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }

    /// Whether any field is wrong.
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// The first of `fields` holding a control character (PostgreSQL cannot store NUL, and no
/// setting needs one), named for the form.
fn control_field(st: &SettingsTexts, fields: &[(&str, &str)]) -> Option<Problems> {
    let (name, _) = fields.iter().find(|(_, v)| has_forbidden_control(v))?;
    Some(Problems::one(name, st.e_control))
}

/// The sentence for a field the services refuse, or `None` for one no form has.
fn sentence(st: &SettingsTexts, e: &FieldError) -> Option<&'static str> {
    if e.code == crate::domain::ErrorKind::ControlCharacter {
        return Some(st.e_control);
    }
    Some(match e.field.as_str() {
        "name" => st.e_name,
        "default_language" => st.e_language,
        "time_zone" => st.e_time_zone,
        "support_phone" => st.e_phone,
        "support_email" | "email" => st.e_email,
        "notify_per_link_per_hour" | "notify_per_store_per_hour" => st.e_cap,
        "data" | "content_type" | "logo" => st.e_logo,
        "auto_approve_below" | "supervisor_limit" => st.e_amount,
        "code" => st.e_code,
        "role" => st.e_role,
        "branch" => st.e_branch,
        _ => return None,
    })
}

/// The service's refusal as a form's problems and status, when it is about the form's fields;
/// `None` for a refusal the error page says (403, 404, …).
fn refusal(st: &SettingsTexts, e: &ServiceError) -> Option<(StatusCode, Problems)> {
    use crate::service::Conflict;
    match e {
        ServiceError::Invalid(fields) => {
            let found: Option<Vec<_>> =
                fields.iter().map(|f| sentence(st, f).map(|s| (f.field.clone(), s.to_owned()))).collect();
            Some((StatusCode::BAD_REQUEST, Problems(found?)))
        }
        ServiceError::Conflict(Conflict::DuplicateBranchCode, _) => {
            Some((StatusCode::CONFLICT, Problems::one("code", st.e_code_taken)))
        }
        ServiceError::Conflict(Conflict::DuplicateEmail, _) => {
            Some((StatusCode::CONFLICT, Problems::one("email", st.e_email_taken)))
        }
        _ => None,
    }
}
