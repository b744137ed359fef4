//! Paymob's error bodies (seed 004), which follow Django REST Framework:
//!
//! | when | status | body |
//! |---|---|---|
//! | a field is wrong | 400 | `{"message": "<field> - <sentence>", "errors": {"<field>": ["<sentence>"]}}` |
//! | a rule on the whole request (duplicate `reference_id`, link not cancellable, bad JSON) | 400 | `{"message": "…"}` |
//! | missing, wrong or expired credentials | 401 | `{"detail": "incorrect credentials"}` |
//! | the key's role may not do this | 403 | `{"detail": "You do not have permission to perform this action."}` |
//! | an integration id of another mode, unknown or disabled | 404 | the seed's `detail` |
//! | an unknown QuickLink or route | 404 | `{"detail": "Not found."}` |
//! | a wrong method | 405 | `{"detail": "Method \"GET\" not allowed."}` |
//! | too large / wrong content type | 413 / 415 | `{"message": "…"}` |
//! | the key's rate limit | 429 | `{"detail": "Request was throttled. Expected available in N seconds."}` |
//! | anything unexpected | 500 | `{"detail": "A server error occurred.", "request_id": "…"}` |
//!
//! Each sentence names the field as the request spells it (`amount_cents`, `phone_number`).

use crate::api::error::{ApiError, RateLimitInfo};
use crate::domain::{FieldError, Rule};
use crate::service::{Conflict, ServiceError};
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::BTreeMap;

/// The seed's 404 for a payment method (integration) unknown in the mode `is_live` names.
pub const INTEGRATION_NOT_FOUND: &str = "Integration ID/Name does not exist in our system . You can find the list of \
    Integration ID’/Names from Merchant Dashboard under Developers → Payment Integrations Tab";

/// The seed's 400 for a `reference_id` used before.
pub const DUPLICATE_REFERENCE: &str = "Reference ID already exists.";

/// A failure, answered in Paymob's shape.
#[derive(Debug)]
pub struct PaymobError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON body.
    pub body: ErrorBody,
    /// A spent per-key allowance (429): `Retry-After` and the RateLimit headers.
    pub rate_limit: Option<RateLimitInfo>,
}

/// The body of a failure, its keys in the seed's order.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
pub enum ErrorBody {
    /// `{"detail": …}`, with the request id on an internal error.
    Detail {
        /// What went wrong.
        detail: String,
        /// The request id to quote to the operator (internal errors only).
        #[serde(skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
    },
    /// `{"message": …, "errors"?: {field: [sentence]}}`.
    Message {
        /// `<field> - <sentence>` for a field, else a sentence.
        message: String,
        /// Per-field sentences (field errors only).
        #[serde(skip_serializing_if = "Option::is_none")]
        errors: Option<BTreeMap<String, Vec<String>>>,
    },
}

/// `{"message": …, "errors": {field: [sentence]}}` (for the OpenAPI document).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct MessageBody {
    /// `<field> - <sentence>` for a field, else a sentence.
    #[schema(example = "expires_at - expires_at can't be in the past.")]
    pub message: String,
    /// Per-field sentences, keyed by the request's field name (absent when no field is at fault).
    pub errors: Option<BTreeMap<String, Vec<String>>>,
}

/// `{"detail": …}` (for the OpenAPI document).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DetailBody {
    /// What went wrong.
    #[schema(example = "incorrect credentials")]
    pub detail: String,
}

impl PaymobError {
    /// `{"detail": text}`.
    pub fn detail(status: StatusCode, text: &str) -> Self {
        PaymobError { status, body: ErrorBody::Detail { detail: text.to_owned(), request_id: None }, rate_limit: None }
    }

    /// `{"message": text}`.
    pub fn message(status: StatusCode, text: &str) -> Self {
        PaymobError { status, body: ErrorBody::Message { message: text.to_owned(), errors: None }, rate_limit: None }
    }

    /// 400 about fields: `(field, sentence)` pairs, the first also in `message`.
    pub fn fields(errors: Vec<(String, String)>) -> Self {
        let message = errors.first().map(|(f, s)| format!("{f} - {s}")).unwrap_or_default();
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (field, sentence) in errors {
            let list = map.entry(field).or_default();
            if !list.contains(&sentence) {
                list.push(sentence);
            }
        }
        let body = ErrorBody::Message { message, errors: Some(map) };
        PaymobError { status: StatusCode::BAD_REQUEST, body, rate_limit: None }
    }

    /// 400 about one field; `predicate` follows the field's name (`must be …`).
    pub fn field(field: &str, predicate: &str) -> Self {
        PaymobError::fields(vec![(field.to_owned(), sentence(field, predicate))])
    }

    /// 401 for missing, wrong or expired credentials.
    pub fn unauthenticated() -> Self {
        PaymobError::detail(StatusCode::UNAUTHORIZED, "incorrect credentials")
    }

    /// 404 `Not found.`
    pub fn not_found() -> Self {
        PaymobError::detail(StatusCode::NOT_FOUND, "Not found.")
    }

    /// The seed's 404 for an integration id.
    pub fn integration_not_found() -> Self {
        PaymobError::detail(StatusCode::NOT_FOUND, INTEGRATION_NOT_FOUND)
    }

    /// 429 with the seconds to wait, and its headers.
    pub fn throttled(info: RateLimitInfo) -> Self {
        let text = format!("Request was throttled. Expected available in {} seconds.", info.retry_after_secs);
        PaymobError { rate_limit: Some(info), ..PaymobError::detail(StatusCode::TOO_MANY_REQUESTS, &text) }
    }

