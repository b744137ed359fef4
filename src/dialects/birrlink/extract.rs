//! Reading BirrLink requests, failures in BirrLink's envelope.
//!
//! Public API:
//! - [`BirrLinkJson<T>`]: a JSON body. The content type must be JSON (415 otherwise), the body
//!   within the size limit (413), valid JSON (400 naming `body`) and an object; fields `T` does
//!   not name are ignored, as the provider does; a wrong type is a 400 `validation_error` naming
//!   the field (`customer.email`) with `"<Field> must be a string"`.
//! - [`BirrLinkQuery<T>`]: the query string, likewise (unknown parameters ignored, a wrong type
//!   names its parameter).
//! - [`money_text`]: the exact text of an amount sent as a JSON number or string (never f64).

use super::error::{BirrLinkError, sentence};
use crate::api::error::ApiError;
use crate::api::extract::{ApiJson, ApiQuery};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// A JSON body (see the module doc).
pub struct BirrLinkJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for BirrLinkJson<T> {
    type Rejection = BirrLinkError;

    async fn from_request(req: Request, state: &S) -> Result<Self, BirrLinkError> {
        let ApiJson(value) = ApiJson::<T>::from_request(req, state).await.map_err(rejection)?;
        Ok(BirrLinkJson(value))
    }
}

/// The query string (see the module doc).
pub struct BirrLinkQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for BirrLinkQuery<T> {
    type Rejection = BirrLinkError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, BirrLinkError> {
        let ApiQuery(value) = ApiQuery::<T>::from_request_parts(parts, state).await.map_err(rejection)?;
        Ok(BirrLinkQuery(value))
    }
}

/// An extractor's failure with serde's wording turned into BirrLink's sentences.
fn rejection(mut e: ApiError) -> BirrLinkError {
    for message in e.details.values_mut() {
        *message = plain(message);
    }
    if e.details.is_empty() && e.status.as_u16() == 400 {
        e.message = sentence("body", &plain(&e.message));
    }
    BirrLinkError::from(e)
}

/// serde's `invalid type: string "x", expected a map` as `must be an object`.
fn plain(message: &str) -> String {
    let Some(expected) = message.split(", expected ").nth(1) else {
        return match message {
            m if m.contains("invalid digit") || m.contains("cannot parse integer") => {
                "must be a whole number".to_owned()
            }
            m => m.to_owned(),
        };
    };
    let expected = expected.trim();
    let what = match expected {
        e if e.contains("map") || e.starts_with("struct") => "an object",
        e if e.contains("sequence") => "an array",
        e if e.contains("string") => "a string",
        e if e.contains("bool") => "a boolean (true or false)",
        e if e.starts_with('i') || e.starts_with('u') => "a whole number",
        e if e.starts_with('f') => "a number",
        e => return format!("must be {e}"),
    };
    format!("must be {what}")
}

/// The exact text of an amount given as a JSON number (`100.00`) or string (`"100.00"`): what
/// `Money::parse` reads. Anything else is returned as is and fails there, naming `amount`.
pub fn money_text(raw: &RawValue) -> String {
    let text = raw.get().trim();
    serde_json::from_str::<String>(text).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_wording_becomes_plain() {
        assert_eq!(plain("invalid type: integer `5`, expected a string"), "must be a string");
        assert_eq!(plain("invalid type: string \"x\", expected a map"), "must be an object");
        assert_eq!(plain("invalid type: string \"x\", expected struct CustomerIn"), "must be an object");
        assert_eq!(plain("invalid type: string \"x\", expected i64"), "must be a whole number");
        assert_eq!(plain("invalid digit found in string"), "must be a whole number");
    }
}
