//! What the dashboard answers when an action cannot be done: a page in the user's language with
//! the status the API would give (out of scope 404, not allowed 403, a stale form 403, a conflict
//! 409), never the API's JSON. An unexpected failure is logged once with its cause and the
//! request id, which the page shows.

use super::texts::{Texts, texts};
use crate::domain::link::Language;
use crate::service::ServiceError;
use crate::web::page::Page;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A message page outside the shell.
#[derive(Template)]
#[template(path = "dashboard/message.html")]
struct MessagePage<'a> {
    t: &'a Texts,
    css: &'static str,
    heading: &'a str,
    text: String,
    reference: Option<String>,
}

/// A message page with `status`.
pub fn message(
    t: &'static Texts,
    status: StatusCode,
    heading: &str,
    text: String,
    reference: Option<String>,
) -> Response {
    let page = MessagePage { t, css: super::css_href(), heading, text, reference };
    Page::render(status, &page).into_response()
}

/// The page for a refused or failed action.
pub fn page(e: ServiceError, t: &'static Texts) -> Response {
    match e {
        ServiceError::NotFound => message(t, StatusCode::NOT_FOUND, t.not_found_title, t.not_found_text.into(), None),
        ServiceError::Forbidden(_) | ServiceError::Refused(..) => {
            message(t, StatusCode::FORBIDDEN, t.forbidden_title, t.forbidden_text.into(), None)
        }
        ServiceError::Unauthenticated => axum::response::Redirect::to("/dashboard/login").into_response(),
        ServiceError::Conflict(_, msg) => message(t, StatusCode::CONFLICT, t.error_title, msg, None),
        ServiceError::Invalid(errors) => {
            let text = errors.iter().map(|e| format!("{} {}", e.field, e.message)).collect::<Vec<_>>().join("; ");
            message(t, StatusCode::BAD_REQUEST, t.e_invalid, text, None)
        }
        ServiceError::TooManyAttempts | ServiceError::RateLimited(..) | ServiceError::KeyRateLimited { .. } => {
            message(t, StatusCode::TOO_MANY_REQUESTS, t.error_title, t.sign_in_locked.into(), None)
        }
        ServiceError::Internal(cause) => internal_cause(&crate::service::error_chain(cause.as_ref()), t),
    }
}

/// A stale or forged form: 403, nothing changed.
pub fn forged(t: &'static Texts) -> Response {
    message(t, StatusCode::FORBIDDEN, t.bad_form_title, t.bad_form_text.into(), None)
}

fn internal_cause(cause: &str, t: &'static Texts) -> Response {
    let id = crate::request_id::current_or_empty();
    tracing::error!(request_id = %id, error = %cause, "dashboard: internal error");
    message(t, StatusCode::INTERNAL_SERVER_ERROR, t.error_title, t.error_text.into(), Some(id))
}

/// An internal error before the user's language is known.
pub fn internal(e: ServiceError, lang: Language) -> Response {
    page(e, texts(lang))
}
