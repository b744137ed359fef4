//! Control characters at the edge. Every text a request carries — JSON strings and object keys at
//! any depth, query parameters, form fields, path segments — is refused when it holds a control
//! character other than tab, line feed or carriage return (`domain::text::is_forbidden_control`):
//! PostgreSQL cannot store U+0000 in text, so without this one rule the same request would be a
//! 201 on SQLite and a 500 on PostgreSQL. Each surface answers a 400 naming the field in its own
//! shape (a path segment: its 404).
//!
//! The fast path is a byte scan: in valid JSON a control character can only be a `\u00XX`
//! escape, a raw DEL or a raw two-byte C1 character, so most bodies are passed after one look at
//! their bytes, and only a body that holds one is walked to name the field.

use super::error::ApiError;
use crate::domain::Rule;
use crate::domain::text::{CONTROL_CHARACTER_MESSAGE, has_forbidden_control, is_forbidden_control};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// The 400 for a text field holding a control character (`CONTROL_CHARACTER`).
pub fn rejection(field: &str) -> ApiError {
    ApiError::field(StatusCode::BAD_REQUEST, "CONTROL_CHARACTER", field, CONTROL_CHARACTER_MESSAGE)
        .with_rule(Rule::ControlCharacter)
}

/// The first text of a JSON body holding a control character, as the field to name: its path
/// (`customer.name`, `metadata.note`, `events[1]`), or for an object key the object's path
/// (`body` at the top). `None` when there is none — or when the body is not valid JSON, whose
/// syntax error is for the caller to report.
pub fn json_field(bytes: &[u8]) -> Option<String> {
    if !may_hold_control(bytes) {
        return None;
    }
    let raw: Box<RawValue> = serde_json::from_slice(bytes).ok()?;
    locate(&raw, "")
}

/// The first query parameter holding a control character: its name, or `query` when the name
/// itself holds one.
pub fn query_field(query: &str) -> Option<String> {
    // A request line cannot carry control bytes; only percent-escapes (or raw non-ASCII) can.
    if !query.bytes().any(|b| b == b'%' || b >= 0x7f) {
        return None;
    }
    form_urlencoded::parse(query.as_bytes()).find_map(|(name, value)| match () {
        _ if has_forbidden_control(&name) => Some("query".to_owned()),
        _ if has_forbidden_control(&value) => Some(name.into_owned()),
        _ => None,
    })
}

/// Whether a request path names nothing: a segment that, once percent-decoded, holds a control
/// character or is not UTF-8 (which the `Path` extractor would refuse in plain text).
pub fn path_names_nothing(path: &str) -> bool {
    path.bytes().any(|b| b == b'%' || b >= 0x7f)
        && path.split('/').any(|segment| percent_decode(segment).is_none_or(|s| has_forbidden_control(&s)))
}

/// A path segment with its `%XX` escapes decoded (as the `Path` extractor will decode it), or
/// `None` when the bytes are not UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    let (bytes, mut out, mut i) = (segment.as_bytes(), Vec::with_capacity(segment.len()), 0);
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
        let hex = hex.and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Middleware for a surface's routes: a path whose segments hold a control character (or are not
/// UTF-8) names no object (no id, code or invoice number has one), so it is a 404 before any
/// handler or the database sees it. The 404 is the native one; a dialect's envelope layer outside this one puts
/// it into the dialect's shape.
pub async fn path_guard(req: Request, next: Next) -> Response {
    if path_names_nothing(req.uri().path()) {
        return ApiError::not_found().into_response();
    }
    next.run(req).await
}

/// Whether the bytes of a JSON document may hold a control character in a string: a `\u` escape
/// of one, a raw DEL, or a raw UTF-8 C1 character (raw U+0000–U+001F is not valid JSON). An
/// escaped backslash is skipped, so `"\\u0000"` (a backslash, then `u0000`) does not count.
fn may_hold_control(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x7f => return true,
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => return true,
            b'\\' if bytes.get(i + 1) == Some(&b'u') && escaped_control(bytes.get(i + 2..i + 6)) => return true,
            b'\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    false
}

fn escaped_control(hex: Option<&[u8]>) -> bool {
    let code = hex.and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u32::from_str_radix(h, 16).ok());
    code.and_then(char::from_u32).is_some_and(is_forbidden_control)
}

/// The path of the first string (or key) holding a control character in `raw`, under `path`.
fn locate(raw: &RawValue, path: &str) -> Option<String> {
    let text = raw.get().trim_start();
    let here = || if path.is_empty() { "body".to_owned() } else { path.to_owned() };
    match text.as_bytes().first()? {
        b'"' => has_forbidden_control(&serde_json::from_str::<String>(text).ok()?).then(here),
        b'{' => serde_json::from_str::<Members>(text).ok()?.0.iter().find_map(|(key, value)| {
            if has_forbidden_control(key) {
                return Some(here());
            }
            locate(value, &if path.is_empty() { key.clone() } else { format!("{path}.{key}") })
        }),
        b'[' => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(text).ok()?;
            items.iter().enumerate().find_map(|(i, item)| locate(item, &format!("{}[{i}]", here())))
        }
        _ => None,
    }
}

/// A JSON object's members in the order sent, duplicates kept (a map would keep one).
pub struct Members(pub Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Each;
        impl<'de> Visitor<'de> for Each {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(Each)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_named_is_the_path_of_the_first_text_with_a_control_character() {
        let at = |json: &str| json_field(json.as_bytes());
        assert_eq!(at(r#"{"title": "a\u0000b"}"#).as_deref(), Some("title"));
        assert_eq!(at(r#"{"a": 1e999, "customer": {"name": "x\u001F"}}"#).as_deref(), Some("customer.name"));
        assert_eq!(at(r#"{"events": ["ok", "bad\u007f"]}"#).as_deref(), Some("events[1]"));
        assert_eq!(at(r#"{"metadata": {"k\u0001": 1}}"#).as_deref(), Some("metadata"));
        assert_eq!(at(r#"{"k\u0001": 1}"#).as_deref(), Some("body"));
        assert_eq!(at("{\"note\": \"c1 \u{85}\"}").as_deref(), Some("note"));
        assert_eq!(at("{\"del\": \"\x7f\"}").as_deref(), Some("del"));
    }

    #[test]
    fn tabs_escaped_backslashes_and_broken_json_pass_the_check() {
        let at = |json: &str| json_field(json.as_bytes());
        assert_eq!(at(r#"{"note": "tab\there\nand\r\n", "t": "\u0009\u000a\u000D"}"#), None);
        assert_eq!(at(r#"{"path": "C:\\u0000"}"#), None);
        assert_eq!(at(r#"{"title": "\u0000"#), None, "a syntax error is reported as one");
        assert_eq!(at(r#"{"title": "ümlaut \u00e9"}"#), None);
    }

    #[test]
    fn query_parameters_and_path_segments_are_decoded_before_the_check() {
        assert_eq!(query_field("q=a%00b&limit=2").as_deref(), Some("q"));
        assert_eq!(query_field("x%1F=1").as_deref(), Some("query"));
        assert_eq!(query_field("q=a%09b&q2=%C2%A0"), None);
        assert_eq!(query_field("q=plain"), None);
        assert!(path_names_nothing("/v1/payment_links/plink_%00"));
        assert!(path_names_nothing("/l/%7F"));
        assert!(path_names_nothing("/l/%FF"), "not UTF-8");
        assert!(!path_names_nothing("/v1/payment_links/plink_01"));
        assert!(!path_names_nothing("/v1/branches/caf%C3%A9"));
        assert!(!path_names_nothing("/v1/branches/100%"));
    }
}
