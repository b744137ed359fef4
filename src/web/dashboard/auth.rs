//! Who is asking: the session cookie read into a [`Staff`] (a signed-in user, stage done) or a
//! [`Pending`] session (password right, a stage still to do). The cookie is `__Host-` prefixed,
//! `Secure` on an https deployment, always `HttpOnly` and `SameSite=Lax`. Forms of a session
//! carry a token derived from the session (HMAC of its digest under the instance's page key), so
//! a form another site makes the browser post is refused.

use super::texts::{Texts, texts};
use crate::domain::access::Actor;
use crate::domain::session::Stage;
use crate::service::Ctx;
use crate::service::sessions::{self, StaffSession};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;

/// The session cookie's name: `__Host-paylink_session` on https (the browser then refuses it
/// from any other origin, path or insecure connection), `paylink_session` on plain http.
pub fn cookie_name(ctx: &Ctx) -> &'static str {
    name_for(secure(ctx))
}

fn name_for(secure: bool) -> &'static str {
    if secure { "__Host-paylink_session" } else { "paylink_session" }
}

/// The `Set-Cookie` value of a session cookie (`value` empty: one that removes it).
fn cookie(secure: bool, value: &str) -> String {
    let (flag, removal) = (if secure { "; Secure" } else { "" }, if value.is_empty() { "; Max-Age=0" } else { "" });
    format!("{}={value}; Path=/; HttpOnly; SameSite=Lax{removal}{flag}", name_for(secure))
}

fn secure(ctx: &Ctx) -> bool {
    ctx.config.public_base().starts_with("https://")
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(ctx: &Ctx, value: &str) -> String {
    cookie(secure(ctx), value)
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(ctx: &Ctx) -> String {
    cookie(secure(ctx), "")
}

/// The session cookie's value in a request.
pub fn cookie_value<'h>(ctx: &Ctx, headers: &'h HeaderMap) -> Option<&'h str> {
    let name = cookie_name(ctx);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The form token of a session.
pub fn csrf_token(ctx: &Ctx, session: &StaffSession) -> String {
    let mac = crate::domain::sign::hmac_sha256(ctx.page_key.as_ref(), &[b"dashboard:", session.digest.as_bytes()]);
    B64.encode(mac)
}

/// Whether a posted token is the session's (constant time).
pub fn csrf_ok(ctx: &Ctx, session: &StaffSession, token: &str) -> bool {
    let expected = csrf_token(ctx, session);
    expected.len() == token.len() && expected.bytes().zip(token.bytes()).fold(0u8, |a, (x, y)| a | (x ^ y)) == 0
}

/// Where a session at `stage` must go before anything else.
pub fn stage_path(stage: Stage) -> &'static str {
    match stage {
        Stage::Active => "/dashboard",
        Stage::SecondFactor => "/dashboard/second-factor",
        Stage::ChangePassword => "/dashboard/password",
        Stage::EnrolSecondFactor => "/dashboard/second-factor/enrol",
    }
}

/// A signed-in user, every stage done: the session, the actor it acts as, its texts and form
/// token. Without a session the browser is sent to sign in (and then back to where it was);
/// with one still at a stage, to that stage.
pub struct Staff {
    pub session: StaffSession,
    pub actor: Actor,
    pub t: &'static Texts,
    pub csrf: String,
}

impl Staff {
    /// A time as this user reads it: in their language, on the store's clock.
    pub fn when(&self, at: crate::domain::Timestamp) -> String {
        crate::domain::format::format_datetime_in(at, self.session.user.language, &self.session.zone)
    }
}

/// A session at any stage (the stage pages themselves).
pub struct Pending {
    pub session: StaffSession,
    pub t: &'static Texts,
    pub csrf: String,
}

/// The redirect to the sign-in page, back to `path` afterwards.
fn to_sign_in(path: &str) -> Response {
    let next: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
    Redirect::to(&format!("/dashboard/login?next={next}")).into_response()
}

/// The session the form guard (`forms::guard`) found and checked the POST's token against,
/// handed to the handler's extractor in the request's extensions.
#[derive(Clone)]
pub struct Checked(pub StaffSession);

async fn session_of(ctx: &Ctx, parts: &mut Parts) -> Result<StaffSession, Response> {
    if let Some(Checked(session)) = parts.extensions.remove::<Checked>() {
        return Ok(session);
    }
    let Some(cookie) = cookie_value(ctx, &parts.headers) else { return Err(to_sign_in(parts.uri.path())) };
    match sessions::find(ctx, cookie).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(to_sign_in(parts.uri.path())),
        Err(e) => Err(super::error::internal(e, crate::domain::link::Language::Ar)),
    }
}

impl FromRequestParts<Ctx> for Pending {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Self, Response> {
        let session = session_of(ctx, parts).await?;
        let (t, csrf) = (texts(session.user.language), csrf_token(ctx, &session));
        Ok(Pending { session, t, csrf })
    }
}

impl FromRequestParts<Ctx> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Self, Response> {
        let Pending { session, t, csrf } = Pending::from_request_parts(parts, ctx).await?;
        if session.stage != Stage::Active {
            return Err(Redirect::to(stage_path(session.stage)).into_response());
        }
        let actor = session.actor();
        Ok(Staff { session, actor, t, csrf })
    }
}

#[cfg(test)]
mod tests {
    use super::cookie;

    #[test]
    fn on_https_the_session_cookie_is_host_prefixed_and_secure() {
        assert_eq!(cookie(true, "abc"), "__Host-paylink_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure");
        assert_eq!(cookie(true, ""), "__Host-paylink_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure");
    }

    #[test]
    fn on_plain_http_the_session_cookie_has_no_prefix_and_no_secure_flag() {
        assert_eq!(cookie(false, "abc"), "paylink_session=abc; Path=/; HttpOnly; SameSite=Lax");
    }
}
