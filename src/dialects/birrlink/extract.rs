//! Reading BirrLink requests, failures in BirrLink's envelope.
//!
//! Public API:
//! - [`BirrLinkJson<T>`]: a JSON body. The content type must be JSON (415 otherwise), the body
//!   within the size limit (413), valid JSON (400 naming `body`) and an object; fields `T` does
//!   not name are ignored, as the provider does; a wrong type is a 400 `validation_error` naming
//!   the field (`customer.email`) with `"<Field> must be a string"`.
//! - [`BirrLinkQuery<T>`]: the query string, likewise (unknown parameters ignored, a wrong type
//!   names its parameter).

use super::error::BirrLinkError;
use super::words::sentence;
use crate::api::error::ApiError;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::domain::{Expected, Rule};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

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

/// An extractor's failure with each field's problem in BirrLink's words (by the rule it broke).
fn rejection(mut e: ApiError) -> BirrLinkError {
    let rules = e.rules.clone();
    for (field, message) in e.details.iter_mut() {
        *message = plain(rules.get(field).copied().unwrap_or_default(), message);
    }
    if e.details.is_empty() && e.status.as_u16() == 400 {
        e.message = sentence("body", &e.message);
    }
    BirrLinkError::from(e)
}

/// A wrong type as BirrLink says it (`must be an object`); any other problem as written.
fn plain(rule: Rule, message: &str) -> String {
    let what = match rule {
        Rule::WrongType(Expected::Object) => "an object",
        Rule::WrongType(Expected::Array) => "an array",
        Rule::WrongType(Expected::String) => "a string",
        Rule::WrongType(Expected::Boolean) => "a boolean (true or false)",
        Rule::WrongType(Expected::WholeNumber) => "a whole number",
        Rule::WrongType(Expected::Number) => "a number",
        _ => return message.to_owned(),
    };
    format!("must be {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_become_plain() {
        let plain_of = |serde: &str| plain(crate::api::extract::serde_rule(serde).0, serde);
        assert_eq!(plain_of("invalid type: integer `5`, expected a string"), "must be a string");
        assert_eq!(plain_of("invalid type: string \"x\", expected a map"), "must be an object");
        assert_eq!(plain_of("invalid type: string \"x\", expected struct CustomerIn"), "must be an object");
        assert_eq!(plain_of("invalid type: string \"x\", expected i64"), "must be a whole number");
        assert_eq!(plain_of("invalid digit found in string"), "must be a whole number");
        assert_eq!(plain(Rule::Required, "is required"), "is required");
    }
}
