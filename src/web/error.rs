//! Why a page could not be shown, and the friendly HTML page (in the payer's language) that says
//! so. Service errors map here in one place; field errors a form can show are handled by the
//! form's own handler before they reach this.

use super::i18n::{Texts, texts};
use super::page::{Frame, Page};
use crate::domain::link::Language;
use crate::service::{Conflict, ServiceError};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What went wrong, as the payer is told.
#[derive(Debug)]
pub enum Kind {
    NotFound,
    /// The form's CSRF token was missing, stale or not this browser's.
    Forbidden,
    /// The form could not be read or named fields this page does not show.
    BadForm,
    Conflict(Conflict),
    TooManyAttempts,
    Internal,
}

/// A page that could not be shown: the reason, the language to apologise in, and where to go back.
#[derive(Debug)]
pub struct PageError {
    pub kind: Kind,
    pub lang: Language,
    pub back: Option<String>,
}

impl PageError {
    /// An error page in `lang` with no way back.
    pub fn new(kind: Kind, lang: Language) -> PageError {
        PageError { kind, lang, back: None }
    }

    /// Offers a link back to `href` (the link page).
    pub fn back_to(mut self, href: String) -> PageError {
        self.back = Some(href);
        self
    }

    /// The error for a service failure.
    pub fn from_service(e: ServiceError, lang: Language) -> PageError {
        let kind = match e {
            ServiceError::NotFound
            | ServiceError::Forbidden(_)
            | ServiceError::Refused(..)
            | ServiceError::Unauthenticated => Kind::NotFound,
            ServiceError::Invalid(_) => Kind::BadForm,
            ServiceError::Conflict(c, _) => Kind::Conflict(c),
            ServiceError::TooManyAttempts | ServiceError::RateLimited(..) | ServiceError::KeyRateLimited { .. } => {
                Kind::TooManyAttempts
            }
            ServiceError::Internal(cause) => {
                let id = crate::request_id::current_or_empty();
                tracing::error!(request_id = %id, error = %crate::service::error_chain(cause.as_ref()), "page: internal error");
                Kind::Internal
            }
        };
        PageError::new(kind, lang)
    }
}

/// Turns a service result into a page result in the payer's language.
pub trait OrPage<T> {
    /// Maps the error to its page.
    fn or_page(self, lang: Language) -> Result<T, PageError>;
}

impl<T> OrPage<T> for crate::service::Result<T> {
    fn or_page(self, lang: Language) -> Result<T, PageError> {
        self.map_err(|e| PageError::from_service(e, lang))
    }
}

/// The sentence for a conflict.
fn conflict_text(t: &'static Texts, c: Conflict) -> &'static str {
    match c {
        Conflict::LinkBusy => t.c_link_busy,
        Conflict::LinkAlreadyPaid => t.c_already_paid,
        Conflict::PaymentNotWaiting => t.c_payment_done,
        _ => t.c_not_open,
    }
}

#[derive(Template)]
#[template(path = "pay/message.html")]
struct MessagePage {
    page: Frame,
    tone: &'static str,
    heading: &'static str,
    body: &'static str,
    back: Option<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let t = texts(self.lang);
        let (status, tone, heading, body) = match self.kind {
            Kind::NotFound => (StatusCode::NOT_FOUND, "off", t.not_found_title, t.not_found_body),
            Kind::Forbidden => (StatusCode::FORBIDDEN, "warn", t.forbidden_title, t.forbidden_body),
            Kind::BadForm => (StatusCode::BAD_REQUEST, "warn", t.bad_form_title, t.forbidden_body),
            Kind::Conflict(c) => (StatusCode::CONFLICT, "warn", t.conflict_title, conflict_text(t, c)),
            Kind::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "bad", t.too_many_title, t.too_many_body),
            Kind::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "bad", t.internal_title, t.internal_body),
        };
        let page = MessagePage { page: Frame::new(t, heading), tone, heading, body, back: self.back };
        Page::render(status, &page).into_response()
    }
}
