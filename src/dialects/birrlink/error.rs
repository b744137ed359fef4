//! BirrLink's envelopes (seed 003). Success is `{"status": "success", "data": …}` ([`success`]);
//! failure is `{"status": "error", "error": {"code", "message", "details": [{field, message}]}}`
//! ([`BirrLinkError`]), `details` only on a 400 `validation_error`.
//!
//! Public API (used by every BirrLink handler, refunds / customers / webhooks included):
//! - [`BirrLinkResult<T>`]: the handler result; handlers use `?` on service calls.
//! - [`success(status, data)`](success): the success envelope with its status (201 for creates).
//! - [`BirrLinkError::validation(field, problem)`](BirrLinkError::validation): a 400 about one
//!   field in BirrLink's spelling (`customer.phone`). `problem` is either the phrase after the
//!   field's name (`"must be greater than 0"` → message `"Amount must be greater than 0"`) or,
//!   when it starts with a capital letter, the whole sentence, kept as is.
//! - [`BirrLinkError::not_found()`](BirrLinkError::not_found): 404 `resource_not_found`.
//! - [`BirrLinkError::unprocessable(code, message)`](BirrLinkError::unprocessable): a 422 state
//!   conflict with a snake_case code (`payment_not_refundable`).
//! - [`BirrLinkError::new(status, code, message)`](BirrLinkError::new): anything else.
//! - `From<ServiceError>` and `From<ApiError>`: every failure of the core, with our field names
//!   renamed to BirrLink's ([`birrlink_field`](super::words::birrlink_field)); our 409 conflicts answer 422.
//!
//! | status | code | when |
//! |---|---|---|
//! | 400 | `validation_error` | a field is missing, malformed or out of range (`details` names it) |
//! | 401 | `authentication_failed` | missing, unknown, revoked or expired key; key of the other environment |
//! | 403 | `permission_denied` | the key's role may not do this |
//! | 404 | `resource_not_found` | no such object (or not the key's store, environment or branch), unknown route |
//! | 405 | `method_not_allowed` | a known route asked with another method |
//! | 409 | `idempotency_in_flight` | a request with this `Idempotency-Key` is still running |
//! | 413 | `payload_too_large` | the body is larger than the server takes |
//! | 415 | `unsupported_media_type` | a body that is not JSON |
//! | 422 | `insufficient_funds`, `payment_not_refundable`, `refund_exceeds_payment`, … | a state conflict |
//! | 429 | `rate_limit_exceeded` | the key spent its requests for this minute (`Retry-After`) |
//! | 500 | `internal_error` | opaque; the message carries the request id, the log the cause |

use super::words::{problem, renamed, sentence};
use crate::api::error::{ApiError, RateLimitInfo};
use crate::service::{Conflict, ServiceError};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::borrow::Cow;
use utoipa::ToSchema;

/// Result of a BirrLink handler.
pub type BirrLinkResult<T> = Result<T, BirrLinkError>;

/// A failure, answered in BirrLink's error envelope.
#[derive(Debug)]
pub struct BirrLinkError {
    /// The HTTP status.
    pub status: StatusCode,
    /// BirrLink's snake_case code (`validation_error`, `resource_not_found`, …).
    pub code: Cow<'static, str>,
    /// A sentence for the developer.
    pub message: String,
    /// Per-field messages (400 only).
    pub details: Vec<FieldDetail>,
    /// A spent per-key allowance (429): `Retry-After` and the RateLimit headers.
    pub rate_limit: Option<RateLimitInfo>,
}

/// One field's problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldDetail {
    /// The field, as BirrLink names it (`amount`, `customer.phone`).
    pub field: String,
    /// What is wrong with it, as a sentence (`Amount must be greater than 0`).
    pub message: String,
}

/// `{"status": "error", "error": {…}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorEnvelope {
    /// Always `error`.
    #[schema(example = "error")]
    pub status: &'static str,
    /// What went wrong.
    pub error: ErrorObject,
}

/// The `error` object.
#[derive(Serialize, ToSchema)]
pub struct ErrorObject {
    /// A stable snake_case code (`validation_error`, `authentication_failed`, `resource_not_found`,
    /// `insufficient_funds`, `rate_limit_exceeded`, …).
    pub code: String,
    /// A sentence for the developer.
    pub message: String,
    /// Per-field problems; only on `validation_error`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<FieldDetail>,
}

/// `{"status": "success", "data": …}` (for the OpenAPI document; handlers use [`success`]).
#[derive(Serialize, ToSchema)]
pub struct Success<T: ToSchema> {
    /// Always `success`.
    #[schema(example = "success")]
    pub status: &'static str,
    /// The object or list.
    pub data: T,
}

/// The success envelope with its status: 201 for a create, 200 otherwise.
pub fn success<T: Serialize>(status: StatusCode, data: T) -> Response {
    // Serialized straight from `data` (never through `serde_json::Value`): field order is kept
    // and amounts in `RawValue` keep their digits (`100.00`).
    #[derive(Serialize)]
    struct Body<T> {
        status: &'static str,
        data: T,
    }
    (status, axum::Json(Body { status: "success", data })).into_response()
}

impl BirrLinkError {
    /// A failure with no field details.
    pub fn new(status: StatusCode, code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        BirrLinkError { status, code: code.into(), message: message.into(), details: Vec::new(), rate_limit: None }
    }

