//! The `http` SMS provider: one POST per message to the operator's gateway, through the egress
//! client (no redirects, timeouts, bounded reads). The body is the configured
//! template with `{to}`, `{text}` and `{id}` replaced, escaped for the content type: JSON string
//! contents by default, form values for `application/x-www-form-urlencoded`. A 2xx is sent; 408,
//! 429, 3xx and 5xx may work later; another 4xx means the gateway refuses this message.

use super::{Notification, Outcome, excerpt};
use crate::config::SmsHttpSettings;
use crate::egress::{Egress, EgressError, OutboundRequest, Reach};
use std::time::Duration;

/// Sends one SMS through the gateway.
pub async fn send(egress: &Egress, reach: Reach, s: &SmsHttpSettings, n: &Notification, timeout: Duration) -> Outcome {
    let values = [("to", n.recipient.as_str()), ("text", n.body.as_str()), ("id", n.id.as_str())];
    let mut headers = vec![("content-type".into(), s.content_type.clone())];
    if !s.auth_value.0.is_empty() {
        headers.push((s.auth_header.clone().into(), s.auth_value.0.clone()));
    }
    let body = fill(&s.body, &values, form_encoded(&s.content_type)).into_bytes();
    let request = OutboundRequest { url: s.url.clone(), headers, body, timeout, max_response_bytes: 4096 };
    match egress.post(reach, request).await {
        Ok(r) => {
            let answer = format!("{} {}", r.status, excerpt(String::from_utf8_lossy(&r.body).trim(), 256));
            match r.status {
                200..=299 => Outcome::Sent(answer),
                408 | 429 | 300..=399 | 500.. => Outcome::Retry(format!("the gateway answered {answer}")),
                _ => Outcome::Fail(format!("the gateway refused the message: {answer}")),
            }
        }
        Err(e @ (EgressError::Refused(_) | EgressError::BadUrl(_))) => Outcome::Fail(format!("gateway URL: {e}")),
        Err(e) => Outcome::Retry(format!("gateway: {e}")),
    }
}

fn form_encoded(content_type: &str) -> bool {
    content_type.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded")
}

/// Replaces `{name}` placeholders in one pass (a value containing `{to}` stays as it is).
pub fn fill(template: &str, values: &[(&str, &str)], form: bool) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let found = values.iter().find(|(name, _)| after.starts_with(name) && after[name.len()..].starts_with('}'));
        match found {
            Some((name, value)) => {
                out.push_str(&escape(value, form));
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn escape(value: &str, form: bool) -> String {
    if form {
        return form_urlencoded::byte_serialize(value.as_bytes()).collect();
    }
    let quoted = serde_json::to_string(value).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_escaped_for_json_or_forms_in_one_pass() {
        let values = [("to", "+966501234567"), ("text", "Pay \"now\"\n{to} ١٠ ر.س"), ("id", "ntf_1")];
        let json = fill(r#"{"to": "{to}", "text": "{text}", "ref": "{id}", "x": "{other}"}"#, &values, false);
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["text"], "Pay \"now\"\n{to} ١٠ ر.س");
        assert_eq!((parsed["to"].as_str(), parsed["x"].as_str()), (Some("+966501234567"), Some("{other}")));
        let form = fill("to={to}&msg={text}", &values, true);
        let pairs: Vec<(String, String)> = form_urlencoded::parse(form.as_bytes()).into_owned().collect();
        assert_eq!(pairs[0], ("to".into(), "+966501234567".into()));
        assert_eq!(pairs[1].1, "Pay \"now\"\n{to} ١٠ ر.س");
    }
}
