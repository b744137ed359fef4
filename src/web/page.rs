//! What every page shares: the frame the layout template draws (language, stylesheet, store
//! header), the pieces templates loop over (form fields, table rows), and the response with the
//! security headers every HTML answer of `web` carries.

use super::i18n::Texts;
use askama::Template;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, SET_COOKIE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The layout's data: language, `<title>`, stylesheet and the store's header.
pub struct Frame {
    pub t: &'static Texts,
    pub title: String,
    pub css: &'static str,
    pub brand: Option<Brand>,
    /// Shows the sandbox banner.
    pub sandbox: bool,
    /// Reloads the page every two seconds (a payment still in progress; there is no script).
    pub refresh: bool,
    /// Where the language switch leads: this address in the other language. Relative by
    /// default; pages answering a POST set their GET address, or the switch would re-post.
    pub switch: String,
}

impl Frame {
    /// A frame without a store header.
    pub fn new(t: &'static Texts, title: impl Into<String>) -> Frame {
        let switch = format!("?lang={}", t.other_lang);
        Frame {
            t,
            title: title.into(),
            css: super::assets::css_href(),
            brand: None,
            sandbox: false,
            refresh: false,
            switch,
        }
    }
}

/// The store's name and logo, or its monogram (initials in a circle of one of eight tones).
pub struct Brand {
    pub name: String,
    pub initials: String,
    pub tone: u8,
    /// Path of the uploaded logo, shown instead of the monogram.
    pub logo: Option<String>,
}

impl Brand {
    /// The monogram of `name`: the first letter of its first two words, the tone from its bytes.
    pub fn of(name: &str) -> Brand {
        let initials: String = name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
        let tone = name.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 8;
        Brand { name: name.to_owned(), initials: initials.to_uppercase(), tone: tone as u8, logo: None }
    }

    /// The store's brand: its logo when it has one, its monogram otherwise.
    pub fn of_store(name: &str, logo: Option<&String>) -> Brand {
        Brand { logo: logo.cloned(), ..Brand::of(name) }
    }
}

/// A state shown instead of the form (paid, expired, …): a tone (`ok`, `bad`, `warn`, `off`,
/// `wait`) that picks the icon, a heading and a sentence.
pub struct Notice {
    pub tone: &'static str,
    pub heading: &'static str,
    pub body: String,
}

/// One form input, rendered by `templates/pay/field.html`.
#[derive(Clone, Default)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// The input `type`.
    pub kind: &'static str,
    pub value: String,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
    pub placeholder: &'static str,
    pub required: bool,
    /// Numbers and codes stay left-to-right inside an Arabic page.
    pub ltr: bool,
    /// Half width (expiry and CVV side by side).
    pub half: bool,
    /// `maxlength`; 0 for none.
    pub max: u16,
    pub error: Option<&'static str>,
}

impl Field {
    /// A text input.
    pub fn text(name: &'static str, label: &'static str) -> Field {
        Field { name, label, kind: "text", ..Field::default() }
    }
}

/// A row of a summary table: a label (and its translation, on the bilingual receipt) and a value.
pub struct Row {
    pub label: &'static str,
    pub alt: &'static str,
    pub value: String,
    pub ltr: bool,
}

/// An HTML answer: status, body, extra `form-action` origins and an optional cookie to set.
pub struct Page {
    pub status: StatusCode,
    pub html: String,
    pub form_origins: Vec<String>,
    pub cookie: Option<String>,
}

impl Page {
    /// Renders a template; a template error becomes the plain 500 page.
    pub fn render(status: StatusCode, template: &impl Template) -> Page {
        match template.render() {
            Ok(html) => Page { status, html, form_origins: Vec::new(), cookie: None },
            Err(e) => {
                tracing::error!(error = %e, "page template failed");
                let html = "<!doctype html><title>Error</title><p>Internal error.</p>".to_owned();
                Page { status: StatusCode::INTERNAL_SERVER_ERROR, html, form_origins: Vec::new(), cookie: None }
            }
        }
    }

    /// Allows the page's forms to end at these origins (the link's success and cancel URLs).
    pub fn with_origins(mut self, origins: Vec<String>) -> Page {
        self.form_origins = origins;
        self
    }

    /// Sets a cookie with the page.
    pub fn with_cookie(mut self, cookie: Option<String>) -> Page {
        self.cookie = cookie;
        self
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.html).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        if let Ok(csp) = HeaderValue::from_str(&csp(&self.form_origins)) {
            headers.insert(CONTENT_SECURITY_POLICY, csp);
        }
        if let Some(cookie) = self.cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
            headers.insert(SET_COOKIE, cookie);
        }
        response
    }
}

/// The pages' policy: no script at all, styles and images from this origin (and `data:`), forms
/// posting here or to the link's own return origins, never framed.
pub fn csp(form_origins: &[String]) -> String {
    let mut form_action = String::from("'self'");
    for origin in form_origins {
        form_action.push(' ');
        form_action.push_str(origin);
    }
    format!(
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action {form_action}; \
         frame-ancestors 'none'; base-uri 'none'"
    )
}

/// `scheme://host[:port]` of an absolute http(s) URL, as a CSP source.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    let ok = matches!(scheme.as_str(), "http" | "https") && !host.is_empty() && host.chars().all(allowed);
    ok.then(|| format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// Adds the headers every answer of the pages carries; a handler's own `Cache-Control` (the
/// fingerprinted stylesheet) and CSP (one naming the link's origins) are kept.
pub async fn secure_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(HeaderName::from_static("x-content-type-options"), HeaderValue::from_static("nosniff"));
    headers.insert(HeaderName::from_static("x-frame-options"), HeaderValue::from_static("DENY"));
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_str(&csp(&[])).expect("a static policy"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_keep_scheme_host_and_port_only() {
        assert_eq!(origin_of("https://Shop.example.com/thanks?x=1").as_deref(), Some("https://shop.example.com"));
        assert_eq!(origin_of("http://127.0.0.1:9000").as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(origin_of("https://u:p@shop.example/x").as_deref(), Some("https://shop.example"));
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert_eq!(origin_of("https://evil.example;script-src *"), None);
    }

    #[test]
    fn the_policy_allows_forms_to_the_given_origins_only() {
        let policy = csp(&["https://shop.example".to_owned()]);
        assert!(policy.contains("form-action 'self' https://shop.example;"), "{policy}");
        assert!(policy.starts_with("default-src 'none'; style-src 'self'; img-src 'self' data:;"));
        assert!(policy.ends_with("frame-ancestors 'none'; base-uri 'none'"));
    }

    #[test]
    fn monograms_take_two_initials_and_a_stable_tone() {
        let b = Brand::of("demo coffee roasters");
        assert_eq!(b.initials, "DC");
        assert_eq!(Brand::of("demo coffee roasters").tone, b.tone);
        assert_eq!(Brand::of("متجر الورد").initials, "ما");
    }
}
