//! Amwal's two error shapes. Payment-link routes answer seed 000's
//! `{"error", "error_code", "details": {field: message}}` (the native [`ApiError`] shape) with
//! Amwal's field names and status set: our 409 conflicts become 400 with their own code, a
//! missing or wrong key is 403 `AUTHENTICATION_FAILED`. The refund route answers as Django REST
//! Framework does: `{"detail": "…"}`, or `{"field": ["message"]}` for a field.

use crate::api::error::ApiError;
use crate::domain::FieldError;
use crate::service::{Conflict, ServiceError};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

/// Result of an Amwal payment-link handler.
pub type AmwalResult<T> = Result<T, ApiError>;

/// The body of every error of the payment-link routes (for the OpenAPI document).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AmwalErrorBody {
    /// A sentence for the developer.
    pub error: String,
    /// A stable code: `INVALID_REQUEST`, `INVALID_AMOUNT`, `DUPLICATE_ORDER_ID`,
    /// `AUTHENTICATION_FAILED`, `FORBIDDEN`, `NOT_FOUND`, … (docs/errors.md).
    pub error_code: String,
    /// Per-field messages, keyed by the request's own field name (`amount`, `selectedDate`).
    pub details: BTreeMap<String, String>,
}

/// The 403 for a missing, unknown, revoked or wrong-environment key.
pub fn authentication_failed(why: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "AUTHENTICATION_FAILED", why)
}

/// A 400 about one field, in Amwal's spelling.
pub fn bad_field(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::field(StatusCode::BAD_REQUEST, "INVALID_REQUEST", field, message)
}

/// A service error in Amwal's shape. `rename` turns our field error into the request's own field
/// name and message (`expires_at` → `selectedDate`), choosing by the rule broken; our conflicts
/// answer 400.
pub fn amwal_error(e: ServiceError, rename: &dyn Fn(&FieldError) -> (String, String)) -> ApiError {
    match e {
        ServiceError::Invalid(errors) => invalid(errors, rename),
        ServiceError::Conflict(Conflict::DuplicateReference, _) => {
            let mut err = bad_field("order_id", "a payment link with this order_id already exists");
            err.code = "DUPLICATE_ORDER_ID";
            err
        }
        ServiceError::Conflict(c, message) => ApiError::new(StatusCode::BAD_REQUEST, c.code(), message),
        ServiceError::Unauthenticated => authentication_failed("invalid API key"),
        other => ApiError::from(other),
    }
}

/// Field names that are the same in both spellings.
pub fn same_names(e: &FieldError) -> (String, String) {
    (e.field.clone(), e.message.clone())
}

fn invalid(errors: Vec<FieldError>, rename: &dyn Fn(&FieldError) -> (String, String)) -> ApiError {
    let renamed: Vec<(String, String)> = errors.iter().map(rename).collect();
    let rules: Vec<_> = renamed.iter().zip(&errors).map(|((field, _), e)| (field.clone(), e.rule)).collect();
    let message = renamed.iter().map(|(f, m)| format!("{f} {m}")).collect::<Vec<_>>().join("; ");
    // The native catalogue's code for the first field (INVALID_AMOUNT, INVALID_PHONE, …).
    let mut err = ApiError::from(ServiceError::Invalid(errors));
    err.message = message;
    err.details = BTreeMap::new();
    err.rules = BTreeMap::new();
    for ((field, msg), (_, rule)) in renamed.into_iter().zip(rules) {
        if !err.details.contains_key(&field) {
            err.rules.insert(field.clone(), rule);
            err.details.insert(field, msg);
        }
    }
    err
}

/// A Django REST Framework error body: `{"detail": …}` or `{field: [message]}`.
#[derive(Debug)]
pub struct DrfError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON body.
    pub body: serde_json::Value,
}

/// A refund route's 400 (for the OpenAPI document): a request-wide problem as `{"detail": "…"}`,
/// or the fields at fault as `{"<field>": ["…"]}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum DrfBadRequest {
    /// `{"detail": "This transaction is not refundable"}`, a malformed body, a bad
    /// `Idempotency-Key`.
    Detail(DrfDetail),
    /// `{"refund_amount": ["A valid number is required."]}`: each field's sentences.
    Fields(BTreeMap<String, Vec<String>>),
}

/// `{"detail": "…"}` (refund route errors, for the OpenAPI document).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DrfDetail {
    /// What went wrong (`This transaction is not refundable`, `Not found.`).
    pub detail: String,
}

impl DrfError {
    /// `{"detail": message}`.
    pub fn detail(status: StatusCode, message: &str) -> Self {
        DrfError { status, body: serde_json::json!({ "detail": message }) }
    }

    /// `{field: [message]}` with 400.
    pub fn field(field: &str, message: &str) -> Self {
        DrfError { status: StatusCode::BAD_REQUEST, body: serde_json::json!({ field: [message] }) }
    }

    /// DRF's 404 body.
    pub fn not_found() -> Self {
        DrfError::detail(StatusCode::NOT_FOUND, "Not found.")
    }
}

/// Errors of the shared extractors and middleware, in DRF's shape: a field error keeps its
/// field, anything else becomes `detail`.
impl From<ApiError> for DrfError {
    fn from(e: ApiError) -> Self {
        let status = e.status;
        if status.is_server_error() {
            let id = crate::request_id::current_or_empty();
            let body = serde_json::json!({ "detail": "A server error occurred.", "request_id": id });
            return DrfError { status, body };
        }
        if status == StatusCode::NOT_FOUND {
            return DrfError::not_found();
        }
        // `body` (JSON syntax) and request headers are not fields of the body: DRF says those in
        // `detail`, with the whole sentence.
        match e.details.into_iter().next() {
            Some((field, message)) if field != "body" && !HEADERS.contains(&field.as_str()) => {
                DrfError { status, body: serde_json::json!({ field: [message] }) }
            }
            _ => DrfError::detail(status, &e.message),
        }
    }
}

/// Request headers a shared layer may name as a field.
const HEADERS: [&str; 1] = ["Idempotency-Key"];

/// Marks a response already in DRF's shape, so [`drf_envelope`] leaves it alone.
#[derive(Clone, Copy)]
struct InDrfShape;

impl IntoResponse for DrfError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        response.extensions_mut().insert(InDrfShape);
        response
    }
}

/// Middleware for the refund routes: a failure answered by a layer they share with the native
/// API (the `Idempotency-Key` layer, the path guard, axum's rejections) is put into DRF's shape,
/// keeping its status and headers. A DRF body (an idempotent replay of one of ours) passes.
pub async fn drf_envelope(req: Request, next: Next) -> Response {
    crate::dialects::reshape::failures::<InDrfShape>(next.run(req).await, |status, bytes| {
        let e = match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(v) if v.get("error_code").is_some() => {
                let native = serde_json::from_value::<NativeBody>(v).ok()?;
                ApiError { details: native.details, ..ApiError::new(status, "", native.error) }
            }
            Ok(serde_json::Value::Object(_)) => return None,
            _ => ApiError::new(status, "", crate::dialects::reshape::plain_text(status, bytes, "Request failed")),
        };
        Some(DrfError::from(e).into_response())
    })
    .await
}

/// A refund route asked with another method, in DRF's words.
pub async fn method_not_allowed(method: axum::http::Method) -> DrfError {
    DrfError::detail(StatusCode::METHOD_NOT_ALLOWED, &format!("Method \"{method}\" not allowed."))
}

/// The native error body, as far as the conversion needs it.
#[derive(serde::Deserialize)]
struct NativeBody {
    error: String,
    #[serde(default)]
    details: BTreeMap<String, String>,
}
