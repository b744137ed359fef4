//! Extractors whose rejections use our error shape: JSON bodies (content type, size, syntax,
//! unknown fields, wrong types — each naming the field), optional JSON bodies of actions, query
//! strings, and the authenticated actor.

use super::error::ApiError;
use crate::domain::access::Actor;
use crate::domain::{Expected, Rule};
use crate::service::{Ctx, auth};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// A JSON body deserialized strictly.
pub struct ApiJson<T>(pub T);

fn is_json(req: &Request) -> bool {
    let Some(ct) = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(&req) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "send Content-Type: application/json",
            ));
        }
        parse_json(&body_bytes(req, state).await?).map(ApiJson)
    }
}

/// The request's body: one over the size limit is 413, one that cannot be read 400 naming `body`.
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "the request body is too large")
        } else {
            ApiError::field(StatusCode::BAD_REQUEST, "MALFORMED_JSON", "body", e.body_text())
        }
    })
}

/// A body that may be left out: `None` for an empty one (with or without a content type);
/// otherwise its bytes, which must have been sent as JSON (415 with `unsupported` otherwise).
pub async fn optional_json_body<S: Send + Sync>(
    req: Request,
    state: &S,
    unsupported: &'static str,
) -> Result<Option<Bytes>, ApiError> {
    let json = is_json(&req);
    let bytes = body_bytes(req, state).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    if !json {
        return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", unsupported));
    }
    Ok(Some(bytes))
}

/// The JSON body of an action whose body may be left out (`POST …/approve`, `…/redeliver`, …): an
/// empty body, with or without a content type, is `T::default()`; any other body must be
/// `application/json` (415), and is either `null` (the default again: OpenAPI documents an
/// optional body as "null or the object") or an object parsed strictly like [`ApiJson`].
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        const UNSUPPORTED: &str = "send Content-Type: application/json with a body (or send no body)";
        match optional_json_body(req, state, UNSUPPORTED).await? {
            Some(bytes) if bytes.trim_ascii() != b"null" => parse_json(&bytes).map(OptionalJson),
            _ => Ok(OptionalJson(T::default())),
        }
    }
}

/// Parses JSON, naming the offending field in the error.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every body is an object; serde's derive would otherwise fill a struct from a positional array.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|&b| b != b'{') && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok() {
        return Err(ApiError::field(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "body", "must be a JSON object"));
    }
    if let Some(field) = super::control::json_field(bytes) {
        return Err(super::control::rejection(&field));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| json_error(&e))?;
    de.end().map_err(|e| ApiError::field(StatusCode::BAD_REQUEST, "MALFORMED_JSON", "body", e.to_string()))?;
    Ok(value)
}

fn json_error(e: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let inner = e.inner();
    let path = e.path().to_string();
    if inner.is_syntax() || inner.is_eof() {
        return ApiError::field(
            StatusCode::BAD_REQUEST,
            "MALFORMED_JSON",
            "body",
            format!("is not valid JSON: {inner}"),
        );
    }
    let text = inner.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text).to_owned();
    match serde_rule(&message) {
        (Rule::UnknownField, Some(name)) => {
            let field = join_path(&path, name);
            ApiError::field(StatusCode::BAD_REQUEST, "UNKNOWN_FIELD", &field, "is not a known field")
                .with_rule(Rule::UnknownField)
        }
        (Rule::Required, Some(name)) => {
            ApiError::field(StatusCode::BAD_REQUEST, "INVALID_REQUEST", &join_path(&path, name), "is required")
                .with_rule(Rule::Required)
        }
        (Rule::Repeated, Some(name)) => {
            let field = join_path(&path, name);
            ApiError::field(StatusCode::BAD_REQUEST, "INVALID_REQUEST", &field, "is given more than once")
                .with_rule(Rule::Repeated)
        }
        (rule, _) => {
            let field = if path == "." { "body".to_owned() } else { path };
            ApiError::field(StatusCode::BAD_REQUEST, "INVALID_REQUEST", &field, message).with_rule(rule)
        }
    }
}

