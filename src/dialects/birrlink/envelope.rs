//! Every answer under BirrLink's base paths is in its envelope, including those of the layers
//! it shares with the native API: the `Idempotency-Key` layer (409 in flight, 422 reused key,
//! 400 bad key), the body-size limit (413), axum's own rejections (path, query, body), unknown
//! routes (404), wrong methods (405) and handler panics (500).

use super::error::{BirrLinkError, Enveloped, shared_failure};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

/// Middleware: a failure answered in another shape is put into BirrLink's envelope, keeping its
/// status and headers (`Retry-After`, …). Responses already in the envelope (ours, or an
/// idempotent replay of ours) pass unchanged.
pub async fn envelope(req: Request, next: Next) -> Response {
    crate::dialects::reshape::failures::<Enveloped>(next.run(req).await, |status, bytes| {
        let e = match serde_json::from_slice::<Failure>(bytes) {
            Ok(Failure::Ours { .. }) => return None,
            Ok(Failure::Native { error, error_code, details }) => {
                shared_failure(status, &error_code, error, details.into_iter().collect())
            }
            Err(_) => {
                let text = crate::dialects::reshape::plain_text(status, bytes, "Request failed");
                shared_failure(status, "", text, Vec::new())
            }
        };
        Some(e.into_response())
    })
    .await
}

/// A failure body another layer wrote: already the envelope, or the native shape
/// (`crate::api::error::ErrorBody`) as far as the envelope needs it.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Failure {
    Ours {
        #[serde(rename = "status")]
        _status: serde::de::IgnoredAny,
        #[serde(rename = "error")]
        _error: ErrorObjectProbe,
    },
    Native {
        error: String,
        #[serde(default)]
        error_code: String,
        #[serde(default)]
        details: BTreeMap<String, String>,
    },
}

/// The envelope's `error` object (only its presence matters).
#[derive(serde::Deserialize)]
struct ErrorObjectProbe {
    #[serde(rename = "code")]
    _code: serde::de::IgnoredAny,
}

/// An unknown route under a BirrLink base path.
pub async fn route_not_found() -> BirrLinkError {
    BirrLinkError::not_found()
}

/// A known route asked with another method.
pub async fn method_not_allowed() -> BirrLinkError {
    BirrLinkError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "This route does not accept this method")
}

/// A handler panic, answered opaquely (the log has it).
pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    BirrLinkError::internal("birrlink handler panicked").into_response()
}
