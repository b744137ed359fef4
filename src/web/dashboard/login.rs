//! `/dashboard/login` and `/dashboard/logout`. The sign-in form is protected like the payment
//! page's forms (a signed double-submit token: there is no session yet); a good password sets a
//! new session cookie — a new id at every sign-in — and leads to the session's first stage, or
//! to the page the browser was sent from.

use super::auth::{self, stage_path};
use super::error;
use super::texts::{Texts, texts};
use crate::domain::link::Language;
use crate::domain::session::Stage;
use crate::service::sessions;
use crate::service::sign_in::{self, Attempt};
use crate::service::{Ctx, ServiceError};
use crate::web::page::Page;
use crate::web::{ClientAddr, PageLang, csrf};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// What the sign-in form's token is bound to (there is no link).
const FORM: &str = "dashboard-login";

#[derive(Template)]
#[template(path = "dashboard/login.html")]
struct LoginPage<'a> {
    t: &'a Texts,
    css: &'static str,
    csrf: String,
    next: String,
    /// The same page in the other language.
    switch: String,
    email: String,
    error: Option<&'a str>,
    notice: Option<&'a str>,
}

/// The query of the sign-in page.
#[derive(serde::Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    done: Option<String>,
}

/// The sign-in form.
#[derive(serde::Deserialize)]
pub struct LoginForm {
    csrf: String,
    email: String,
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    lang: String,
}

/// Only a dashboard path may be returned to (never another site).
fn safe_next(next: &str) -> String {
    let ok = next.starts_with("/dashboard") && !next.starts_with("//") && !next.contains('\\');
    if ok { next.to_owned() } else { "/dashboard".to_owned() }
}

fn render(ctx: &Ctx, headers: &HeaderMap, page: LoginPageParts, status: StatusCode) -> Response {
    let nonce = csrf::Nonce::from_headers(headers);
    let token = nonce.token(&ctx.page_key, FORM, ctx.clock.now());
    let t = page.t;
    let body = LoginPage {
        t,
        css: super::css_href(),
        csrf: token,
        switch: format!(
            "/dashboard/login?lang={}&next={}",
            t.other_lang,
            form_urlencoded::byte_serialize(page.next.as_bytes()).collect::<String>()
        ),
        next: page.next,
        email: page.email,
        error: page.error,
        notice: page.notice,
    };
    let cookie = nonce.set_cookie(ctx.config.public_base().starts_with("https://"));
    Page::render(status, &body).with_cookie(cookie).into_response()
}

struct LoginPageParts {
    t: &'static Texts,
    next: String,
    email: String,
    error: Option<&'static str>,
    notice: Option<&'static str>,
}

/// `GET /dashboard/login`.
pub async fn show(
    State(ctx): State<Ctx>,
    PageLang(lang): PageLang,
    Query(q): Query<LoginQuery>,
    headers: HeaderMap,
) -> Response {
    let t = texts(lang.unwrap_or(Language::Ar));
    let notice = match q.done.as_deref() {
        Some("signed_out") => Some(t.signed_out),
        Some("ended") => Some(t.session_ended),
        _ => None,
    };
    let parts = LoginPageParts {
        t,
        next: safe_next(q.next.as_deref().unwrap_or("")),
        email: String::new(),
        error: None,
        notice,
    };
    render(&ctx, &headers, parts, StatusCode::OK)
}

/// `POST /dashboard/login`.
pub async fn submit(
    State(ctx): State<Ctx>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else { return error::forged(texts(Language::Ar)) };
    let t = texts(Language::parse(&form.lang).unwrap_or(Language::Ar));
    if !csrf::verify(&ctx.page_key, &headers, FORM, &form.csrf, ctx.clock.now()) {
        return error::forged(t);
    }
    let attempt = Attempt { email: &form.email, password: &form.password, client };
    let refused = |message| LoginPageParts {
        t,
        next: safe_next(&form.next),
        email: form.email.clone(),
        error: Some(message),
        notice: None,
    };
    match sign_in::sign_in(&ctx, attempt).await {
        Ok(opened) => {
            if opened.stage == Stage::ChangePassword {
                adopt_language(&ctx, &opened.cookie, t).await;
            }
            let to =
                if opened.stage == Stage::Active { safe_next(&form.next) } else { stage_path(opened.stage).into() };
            redirect_with_cookie(&to, &auth::set_cookie(&ctx, &opened.cookie))
        }
        Err(ServiceError::Unauthenticated) => {
            render(&ctx, &headers, refused(t.sign_in_refused), StatusCode::UNAUTHORIZED)
        }
        Err(ServiceError::TooManyAttempts) => {
            render(&ctx, &headers, refused(t.sign_in_locked), StatusCode::TOO_MANY_REQUESTS)
        }
        Err(e) => error::page(e, t),
    }
}

/// At a first sign-in (a generated password still to replace) the user has never chosen a
/// language: the one they signed in with becomes theirs, so a user who switched the sign-in page
/// to English is not greeted in Arabic. Later sign-ins keep the language the user chose. Best
/// effort: a failure leaves the default and is logged.
async fn adopt_language(ctx: &Ctx, cookie: &str, t: &'static Texts) {
    let Some(lang) = Language::parse(t.lang) else { return };
    let set = match sessions::find(ctx, cookie).await {
        Ok(Some(session)) if session.user.language != lang => sessions::set_language(ctx, &session, lang).await,
        Ok(_) => Ok(()),
        Err(e) => Err(e),
    };
    if let Err(e) = set {
        tracing::warn!(error = %e, "dashboard: keeping the default language");
    }
}

/// 303 to `to` with a cookie set.
pub fn redirect_with_cookie(to: &str, cookie: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let (Ok(location), Ok(cookie)) = (HeaderValue::from_str(to), HeaderValue::from_str(cookie)) {
        response.headers_mut().insert(LOCATION, location);
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}

/// `POST /dashboard/logout`: ends the session everywhere and removes the cookie (the form
/// carries only its token, which the form guard has checked).
pub async fn logout(State(ctx): State<Ctx>, staff: auth::Pending) -> Response {
    if let Err(e) = sessions::end(&ctx, &staff.session).await {
        return error::page(e, staff.t);
    }
    let to = format!("/dashboard/login?done=signed_out&lang={}", staff.t.lang);
    redirect_with_cookie(&to, &auth::clear_cookie(&ctx))
}
