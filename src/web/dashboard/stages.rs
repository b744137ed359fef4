//! The stages between a right password and the dashboard: the second factor
//! (`/dashboard/second-factor`), a password of one's own at the first sign-in
//! (`/dashboard/password`), and enrolment when the store requires a second factor
//! (`/dashboard/second-factor/enrol`, also reached from the profile). Each page works only at its
//! stage; any other session is sent where it belongs.

use super::auth::{Pending, stage_path};
use super::error;
use super::texts::Texts;
use crate::domain::Rule;
use crate::domain::session::Stage;
use crate::service::sessions::StaffSession;
use crate::service::{Ctx, ServiceError, passwords, two_factor};
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// A stage page: a heading, a lead, one form.
#[derive(Template)]
#[template(path = "dashboard/stage.html")]
struct StagePage<'a> {
    t: &'a Texts,
    css: &'static str,
    csrf: &'a str,
    kind: &'a str,
    error: Option<&'a str>,
}

fn stage_page(p: &Pending, kind: &str, error: Option<&str>, status: StatusCode) -> Response {
    let page = StagePage { t: p.t, css: super::css_href(), csrf: &p.csrf, kind, error };
    Page::render(status, &page).into_response()
}

/// Sends a session that is not at `stage` to where it belongs.
fn elsewhere(s: &StaffSession, stage: Stage) -> Option<Response> {
    (s.stage != stage).then(|| Redirect::to(stage_path(s.stage)).into_response())
}

/// The code form.
#[derive(serde::Deserialize)]
pub struct CodeForm {
    code: String,
}

/// `GET /dashboard/second-factor`.
pub async fn second_factor(p: Pending) -> Response {
    elsewhere(&p.session, Stage::SecondFactor).unwrap_or_else(|| stage_page(&p, "code", None, StatusCode::OK))
}

/// `POST /dashboard/second-factor`.
pub async fn submit_second_factor(State(ctx): State<Ctx>, p: Pending, Form(f): Form<CodeForm>) -> Response {
    if let Some(r) = elsewhere(&p.session, Stage::SecondFactor) {
        return r;
    }
    match two_factor::verify(&ctx, &p.session, &f.code).await {
        Ok(next) => Redirect::to(stage_path(next)).into_response(),
        Err(ServiceError::Invalid(_)) => stage_page(&p, "code", Some(p.t.code_wrong), StatusCode::UNAUTHORIZED),
        Err(ServiceError::TooManyAttempts) => {
            stage_page(&p, "code", Some(p.t.sign_in_locked), StatusCode::TOO_MANY_REQUESTS)
        }
        Err(e) => error::page(e, p.t),
    }
}

/// The new-password form (also the profile's, with `current_password`).
#[derive(serde::Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current_password: String,
    pub new_password: String,
    pub confirm_password: String,
}

/// The sentence for a refused password change.
pub fn password_error(t: &'static Texts, e: &ServiceError) -> Option<&'static str> {
    let ServiceError::Invalid(errors) = e else { return None };
    let first = errors.first()?;
    Some(match (first.field.as_str(), first.rule) {
        ("current_password", _) => t.e_current_password,
        (_, Rule::TooShort) => t.e_password_short,
        (_, Rule::TooLong) => t.e_password_long,
        (_, Rule::Guessable) => t.e_password_guessable,
        _ => t.e_invalid,
    })
}

/// `GET /dashboard/password`: a password of one's own, at the first sign-in.
pub async fn password(p: Pending) -> Response {
    elsewhere(&p.session, Stage::ChangePassword).unwrap_or_else(|| stage_page(&p, "password", None, StatusCode::OK))
}

/// `POST /dashboard/password`.
pub async fn submit_password(State(ctx): State<Ctx>, p: Pending, Form(f): Form<PasswordForm>) -> Response {
    if let Some(r) = elsewhere(&p.session, Stage::ChangePassword) {
        return r;
    }
    if f.new_password != f.confirm_password {
        return stage_page(&p, "password", Some(p.t.e_password_mismatch), StatusCode::BAD_REQUEST);
    }
    match passwords::change_password(&ctx, &p.session, None, &f.new_password).await {
        Ok(next) => Redirect::to(stage_path(next)).into_response(),
        Err(e) => match password_error(p.t, &e) {
            Some(message) => stage_page(&p, "password", Some(message), StatusCode::BAD_REQUEST),
            None => error::page(e, p.t),
        },
    }
}

/// The enrolment page: the QR code, the key to type, the code form.
#[derive(Template)]
#[template(path = "dashboard/enrol.html")]
struct EnrolPage<'a> {
    t: &'a Texts,
    css: &'static str,
    csrf: &'a str,
    required: bool,
    qr_svg: String,
    secret: String,
    error: Option<&'a str>,
}

/// `GET /dashboard/second-factor/enrol`: a fresh secret each time the page is opened.
pub async fn enrol(State(ctx): State<Ctx>, p: Pending) -> Response {
    if !matches!(p.session.stage, Stage::EnrolSecondFactor | Stage::Active) {
        return Redirect::to(stage_path(p.session.stage)).into_response();
    }
    render_enrol(&ctx, &p, None, StatusCode::OK).await
}

/// The enrolment page: a new secret (`error` none), or the pending one again after a wrong code.
async fn render_enrol(ctx: &Ctx, p: &Pending, error: Option<&str>, status: StatusCode) -> Response {
    let found = match error {
        None => two_factor::begin(ctx, &p.session).await,
        Some(_) => two_factor::pending(ctx, &p.session).await,
    };
    let enrolment = match found {
        Ok(e) => e,
        Err(ServiceError::Conflict(..)) => return Redirect::to("/dashboard/profile").into_response(),
        Err(e) => return error::page(e, p.t),
    };
    let qr_svg = crate::web::qr::svg(&enrolment.otpauth_url, p.t.qr_alt).unwrap_or_default();
    let required = p.session.stage == Stage::EnrolSecondFactor;
    let page = EnrolPage {
        t: p.t,
        css: super::css_href(),
        csrf: &p.csrf,
        required,
        qr_svg,
        secret: enrolment.secret_base32,
        error,
    };
    Page::render(status, &page).into_response()
}

/// The recovery codes, shown once, right after enrolment.
#[derive(Template)]
#[template(path = "dashboard/recovery_codes.html")]
struct RecoveryPage<'a> {
    t: &'a Texts,
    css: &'static str,
    codes: Vec<String>,
}

/// `POST /dashboard/second-factor/enrol`: turns two-factor on and shows the recovery codes.
pub async fn submit_enrol(State(ctx): State<Ctx>, p: Pending, Form(f): Form<CodeForm>) -> Response {
    if !matches!(p.session.stage, Stage::EnrolSecondFactor | Stage::Active) {
        return Redirect::to(stage_path(p.session.stage)).into_response();
    }
    match two_factor::confirm(&ctx, &p.session, &f.code).await {
        Ok(codes) => {
            Page::render(StatusCode::OK, &RecoveryPage { t: p.t, css: super::css_href(), codes }).into_response()
        }
        Err(ServiceError::Invalid(_)) => render_enrol(&ctx, &p, Some(p.t.code_wrong), StatusCode::BAD_REQUEST).await,
        Err(e) => error::page(e, p.t),
    }
}