/// serde's rejection of a field, classified once for every extractor: the rule broken and, for
/// a missing, unknown or duplicated field, its name. serde says only a sentence, so this is the one place
/// that reads serde's words; everything downstream (the dialects' own sentences) goes by the rule.
pub fn serde_rule(message: &str) -> (Rule, Option<&str>) {
    if let Some(name) = between(message, "unknown field `", "`") {
        return (Rule::UnknownField, Some(name));
    }
    if let Some(name) = between(message, "missing field `", "`") {
        return (Rule::Required, Some(name));
    }
    if let Some(name) = between(message, "duplicate field `", "`") {
        return (Rule::Repeated, Some(name));
    }
    if message.contains("invalid digit") || message.contains("cannot parse integer") {
        return (Rule::WrongType(Expected::WholeNumber), None);
    }
    let Some(expected) = message.split(", expected ").nth(1).map(str::trim) else { return (Rule::Invalid, None) };
    let expected = match expected {
        e if e.contains("map") || e.starts_with("struct") => Expected::Object,
        e if e.contains("sequence") => Expected::Array,
        e if e.contains("string") => Expected::String,
        e if e.contains("bool") => Expected::Boolean,
        e if e.starts_with('i') || e.starts_with('u') => Expected::WholeNumber,
        e if e.starts_with('f') => Expected::Number,
        _ => Expected::Other,
    };
    (Rule::WrongType(expected), None)
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The dotted path of a field, whether or not the error path already ends with it.
fn join_path(path: &str, name: &str) -> String {
    match path {
        "." | "" => name.to_owned(),
        p if p == name || p.ends_with(&format!(".{name}")) => p.to_owned(),
        p => format!("{p}.{name}"),
    }
}

/// The exact text of an amount given as a JSON number (`100.00`) or string (`"100.00"`): what
/// `Money::parse` reads, so no amount ever passes through a float. Any other JSON value comes
/// back as written and fails that parse, naming the field.
pub fn amount_text(raw: &RawValue) -> String {
    let text = raw.get().trim();
    serde_json::from_str::<String>(text).unwrap_or_else(|_| text.to_owned())
}

/// A query string deserialized strictly.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        if let Some(field) = super::control::query_field(query) {
            return Err(super::control::rejection(&field));
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(ApiQuery).map_err(|e| {
            let text = e.inner().to_string();
            let rule = match serde_rule(&text) {
                (Rule::UnknownField, Some(name)) => {
                    return ApiError::field(StatusCode::BAD_REQUEST, "UNKNOWN_FIELD", name, "is not a known parameter")
                        .with_rule(Rule::UnknownField);
                }
                (Rule::Repeated, Some(name)) => {
                    return ApiError::field(
                        StatusCode::BAD_REQUEST,
                        "INVALID_REQUEST",
                        name,
                        "is given more than once",
                    )
                    .with_rule(Rule::Repeated);
                }
                (rule, _) => rule,
            };
            let field = e.path().to_string();
            ApiError::field(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                if field == "." { "query" } else { &field },
                text,
            )
            .with_rule(rule)
        })
    }
}

/// The actor behind the request's `Authorization: Bearer sk_…` header.
pub struct Auth(pub Actor);

/// Extracts the bearer secret, if any.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| secret.trim())
}

impl FromRequestParts<Ctx> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Self, ApiError> {
        if let Some(actor) = parts.extensions.get::<Actor>() {
            return Ok(Auth(actor.clone()));
        }
        let secret = bearer(parts).ok_or(crate::service::ServiceError::Unauthenticated)?;
        let actor = auth::authenticate(ctx, secret).await?;
        Ok(Auth(actor))
    }
}

/// Deserializes a field where absent (`None`), `null` (`Some(None)`) and a value differ.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}
