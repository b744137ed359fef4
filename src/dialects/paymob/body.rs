//! Reading a Paymob request body into named fields. Paymob documents `multipart/form-data`
//! (repeated fields for lists, booleans as `"true"` / `"false"`, the image as a file part);
//! integrations in the wild send JSON (lists as arrays, numbers as numbers or strings), and a
//! urlencoded form is what a plain HTML form sends. All three give the same [`Fields`]: each
//! value as its exact text (a JSON number keeps its digits; nothing goes through a float).
//! Unknown fields are ignored, as Django REST Framework ignores them; an empty value counts as
//! absent. Which fields were given more than once (repeated, or as a JSON list) is kept, so a
//! field that takes one value refuses it ([`Fields::repeated`]).

use super::error::{PaymobError, sentence};
use crate::api::control::Members;
use crate::domain::text::{CONTROL_CHARACTER_MESSAGE, has_forbidden_control};
use axum::body::Bytes;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderValue, StatusCode, header};
use serde_json::value::RawValue;

/// One value of a field.
pub enum Part {
    /// A text value (every JSON and urlencoded value, every multipart text part).
    Text(String),
    /// The bytes of a multipart part sent for a file field.
    File(Vec<u8>),
}

/// The request's fields in the order sent (a repeated field appears once per value), and which
/// came as a JSON list.
#[derive(Default)]
pub struct Fields {
    parts: Vec<(String, Part)>,
    lists: Vec<String>,
}

/// What a field given more than once where one value is expected is told.
const REPEATED: &str = "must be given once, not repeated or as a list";

/// Fields read as files in a multipart body.
const FILE_FIELDS: &[&str] = &["payment_link_image"];

impl Fields {
    /// Whether `name` came more than once (a repeated form field) or as a JSON list: a field
    /// that takes one value refuses it, rather than keep one of them.
    pub fn is_repeated(&self, name: &str) -> bool {
        self.lists.iter().any(|n| n == name) || self.parts.iter().filter(|(n, _)| n == name).nth(1).is_some()
    }

    /// `(field, sentence)` for each of the single-valued `names` that [`is_repeated`].
    ///
    /// [`is_repeated`]: Fields::is_repeated
    pub fn repeated(&self, names: &[&str]) -> Vec<(String, String)> {
        let repeated = names.iter().filter(|n| self.is_repeated(n));
        repeated.map(|n| (n.to_string(), sentence(n, REPEATED))).collect()
    }

    /// The last non-empty text of a field (Django's `QueryDict.get`), or `None`.
    pub fn text(&self, name: &str) -> Option<String> {
        self.texts(name).pop()
    }

    /// Every non-empty text of a field, in order.
    pub fn texts(&self, name: &str) -> Vec<String> {
        self.parts
            .iter()
            .filter(|(n, _)| n == name)
            .filter_map(|(_, p)| match p {
                Part::Text(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
                _ => None,
            })
            .collect()
    }

    /// The bytes of a file field: `None` when absent or empty (no file chosen); a text value is
    /// refused, since only multipart carries files.
    pub fn file(&self, name: &str) -> Result<Option<Vec<u8>>, PaymobError> {
        match self.parts.iter().rev().find(|(n, _)| n == name).map(|(_, p)| p) {
            Some(Part::File(bytes)) if !bytes.is_empty() => Ok(Some(bytes.clone())),
            Some(Part::Text(t)) if !t.trim().is_empty() => {
                Err(PaymobError::field(name, "must be a file sent in a multipart/form-data request"))
            }
            _ => Ok(None),
        }
    }
}

/// The body of a Paymob request, whatever its encoding.
pub struct PaymobBody(pub Fields);

impl<S: Send + Sync> FromRequest<S> for PaymobBody {
    type Rejection = PaymobError;

