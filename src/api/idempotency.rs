//! The `Idempotency-Key` middleware for POST, PUT and PATCH: claims the key before the handler
//! runs, stores the response after, replays it byte for byte on a retry — except a secret shown
//! only once (an API key, a webhook signing secret), which is never stored: the replay carries
//! `"secret": null`.

use super::error::ApiError;
use super::extract::Auth;
use crate::service::Ctx;
use crate::service::idempotency::{self, Outcome};
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A route's own body limit, larger than the global one (a dialect's create route that takes
/// an image): the route puts it in the request's extensions and this layer reads bodies up to it.
#[derive(Clone, Copy, Debug)]
pub struct RouteBodyLimit(pub usize);

/// Marks a response whose `secret` fields are shown only this once (set as a response extension
/// by the handler: `(StatusCode::CREATED, Extension(ShownOnce), Json(…))`).
#[derive(Clone, Copy, Debug)]
pub struct ShownOnce;

/// Applies idempotency when the request carries the header.
pub async fn layer(State(ctx): State<Ctx>, req: Request, next: Next) -> Response {
    let writes = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH);
    let Some(key) = req.headers().get("idempotency-key").filter(|_| writes) else { return next.run(req).await };
    let key = match key.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 255 => k.to_owned(),
        _ => {
            return ApiError::field(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                "Idempotency-Key",
                "must be 1 to 255 visible ASCII characters",
            )
            .into_response();
        }
    };
    let (mut parts, body) = req.into_parts();
    let actor = match Auth::from_request_parts(&mut parts, &ctx).await {
        Ok(Auth(actor)) => actor,
        Err(e) => return e.into_response(),
    };
    parts.extensions.insert(actor.clone());
    let limit = parts.extensions.get::<RouteBodyLimit>().map_or(ctx.config.limits.max_body_bytes, |l| l.0);
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "the request body is too large")
            .into_response();
    };
    let target = parts.uri.path_and_query().map_or("", |p| p.as_str());
    let fingerprint = [parts.method.as_str().as_bytes(), b" ", target.as_bytes(), b"\n", &bytes].concat();
    match idempotency::begin(&ctx, &actor, &key, &fingerprint).await {
        Err(e) => ApiError::from(e).into_response(),
        Ok(Outcome::Replay { status, body }) => replay(status, body),
        Ok(Outcome::InFlight) => ApiError::new(
            StatusCode::CONFLICT,
            "IDEMPOTENCY_IN_FLIGHT",
            "a request with this Idempotency-Key is still being processed",
        )
        .into_response(),
        Ok(Outcome::Mismatch) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "IDEMPOTENCY_KEY_REUSED",
            "this Idempotency-Key was used with a different request",
        )
        .into_response(),
        Ok(Outcome::Acquired) => {
            let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            record(&ctx, &actor, &key, response).await
        }
    }
}

async fn record(ctx: &Ctx, actor: &crate::domain::access::Actor, key: &str, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let stored = if parts.status.is_server_error() {
        idempotency::abandon(ctx, actor, key).await
    } else {
        let text = match parts.extensions.get::<ShownOnce>() {
            Some(_) => without_secrets(&bytes),
            None => String::from_utf8_lossy(&bytes).into_owned(),
        };
        idempotency::finish(ctx, actor, key, parts.status.as_u16(), text).await
    };
    if let Err(e) = stored {
        tracing::error!(error = %e, "could not record an idempotent response; the key stays claimed until its lease ends");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

/// The body with every `secret` member (at any depth) set to null, as stored for a replay.
fn without_secrets(bytes: &[u8]) -> String {
    fn redact(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => map.iter_mut().for_each(|(k, v)| match k.as_str() {
                "secret" => *v = serde_json::Value::Null,
                _ => redact(v),
            }),
            serde_json::Value::Array(items) => items.iter_mut().for_each(redact),
            _ => {}
        }
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(mut v) => {
            redact(&mut v);
            v.to_string()
        }
        // Not JSON: nothing of it is kept.
        Err(_) => "{}".to_owned(),
    }
}
