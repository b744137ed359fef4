//! The one error type of the HTTP layer and its mapping to status codes. Every failure answers in
//! seed 000's shape `{"error", "error_code", "details": {field: message}}`; the codes are the
//! stable catalogue documented in `docs/errors.md`. Unexpected errors are logged with the
//! request id, which the opaque 500 body also carries.

use crate::domain::{ErrorKind, FieldError, Rule};
use crate::service::ServiceError;
use crate::store::conn::DbError;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

/// An HTTP error response.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: BTreeMap<String, String>,
    /// The rule each field of `details` broke, where known (a field not listed broke
    /// [`Rule::Invalid`]): dialects choose their own words by it, never by the message.
    pub rules: BTreeMap<String, Rule>,
    /// Set on a 429 for a spent per-key allowance: the response carries `Retry-After` and the
    /// RateLimit headers.
    pub rate_limit: Option<RateLimitInfo>,
}

/// What a 429 tells the caller about the allowance it spent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitInfo {
    /// Requests per minute.
    pub limit: i64,
    /// Seconds until the next window.
    pub retry_after_secs: i64,
}

impl RateLimitInfo {
    /// Writes `Retry-After`, `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and
    /// `RateLimit-Policy` (IETF draft names) on a response.
    pub fn write_headers(self, headers: &mut axum::http::HeaderMap) {
        let mut put = |name: &'static str, value: String| {
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.insert(name, v);
            }
        };
        put("retry-after", self.retry_after_secs.to_string());
        put("ratelimit-limit", self.limit.to_string());
        put("ratelimit-remaining", "0".to_owned());
        put("ratelimit-reset", self.retry_after_secs.to_string());
        put("ratelimit-policy", format!("{};w=60", self.limit));
    }
}

/// The body of every error response.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A sentence for the developer.
    pub error: String,
    /// A stable code from the catalogue (`docs/errors.md`).
    pub error_code: String,
    /// Per-field messages, keyed by the field's name (`customer.phone`).
    pub details: BTreeMap<String, String>,
    /// The request id, on internal errors, to quote to the operator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ApiError {
    /// An error with no field details.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        let (details, rules) = (BTreeMap::new(), BTreeMap::new());
        ApiError { status, code, message: message.into(), details, rules, rate_limit: None }
    }

    /// An error about one field.
    pub fn field(status: StatusCode, code: &'static str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut e = ApiError::new(status, code, format!("{field} {message}"));
        e.details.insert(field.to_owned(), message);
        e
    }

    /// The same error, every field of it having broken `rule`.
    pub fn with_rule(mut self, rule: Rule) -> Self {
        self.rules = self.details.keys().map(|f| (f.clone(), rule)).collect();
        self
    }

    /// The rule `field` broke.
    pub fn rule_of(&self, field: &str) -> Rule {
        self.rules.get(field).copied().unwrap_or_default()
    }

    /// 404 for an object that does not exist or is outside the caller's scope.
    pub fn not_found() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such object")
    }

    /// An opaque 500; the cause goes to the log only.
    pub fn internal(cause: &str) -> Self {
        let id = crate::request_id::current_or_empty();
        tracing::error!(request_id = %id, error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "internal error; quote the request_id to the operator",
        )
    }
}

/// Whether the cause chain holds a database that cannot be reached (a restart or a failover in
/// progress): the request may succeed if retried, so it is a 503, not a 500.
fn database_unavailable(cause: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(cause);
    while let Some(e) = next {
        if matches!(e.downcast_ref::<DbError>(), Some(DbError::Unavailable(_))) {
            return true;
        }
        next = e.source();
    }
    false
}

fn kind_code(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Invalid => "INVALID_REQUEST",
        ErrorKind::Amount => "INVALID_AMOUNT",
        ErrorKind::Currency => "INVALID_CURRENCY",
        ErrorKind::Phone => "INVALID_PHONE",
        ErrorKind::Url => "INVALID_URL",
        ErrorKind::Email => "INVALID_EMAIL",
        ErrorKind::Expiry => "INVALID_EXPIRY",
        ErrorKind::Metadata => "INVALID_METADATA",
        ErrorKind::ControlCharacter => "CONTROL_CHARACTER",
    }
}

fn invalid(errors: Vec<FieldError>) -> ApiError {
    let code = errors.first().map_or("INVALID_REQUEST", |e| kind_code(e.code));
    let message = errors.iter().map(|e| format!("{} {}", e.field, e.message)).collect::<Vec<_>>().join("; ");
    let mut err = ApiError::new(StatusCode::BAD_REQUEST, code, message);
    for e in errors {
        if !err.details.contains_key(&e.field) {
            err.rules.insert(e.field.clone(), e.rule);
            err.details.insert(e.field, e.message);
        }
    }
    err
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(errors) => invalid(errors),
            ServiceError::NotFound => ApiError::not_found(),
            ServiceError::Forbidden(why) => ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", why),
            ServiceError::Refused(code, why) => ApiError::new(StatusCode::FORBIDDEN, code, why),
            ServiceError::Conflict(c, msg) => ApiError::new(StatusCode::CONFLICT, c.code(), msg),
            ServiceError::Unauthenticated => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "missing, invalid, expired or revoked API key; send Authorization: Bearer sk_…",
            ),
            ServiceError::TooManyAttempts => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TOO_MANY_ATTEMPTS",
                "too many declined payment attempts; try again later",
            ),
            ServiceError::RateLimited(code, msg) => ApiError::new(StatusCode::TOO_MANY_REQUESTS, code, msg),
            ServiceError::KeyRateLimited { limit, retry_after_secs } => {
                let mut e = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "RATE_LIMITED",
                    format!("this API key made more than {limit} requests this minute; retry in {retry_after_secs} s"),
                );
                e.rate_limit = Some(RateLimitInfo { limit, retry_after_secs });
                e
            }
            ServiceError::Internal(cause) if database_unavailable(cause.as_ref()) => {
                ApiError::unavailable(&crate::service::error_chain(cause.as_ref()))
            }
            ServiceError::Internal(cause) => ApiError::internal(&crate::service::error_chain(cause.as_ref())),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let request_id = (self.status == StatusCode::INTERNAL_SERVER_ERROR).then(crate::request_id::current_or_empty);
        let body =
            ErrorBody { error: self.message, error_code: self.code.to_owned(), details: self.details, request_id };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(info) = self.rate_limit {
            info.write_headers(response.headers_mut());
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert("retry-after", HeaderValue::from_static("1"));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert("www-authenticate", HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl ApiError {
    /// A 503 while the database cannot be reached; the cause goes to the log only.
    pub fn unavailable(cause: &str) -> Self {
        let id = crate::request_id::current_or_empty();
        tracing::warn!(request_id = %id, error = %cause, "database unavailable");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "the database is unavailable right now; retry in a few seconds",
        )
    }
}

/// Result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;
