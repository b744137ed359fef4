//! Reading Amwal requests the way a Django REST Framework server does: unknown body fields are
//! ignored (integrations send `currency`, `sms_language`, …), an empty body means every default,
//! booleans and integers also come as strings (`"true"`, `"2"`), identifiers also as numbers.
//! A body that is there must be JSON (415 otherwise); a wrong type is a 400 naming the field.

use crate::api::error::ApiError;
use crate::api::extract::{optional_json_body, parse_json};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde_json::Value;

/// A JSON body, leniently: absent or empty is `T::default()`.
pub struct AmwalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for AmwalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        const UNSUPPORTED: &str = "send the body as JSON with Content-Type: application/json";
        match optional_json_body(req, state, UNSUPPORTED).await? {
            Some(bytes) => parse_json(&bytes).map(AmwalJson),
            None => Ok(AmwalJson(T::default())),
        }
    }
}

/// `?page=` and `?page_size=` (the query string DRF's `next` / `previous` links carry); other
/// parameters are ignored.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    /// Page number.
    #[serde(default, deserialize_with = "whole")]
    pub page: Option<i64>,
    /// Page size.
    #[serde(default, deserialize_with = "whole")]
    pub page_size: Option<i64>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        // Query values are text: read them as JSON strings so `whole` takes `"2"`.
        let pairs: serde_json::Map<String, Value> = form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k == "page" || k == "page_size")
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        let text = Value::Object(pairs).to_string();
        parse_json(text.as_bytes())
    }
}

/// A DRF `BooleanField`: `true`/`false`, `1`/`0`, and their usual spellings as strings; null is
/// absent.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v: Value = serde::Deserialize::deserialize(d)?;
    let word = match &v {
        Value::Null => return Ok(None),
        Value::Bool(b) => return Ok(Some(*b)),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_ascii_lowercase(),
        _ => String::new(),
    };
    match word.as_str() {
        "true" | "t" | "yes" | "y" | "on" | "1" => Ok(Some(true)),
        "false" | "f" | "no" | "n" | "off" | "0" => Ok(Some(false)),
        _ => Err(D::Error::custom("must be a boolean (true or false)")),
    }
}

/// A DRF `IntegerField`: a JSON integer or a string of digits; null is absent.
pub fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v: Value = serde::Deserialize::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_i64().map(Some).ok_or_else(|| D::Error::custom("must be a whole number")),
        Value::String(s) => s.trim().parse().map(Some).map_err(|_| D::Error::custom("must be a whole number")),
        _ => Err(D::Error::custom("must be a whole number")),
    }
}

/// A DRF `CharField` for identifiers: a string, or a number taken as its text; null is absent.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v: Value = serde::Deserialize::deserialize(d)?;
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        _ => Err(D::Error::custom("must be a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, serde::Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "flag")]
        f: Option<bool>,
        #[serde(default, deserialize_with = "whole")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "text")]
        t: Option<String>,
    }

    fn probe(json: &str) -> Result<Probe, ApiError> {
        parse_json(json.as_bytes())
    }

    #[test]
    fn lenient_fields_take_what_drf_takes_and_name_the_field_otherwise() {
        let p = probe(r#"{"f": "True", "n": "12", "t": 1234, "extra": [1]}"#).unwrap();
        assert_eq!((p.f, p.n, p.t.as_deref()), (Some(true), Some(12), Some("1234")));
        let p = probe(r#"{"f": 0, "n": null, "t": null}"#).unwrap();
        assert_eq!((p.f, p.n, p.t), (Some(false), None, None));
        for (json, field) in [(r#"{"f": "maybe"}"#, "f"), (r#"{"n": 1.5}"#, "n"), (r#"{"t": {}}"#, "t")] {
            let e = probe(json).unwrap_err();
            assert!(e.details.contains_key(field), "{json}: {:?}", e.details);
        }
    }
}