    /// The opaque 500 (the log has the cause under the request id).
    pub fn internal() -> Self {
        let id = crate::request_id::current_or_empty();
        let body = ErrorBody::Detail { detail: "A server error occurred.".to_owned(), request_id: Some(id) };
        PaymobError { status: StatusCode::INTERNAL_SERVER_ERROR, body, rate_limit: None }
    }
}

/// `<field> <predicate>.`: the field named in its own sentence, as the seed's example does.
pub fn sentence(field: &str, predicate: &str) -> String {
    let text = format!("{field} {predicate}");
    if text.ends_with('.') { text } else { format!("{text}.") }
}

/// Our field names as the request spells them.
fn paymob_field(field: &str) -> &str {
    match field {
        "amount" => "amount_cents",
        "title" => "description",
        "customer.phone" => "phone_number",
        "customer.email" => "email",
        "customer.first_name" | "customer.last_name" => "full_name",
        "callback_url" => "notification_url",
        "success_url" => "redirection_url",
        other => other,
    }
}

/// A domain field error in Paymob's words (an expiry in the past is the seed's sentence).
fn renamed(e: &FieldError) -> (String, String) {
    let field = paymob_field(&e.field);
    if e.rule == Rule::InPast {
        return (field.to_owned(), format!("{field} can't be in the past."));
    }
    (field.to_owned(), sentence(field, &e.message))
}

impl From<ServiceError> for PaymobError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(errors) => PaymobError::fields(errors.iter().map(renamed).collect()),
            ServiceError::Conflict(Conflict::DuplicateReference, _) => {
                PaymobError::message(StatusCode::BAD_REQUEST, DUPLICATE_REFERENCE)
            }
            ServiceError::Conflict(_, message) => PaymobError::message(StatusCode::BAD_REQUEST, &message),
            ServiceError::KeyRateLimited { limit, retry_after_secs } => {
                PaymobError::throttled(RateLimitInfo { limit, retry_after_secs })
            }
            ServiceError::Internal(cause) => {
                PaymobError::from(ApiError::internal(&crate::service::error_chain(cause.as_ref())))
            }
            other => PaymobError::from(ApiError::from(other)),
        }
    }
}

/// A failure of a layer shared with the native API, in Paymob's shape.
impl From<ApiError> for PaymobError {
    fn from(e: ApiError) -> Self {
        match e.status.as_u16() {
            401 => PaymobError::unauthenticated(),
            403 => PaymobError::detail(e.status, "You do not have permission to perform this action."),
            404 => PaymobError::not_found(),
            429 => match e.rate_limit {
                Some(info) => PaymobError::throttled(info),
                None => PaymobError::detail(e.status, "Request was throttled."),
            },
            500..=599 => PaymobError::internal(),
            _ if e.details.is_empty() || e.details.contains_key("body") => PaymobError::message(e.status, &e.message),
            _ => {
                let errors =
                    e.details.iter().map(|(f, m)| (paymob_field(f).to_owned(), sentence(paymob_field(f), m))).collect();
                PaymobError { status: e.status, ..PaymobError::fields(errors) }
            }
        }
    }
}

/// Marks a response already in Paymob's shape, so [`envelope`] leaves it alone.
#[derive(Clone, Copy)]
struct Shaped;

impl IntoResponse for PaymobError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        response.extensions_mut().insert(Shaped);
        if let Some(info) = self.rate_limit {
            info.write_headers(response.headers_mut());
        }
        response
    }
}

/// Middleware: a failure answered by a layer the dialect shares with the native API (the
/// `Idempotency-Key` layer, axum's rejections) is put into Paymob's shape, keeping its status
/// and headers (`Retry-After`, …). A body already in the shape passes unchanged.
pub async fn envelope(req: Request, next: Next) -> Response {
    crate::dialects::reshape::failures::<Shaped>(next.run(req).await, |status, bytes| {
        let e = match serde_json::from_slice::<Native>(bytes) {
            Ok(n) => {
                let e = ApiError { details: n.details, ..ApiError::new(status, "", n.error) };
                PaymobError::from(e)
            }
            Err(_)
                if serde_json::from_slice::<Value>(bytes)
                    .is_ok_and(|v| v.get("detail").is_some() || v.get("message").is_some()) =>
            {
                return None;
            }
            Err(_) => {
                let text = String::from_utf8_lossy(bytes).trim().to_owned();
                PaymobError::from(ApiError::new(
                    status,
                    "",
                    if text.is_empty() { "Request failed.".into() } else { text },
                ))
            }
        };
        Some(e.into_response())
    })
    .await
}

/// The native error body, as far as the conversion needs it.
#[derive(serde::Deserialize)]
struct Native {
    error: String,
    #[serde(default)]
    details: BTreeMap<String, String>,
}

/// An unknown route under `/paymob`.
pub async fn route_not_found() -> PaymobError {
    PaymobError::not_found()
}

/// A known route asked with another method (DRF's words).
pub async fn method_not_allowed(method: Method) -> PaymobError {
    PaymobError::detail(StatusCode::METHOD_NOT_ALLOWED, &format!("Method \"{method}\" not allowed."))
}

/// A handler panic, answered opaquely (the log has it).
pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("paymob handler panicked");
    PaymobError::internal().into_response()
}
