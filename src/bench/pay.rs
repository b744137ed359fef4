//! The `pay` scenario's operation: a payer paying a new link with the sandbox's test card, as a
//! browser does it, on one connection and timed as one operation:
//!
//! - (a) `POST /v1/payment_links` with the API key: a unique single-use link (2xx);
//! - (b) `GET /pay/{id}` without the key: the page sets the `pl_csrf` cookie and puts the signed
//!   token in the form's hidden `csrf` field (2xx);
//! - (c) `POST /pay/{id}` with that cookie and the card form (urlencoded): a `303` to
//!   `/receipts/…` (the card succeeds at once; anything else is an error).
//!
//! The card method's id is looked up once per phase over the API (`GET /v1/payment_methods`),
//! not parsed from each page, so the generator spends its CPU on requests, not on HTML.

use super::load::{Answer, Client, Failure, step};
use super::scenario::RequestSpec;
use hyper::header::{LOCATION, SET_COOKIE};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// How long each step took: (a) create, (b) page, (c) card.
pub type Steps = [Duration; 3];

/// The sandbox card that succeeds at once, and a valid expiry and CVV.
const CARD: [(&str, &str); 3] = [("card_number", "4242424242424242"), ("card_expiry", "12/34"), ("card_cvv", "123")];
/// The CSRF cookie the page sets (`web::csrf`).
const CSRF_COOKIE: &str = "pl_csrf";

/// The id of the store's enabled card method, as a merchant's integration would find it.
pub async fn card_method(addr: SocketAddr, key: &str) -> Result<Option<i64>, String> {
    let mut client = Client::connect(addr, key).await?;
    let req = RequestSpec::get("/v1/payment_methods".into());
    let answer = step(&mut client, &req, 200..=299).await.map_err(|f| match f {
        Failure::Answer(what) | Failure::Transport(what) => format!("bench: payment methods: {what}"),
    })?;
    let list: serde_json::Value =
        serde_json::from_slice(&answer.body).map_err(|e| format!("bench: payment methods: {e}"))?;
    let methods = list["data"].as_array().map(Vec::as_slice).unwrap_or_default();
    let card = methods.iter().find(|m| m["kind"] == "card" && m["enabled"] == true);
    Ok(card.and_then(|m| m["id"].as_i64()))
}

/// One payment, steps (a) to (c); how long each took (the probes show them, the load does not).
pub async fn run(client: &mut Client, create: &RequestSpec, method_id: Option<i64>) -> Result<Steps, Failure> {
    let method_id = method_id.ok_or_else(|| Failure::Answer("the store has no enabled card method".into()))?;
    let started = Instant::now();
    let created = step(client, create, 200..=299).await?;
    let a = started.elapsed();
    let id = link_id(&created.body).ok_or_else(|| answer_error("POST /v1/payment_links: no link id", &created))?;
    let path = format!("/pay/{id}");
    let page = step(client, &RequestSpec::anonymous(path.clone()), 200..=299).await?;
    let b = started.elapsed();
    let cookie = csrf_cookie(&page).ok_or_else(|| answer_error("GET: no pl_csrf cookie", &page))?;
    let html = String::from_utf8_lossy(&page.body);
    let csrf = hidden_field(&html, "csrf").ok_or_else(|| answer_error("GET: no csrf field", &page))?;
    let post = RequestSpec::form(path, form_body(csrf, method_id), &cookie).map_err(Failure::Answer)?;
    let paid = step(client, &post, 303..=303).await?;
    let c = started.elapsed();
    match paid.header_values(LOCATION).next() {
        Some(to) if to.starts_with("/receipts/") => Ok([a, b - a, c - b]),
        other => Err(Failure::Answer(format!("POST /pay/{id} -> 303 to {other:?}, not a receipt"))),
    }
}

/// A step's answer that lacked what the next step needs.
fn answer_error(what: &str, a: &Answer) -> Failure {
    Failure::Answer(format!("{what} ({}): {}", a.status, super::load::summary(&a.body)))
}

/// The new link's id from the create answer.
fn link_id(body: &[u8]) -> Option<String> {
    let link: serde_json::Value = serde_json::from_slice(body).ok()?;
    link["id"].as_str().map(str::to_owned)
}

/// `pl_csrf=…` from the page's `Set-Cookie`, as the browser sends it back in `Cookie`.
fn csrf_cookie(page: &Answer) -> Option<String> {
    page.header_values(SET_COOKIE)
        .filter_map(|c| c.split(';').next())
        .find(|pair| pair.split_once('=').is_some_and(|(name, v)| name.trim() == CSRF_COOKIE && !v.is_empty()))
        .map(|pair| pair.trim().to_owned())
}

/// The value of the first hidden field `name` in the page (`name="…" value="…"`, as the
/// template writes it; tokens are base64url and need no unescaping).
fn hidden_field<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let len = html[start..].find('"')?;
    Some(&html[start..start + len]).filter(|v| !v.is_empty())
}

/// The card form as the page's card section posts it.
fn form_body(csrf: &str, method_id: i64) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("csrf", csrf).append_pair("method_id", &method_id.to_string());
    form.extend_pairs(CARD).append_pair("lang", "en");
    form.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_fields_and_the_cookie_are_read_as_the_page_writes_them() {
        let html = r#"<form><input type="hidden" name="csrf" value="AAA.bb-_c"><input type="hidden" name="method_id" value="3">"#;
        assert_eq!(hidden_field(html, "csrf"), Some("AAA.bb-_c"));
        assert_eq!(hidden_field(html, "method_id"), Some("3"));
        assert_eq!(hidden_field(html, "lang"), None);
        let mut headers = hyper::HeaderMap::new();
        headers.append(SET_COOKIE, "other=1; Path=/".parse().unwrap());
        headers.append(SET_COOKIE, "pl_csrf=n0nce_-x; Path=/; HttpOnly; SameSite=Strict".parse().unwrap());
        let page = Answer { status: 200, headers, body: Default::default() };
        assert_eq!(csrf_cookie(&page).as_deref(), Some("pl_csrf=n0nce_-x"));
    }

    #[test]
    fn the_card_form_is_urlencoded() {
        let body = form_body("t.k", 7);
        assert_eq!(body, "csrf=t.k&method_id=7&card_number=4242424242424242&card_expiry=12%2F34&card_cvv=123&lang=en");
    }
}