    async fn from_request(req: Request, state: &S) -> Result<Self, PaymobError> {
        let fields = read(req, state).await?;
        fields.refuse_control_characters()?;
        Ok(PaymobBody(fields))
    }
}

impl Fields {
    /// Refuses a text value (or a field name) holding a control character (`api::control`),
    /// naming the field; a file's bytes are not text.
    fn refuse_control_characters(&self) -> Result<(), PaymobError> {
        for (name, part) in &self.parts {
            if has_forbidden_control(name) {
                let text = "Field names must not contain control characters.";
                return Err(PaymobError::message(StatusCode::BAD_REQUEST, text));
            }
            if matches!(part, Part::Text(t) if has_forbidden_control(t)) {
                return Err(PaymobError::field(name, CONTROL_CHARACTER_MESSAGE));
            }
        }
        Ok(())
    }
}

/// The fields of a body in any of the three encodings.
async fn read<S: Send + Sync>(mut req: Request, state: &S) -> Result<Fields, PaymobError> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let content_type = content_type.as_str();
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match mime.as_str() {
        "multipart/form-data" => multipart(Multipart::from_request(req, state).await.map_err(rejected)?).await,
        // The docs' own spelling of multipart (docs/dialects.md).
        "application/form-data" => {
            let fixed = content_type.replacen(content_type.split(';').next().unwrap_or(""), "multipart/form-data", 1);
            let fixed = HeaderValue::from_str(&fixed).map_err(|_| unsupported(content_type))?;
            req.headers_mut().insert(header::CONTENT_TYPE, fixed);
            multipart(Multipart::from_request(req, state).await.map_err(rejected)?).await
        }
        "application/x-www-form-urlencoded" => Ok(urlencoded(&bytes(req, state).await?)),
        m if m == "application/json" || (m.starts_with("application/") && m.ends_with("+json")) => {
            json(&bytes(req, state).await?)
        }
        "" if bytes(req, state).await?.is_empty() => Ok(Fields::default()),
        _ => Err(unsupported(content_type)),
    }
}

fn unsupported(content_type: &str) -> PaymobError {
    let text = format!("Unsupported media type \"{content_type}\" in request.");
    PaymobError::message(StatusCode::UNSUPPORTED_MEDIA_TYPE, &text)
}

fn too_large() -> PaymobError {
    PaymobError::message(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large.")
}

async fn bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, PaymobError> {
    Bytes::from_request(req, state).await.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        _ => PaymobError::message(StatusCode::BAD_REQUEST, &e.body_text()),
    })
}

fn multipart_error(status: StatusCode, text: &str) -> PaymobError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    PaymobError::message(StatusCode::BAD_REQUEST, &format!("Multipart form parse error - {text}"))
}

fn rejected(e: MultipartRejection) -> PaymobError {
    multipart_error(e.status(), &e.body_text())
}

fn part_error(e: MultipartError) -> PaymobError {
    multipart_error(e.status(), &e.body_text())
}

async fn multipart(mut form: Multipart) -> Result<Fields, PaymobError> {
    let mut fields = Fields::default();
    while let Some(field) = form.next_field().await.map_err(part_error)? {
        let name = field.name().unwrap_or("").to_owned();
        let bytes = field.bytes().await.map_err(part_error)?;
        let part = if FILE_FIELDS.contains(&name.as_str()) {
            Part::File(bytes.to_vec())
        } else {
            let text =
                String::from_utf8(bytes.to_vec()).map_err(|_| PaymobError::field(&name, "must be UTF-8 text"))?;
            Part::Text(text)
        };
        fields.parts.push((name, part));
    }
    Ok(fields)
}

fn urlencoded(body: &[u8]) -> Fields {
    let parts = form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), Part::Text(v.into_owned()))).collect();
    Fields { parts, lists: Vec::new() }
}

/// A JSON object's fields: strings as they are, numbers and booleans as their exact text, arrays
/// as repeated values (noted as lists), `null` as absent. A key given twice is refused, whichever
/// field it names: JSON has no repeated fields, and keeping one of the two would be a guess.
fn json(body: &[u8]) -> Result<Fields, PaymobError> {
    let Members(members) = serde_json::from_slice(body).map_err(|e| {
        let text = e.to_string();
        PaymobError::message(StatusCode::BAD_REQUEST, &format!("JSON parse error - {text}"))
    })?;
    let mut fields = Fields::default();
    for (i, (name, raw)) in members.iter().enumerate() {
        if members[..i].iter().any(|(seen, _)| seen == name) {
            return Err(PaymobError::field(name, REPEATED));
        }
        let text = raw.get().trim();
        if text.starts_with('[') {
            fields.lists.push(name.clone());
            let items: Vec<Box<RawValue>> = serde_json::from_str(text).unwrap_or_default();
            for item in items {
                push_scalar(&mut fields, name, item.get())?;
            }
        } else {
            push_scalar(&mut fields, name, text)?;
        }
    }
    Ok(fields)
}

fn push_scalar(fields: &mut Fields, name: &str, raw: &str) -> Result<(), PaymobError> {
    let text = match raw.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(raw).unwrap_or_default(),
        Some(b'n') => return Ok(()),
        Some(b'{' | b'[') => return Err(PaymobError::field(name, "must be a string or a number")),
        _ => raw.to_owned(),
    };
    fields.parts.push((name.to_owned(), Part::Text(text)));
    Ok(())
}
