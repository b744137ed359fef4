//! `/dashboard/profile`: the user's language, password and two-step verification; and the two
//! switches every page's shell offers — the language (remembered for the user) and the
//! environment the session works in (sandbox or live).

use super::auth::{self, Staff};
use super::error;
use super::shell::Shell;
use super::stages::{PasswordForm, password_error};
use super::texts::{Texts, texts};
use crate::domain::Environment;
use crate::domain::link::Language;
use crate::service::{Ctx, passwords, sessions, two_factor};
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "dashboard/profile.html")]
struct ProfilePage<'a> {
    shell: Shell,
    t: &'a Texts,
    email: &'a str,
    two_factor_since: Option<String>,
    error: Option<&'a str>,
    /// The developers section, for those who may manage API keys (OWNER and ADMIN).
    developers: Option<&'static super::developers::texts::DeveloperTexts>,
}

/// What the profile page was sent back with.
#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

fn notice(t: &'static Texts, done: Option<&str>) -> Option<String> {
    match done? {
        "password" => Some(t.password_saved.to_owned()),
        "two_factor_off" => Some(t.two_factor_disabled.to_owned()),
        _ => None,
    }
}

fn render(staff: &Staff, notice: Option<String>, error: Option<&str>, status: StatusCode) -> Response {
    let t = staff.t;
    let user = &staff.session.user;
    let page = ProfilePage {
        shell: Shell::new(staff, t.profile_title, "/dashboard/profile").with_notice(notice),
        t,
        email: &user.email,
        two_factor_since: user.two_factor_since.map(|at| staff.when(at)),
        error,
        developers: crate::service::admin::require_admin(&staff.actor)
            .is_ok()
            .then(|| super::developers::texts::DeveloperTexts::of(user.language)),
    };
    Page::render(status, &page).into_response()
}

/// `GET /dashboard/profile`.
pub async fn show(staff: Staff, Query(q): Query<Done>) -> Response {
    render(&staff, notice(staff.t, q.done.as_deref()), None, StatusCode::OK)
}

/// `POST /dashboard/profile/password`.
pub async fn change_password(State(ctx): State<Ctx>, staff: Staff, Form(f): Form<PasswordForm>) -> Response {
    if f.new_password != f.confirm_password {
        return render(&staff, None, Some(staff.t.e_password_mismatch), StatusCode::BAD_REQUEST);
    }
    match passwords::change_password(&ctx, &staff.session, Some(&f.current_password), &f.new_password).await {
        Ok(_) => Redirect::to("/dashboard/profile?done=password").into_response(),
        Err(e) => match password_error(staff.t, &e) {
            Some(message) => render(&staff, None, Some(message), StatusCode::BAD_REQUEST),
            None => error::page(e, staff.t),
        },
    }
}

/// The turn-off form: the current password again.
#[derive(serde::Deserialize)]
pub struct DisableForm {
    current_password: String,
}

/// `POST /dashboard/profile/second-factor/disable`.
pub async fn disable_two_factor(State(ctx): State<Ctx>, staff: Staff, Form(f): Form<DisableForm>) -> Response {
    match two_factor::disable(&ctx, &staff.session, &f.current_password).await {
        Ok(()) => Redirect::to("/dashboard/profile?done=two_factor_off").into_response(),
        Err(e) => match password_error(staff.t, &e) {
            Some(message) => render(&staff, None, Some(message), StatusCode::BAD_REQUEST),
            None => error::page(e, staff.t),
        },
    }
}

/// A switch form: the token, the page to return to, and the chosen value.
#[derive(serde::Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    back: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    environment: String,
}

/// Only a dashboard page is returned to.
fn back_to(back: &str) -> String {
    let ok = back.starts_with("/dashboard") && !back.starts_with("//") && !back.contains('\\');
    if ok { back.to_owned() } else { "/dashboard".to_owned() }
}

/// `POST /dashboard/language`: the user's language, remembered.
pub async fn switch_language(State(ctx): State<Ctx>, staff: auth::Pending, Form(f): Form<SwitchForm>) -> Response {
    let Some(lang) = Language::parse(&f.language) else { return error::forged(staff.t) };
    match sessions::set_language(&ctx, &staff.session, lang).await {
        Ok(()) => Redirect::to(&back_to(&f.back)).into_response(),
        Err(e) => error::page(e, texts(lang)),
    }
}

/// `POST /dashboard/environment`: the session's environment (sandbox or live).
pub async fn switch_environment(State(ctx): State<Ctx>, staff: Staff, Form(f): Form<SwitchForm>) -> Response {
    let Some(env) = Environment::parse(&f.environment) else { return error::forged(staff.t) };
    match sessions::switch_environment(&ctx, &staff.session, env).await {
        Ok(()) => Redirect::to(&back_to(&f.back)).into_response(),
        Err(e) => error::page(e, staff.t),
    }
}
