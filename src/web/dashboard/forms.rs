//! Every state-changing dashboard request proves it comes from one of our pages: a POST must carry
//! its session's form token (`csrf`), checked here once for every route before the handler or its
//! form parser runs — so a missing, forged or another session's token is a 403 page and nothing
//! changes, whatever the handler. The sign-in form is the exception: it has no session yet and
//! carries the pages' signed double-submit token, which its handler checks. Handlers need not
//! check the token again: no POST reaches them without it.

use super::{auth, error, texts::texts};
use crate::domain::link::Language;
use crate::service::{Ctx, sessions};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// The largest dashboard form read (the longest is a link's description and metadata).
const FORM_LIMIT: usize = 64 * 1024;

/// The guard (`axum::middleware::from_fn_with_state`).
pub async fn guard(State(ctx): State<Ctx>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || req.uri().path() == "/dashboard/login" {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
        let t = texts(Language::Ar);
        return error::message(t, StatusCode::PAYLOAD_TOO_LARGE, t.error_title, t.e_invalid.into(), None);
    };
    let token = form_token(&parts.headers, &bytes);
    let session = match auth::cookie_value(&ctx, &parts.headers) {
        Some(cookie) => sessions::find(&ctx, cookie).await,
        None => Ok(None),
    };
    match session {
        Ok(Some(s)) if token.is_some_and(|t| auth::csrf_ok(&ctx, &s, &t)) => {
            // The handler's `Staff` / `Pending` take this session instead of reading it again.
            parts.extensions.insert(auth::Checked(s));
            next.run(Request::from_parts(parts, Body::from(bytes))).await
        }
        Ok(Some(s)) => error::forged(texts(s.user.language)),
        Ok(None) => Redirect::to("/dashboard/login?done=ended").into_response(),
        Err(e) => error::internal(e, Language::Ar),
    }
}

/// The form's `csrf` field: from a URL-encoded body, or from a multipart one (a file upload),
/// where it is the part named `csrf` (the token is URL-safe text, so its line is all of it).
fn form_token(headers: &axum::http::HeaderMap, bytes: &[u8]) -> Option<String> {
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.starts_with("multipart/form-data") {
        return form_urlencoded::parse(bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
    }
    let text = String::from_utf8_lossy(bytes);
    let at = text.find("name=\"csrf\"")?;
    let value = &text[at..][text[at..].find("\r\n\r\n")? + 4..];
    Some(value[..value.find("\r\n")?].to_owned())
}
