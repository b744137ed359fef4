//! The Exchange dialect's error envelope. Amwal Exchange answers `{"data": …, "err": 0}` on
//! success (seed 002) and documents no failure shape, so a failure keeps the envelope:
//! `{"data": null, "err": <n>, "message": "…", "details": {"field": "…"}}`, with the HTTP status
//! that fits. `err` is a small stable table, one number per kind of failure (the HTTP status
//! tells the rest):
//!
//! | err | meaning | HTTP |
//! |---|---|---|
//! | 1 | invalid request (input, JSON, content type, size, method) | 400, 405, 413, 415, 422 |
//! | 2 | authentication (missing, invalid, expired or revoked key) | 401 |
//! | 3 | not found (project, invoice, route) | 404 |
//! | 4 | forbidden (the key's role may not do this) | 403 |
//! | 5 | conflict (a request with this `Idempotency-Key` is in flight, …) | 409 |
//! | 6 | rate limited | 429 |
//! | 99 | internal error (opaque; the log has the cause) | 500 |

use crate::api::error::{ApiError, RateLimitInfo};
use crate::service::ServiceError;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A failure, answered in the envelope.
#[derive(Debug)]
pub struct ExchangeError {
    /// The HTTP status; `err` follows from it.
    pub status: StatusCode,
    /// A sentence for the developer, naming fields as the dialect spells them.
    pub message: String,
    /// Per-field messages.
    pub details: BTreeMap<String, String>,
    /// A spent per-key allowance (429): `Retry-After` and the RateLimit headers.
    pub rate_limit: Option<RateLimitInfo>,
}

/// The body of every failure.
#[derive(Serialize, ToSchema)]
pub struct ErrorEnvelope {
    /// Always null on a failure.
    #[schema(value_type = Option<Object>)]
    pub data: Option<()>,
    /// Non-zero: 1 invalid request, 2 authentication, 3 not found, 4 forbidden, 5 conflict,
    /// 6 rate limited, 99 internal.
    pub err: u8,
    /// A sentence for the developer.
    pub message: String,
    /// Per-field messages, keyed by the request's field name (`amount`, `header`, …).
    pub details: BTreeMap<String, String>,
}

/// The `err` number of an HTTP status.
pub fn err_code(status: StatusCode) -> u8 {
    match status.as_u16() {
        401 => 2,
        403 => 4,
        404 => 3,
        409 => 5,
        429 => 6,
        400..=499 => 1,
        _ => 99,
    }
}

/// Our field names as the dialect spells them (a link's `title` is an invoice's `header`).
fn dialect_field(field: String) -> String {
    match field.as_str() {
        "title" => "header".to_owned(),
        "success_url" => "successUrl".to_owned(),
        "cancel_url" => "cancelUrl".to_owned(),
        _ => field,
    }
}

impl ExchangeError {
    /// A failure with no field details.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ExchangeError { status, message: message.into(), details: BTreeMap::new(), rate_limit: None }
    }

    /// 404 for a project or invoice that does not exist or is not the key's.
    pub fn not_found(what: &str) -> Self {
        ExchangeError::new(StatusCode::NOT_FOUND, format!("no such {what}"))
    }
}

impl From<ApiError> for ExchangeError {
    fn from(e: ApiError) -> Self {
        let details: BTreeMap<String, String> = e.details.into_iter().map(|(f, m)| (dialect_field(f), m)).collect();
        // The sentence is rebuilt from the renamed fields, so it never names one of ours.
        let message = match details.is_empty() {
            _ if e.status == StatusCode::INTERNAL_SERVER_ERROR => internal_message(),
            false => details.iter().map(|(f, m)| format!("{f} {m}")).collect::<Vec<_>>().join("; "),
            true => e.message,
        };
        ExchangeError { status: e.status, message, details, rate_limit: e.rate_limit }
    }
}

impl From<ServiceError> for ExchangeError {
    fn from(e: ServiceError) -> Self {
        let not_found = matches!(e, ServiceError::NotFound);
        let mut out = ExchangeError::from(ApiError::from(e));
        if not_found {
            out.message = "no such invoice".to_owned();
        }
        out
    }
}

/// The opaque 500 sentence, with the request id to quote (the log holds the cause under it).
fn internal_message() -> String {
    let id = crate::request_id::current_or_empty();
    format!("internal error; quote the request id {id} to the operator")
}

/// Marks a response that is already in the envelope, so [`envelope`] leaves it alone.
#[derive(Clone, Copy)]
struct Enveloped;

impl IntoResponse for ExchangeError {
    fn into_response(self) -> Response {
        let body =
            ErrorEnvelope { data: None, err: err_code(self.status), message: self.message, details: self.details };
        let mut response = (self.status, axum::Json(body)).into_response();
        response.extensions_mut().insert(Enveloped);
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(info) = self.rate_limit {
            info.write_headers(response.headers_mut());
        }
        response
    }
}

/// Middleware: a failure answered by a layer the dialect shares with the native API (the
/// `Idempotency-Key` layer, axum's own rejections) is put into the envelope, keeping its status,
/// message, field details and headers (`Retry-After`, …). A body already in the envelope (an
/// idempotent replay of one of ours) passes unchanged.
pub async fn envelope(req: Request, next: Next) -> Response {
    crate::dialects::reshape::failures::<Enveloped>(next.run(req).await, |status, bytes| {
        let e = match serde_json::from_slice::<Failure>(bytes) {
            Ok(Failure::Ours { .. }) => return None,
            Ok(Failure::Native { error, details }) => {
                ExchangeError::from(ApiError { details, ..ApiError::new(status, "", error) })
            }
            Err(_) => {
                ExchangeError::new(status, crate::dialects::reshape::plain_text(status, bytes, "error").to_lowercase())
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
        #[serde(rename = "err")]
        _err: serde::de::IgnoredAny,
    },
    Native {
        error: String,
        #[serde(default)]
        details: BTreeMap<String, String>,
    },
}

/// An unknown route under `/exchange`.
pub async fn route_not_found() -> ExchangeError {
    ExchangeError::new(StatusCode::NOT_FOUND, "no such route")
}

/// A known route asked with another method.
pub async fn method_not_allowed() -> ExchangeError {
    ExchangeError::new(StatusCode::METHOD_NOT_ALLOWED, "this route does not accept this method")
}

/// A handler panic, answered opaquely (the log has it).
pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ExchangeError::from(ApiError::internal("exchange handler panicked")).into_response()
}