    /// 400 `validation_error` about one field (see the module doc for `problem`).
    pub fn validation(field: &str, problem: &str) -> Self {
        BirrLinkError::validations(vec![(field.to_owned(), problem.to_owned())])
    }

    /// 400 `validation_error` about several fields; the message is the first one's sentence.
    pub fn validations(fields: Vec<(String, String)>) -> Self {
        let details: Vec<FieldDetail> = fields
            .into_iter()
            .map(|(field, problem)| FieldDetail { message: sentence(&field, &problem), field })
            .collect();
        let message = details.first().map_or_else(|| "The request is invalid".to_owned(), |d| d.message.clone());
        BirrLinkError { details, ..BirrLinkError::new(StatusCode::BAD_REQUEST, "validation_error", message) }
    }

    /// 404 `resource_not_found`, seed 003's body.
    pub fn not_found() -> Self {
        BirrLinkError::new(StatusCode::NOT_FOUND, "resource_not_found", "The requested resource does not exist")
    }

    /// 401 `authentication_failed`, seed 003's body.
    pub fn authentication_failed() -> Self {
        BirrLinkError::new(StatusCode::UNAUTHORIZED, "authentication_failed", "Invalid API key")
    }

    /// 403 `permission_denied`.
    pub fn permission_denied(message: impl Into<String>) -> Self {
        BirrLinkError::new(StatusCode::FORBIDDEN, "permission_denied", message)
    }

    /// 422: a state conflict with its snake_case code.
    pub fn unprocessable(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        BirrLinkError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// 500 `internal_error`: the cause goes to the log, the message carries the request id.
    pub fn internal(cause: &str) -> Self {
        BirrLinkError::from(ApiError::internal(cause))
    }
}

/// BirrLink's code for a status the shared layers answer (`native` is their own code).
fn code_for(status: StatusCode, native: &str) -> Cow<'static, str> {
    match status.as_u16() {
        400 => "validation_error".into(),
        401 => "authentication_failed".into(),
        403 => "permission_denied".into(),
        404 => "resource_not_found".into(),
        405 => "method_not_allowed".into(),
        413 => "payload_too_large".into(),
        415 => "unsupported_media_type".into(),
        429 => "rate_limit_exceeded".into(),
        500..=599 => "internal_error".into(),
        _ if native.is_empty() => "request_failed".into(),
        _ => native.to_ascii_lowercase().into(),
    }
}

/// The 422 code of one of our state conflicts: BirrLink's words for a payment, else our code
/// lower-cased (`payment_not_refundable`, `refund_not_pending`).
fn conflict_code(c: Conflict) -> Cow<'static, str> {
    match c {
        Conflict::RefundExceedsCaptured => "refund_exceeds_payment".into(),
        Conflict::LinkNotOpen => "payment_not_pending".into(),
        Conflict::LinkAlreadyPaid => "payment_already_completed".into(),
        Conflict::LinkBusy => "payment_in_progress".into(),
        other => other.code().to_ascii_lowercase().into(),
    }
}

impl From<ApiError> for BirrLinkError {
    fn from(e: ApiError) -> Self {
        let fields = e.details.iter().map(|(f, m)| (f.clone(), problem(e.rule_of(f), m))).collect();
        let mut out = shared_failure(e.status, e.code, e.message, fields);
        out.rate_limit = e.rate_limit;
        out
    }
}

impl From<ServiceError> for BirrLinkError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(errors) => BirrLinkError::validations(renamed(
                errors.into_iter().map(|e| (e.field.clone(), problem(e.rule, &e.message))),
            )),
            ServiceError::Conflict(c, message) => BirrLinkError::unprocessable(conflict_code(c), message),
            ServiceError::Forbidden(why) => BirrLinkError::permission_denied(why),
            ServiceError::Refused(code, why) => {
                BirrLinkError::new(StatusCode::FORBIDDEN, code.to_ascii_lowercase(), why)
            }
            other => BirrLinkError::from(ApiError::from(other)),
        }
    }
}

/// A failure of the core or of a shared layer (status, its own code, message, per-field
/// messages under our names) in BirrLink's terms: the seed's fixed sentences for 401, 404 and
/// 429, the opaque one for 500, field details renamed for 400.
pub(super) fn shared_failure(
    status: StatusCode,
    native_code: &str,
    message: String,
    fields: Vec<(String, String)>,
) -> BirrLinkError {
    match status.as_u16() {
        400 if !fields.is_empty() => BirrLinkError::validations(renamed(fields)),
        401 => BirrLinkError::authentication_failed(),
        404 => BirrLinkError::not_found(),
        429 => BirrLinkError::new(status, "rate_limit_exceeded", "Rate limit exceeded. Try again later."),
        500..=599 => BirrLinkError::new(status, "internal_error", internal_message()),
        _ => BirrLinkError::new(status, code_for(status, native_code), sentence("", &message)),
    }
}

/// The opaque 500 sentence, with the request id to quote (the log holds the cause under it).
fn internal_message() -> String {
    let id = crate::request_id::current_or_empty();
    format!("An internal error occurred; quote the request id {id} to the operator")
}

/// Marks a response already in the envelope, so the envelope middleware leaves it alone.
#[derive(Clone, Copy)]
pub(super) struct Enveloped;

impl IntoResponse for BirrLinkError {
    fn into_response(self) -> Response {
        let error = ErrorObject { code: self.code.into_owned(), message: self.message, details: self.details };
        let mut response = (self.status, axum::Json(ErrorEnvelope { status: "error", error })).into_response();
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
