//! What a README command says it answers (`# → …`), checked against what it did: the HTTP status
//! (2xx unless it names one: `# → 403 SELF_APPROVAL`), every `"field": value` it shows (somewhere
//! in the answer; `…` stands for any text), and on an event list the event types it names.

use super::parse::Command;
use super::shell::Outcome;
use serde_json::Value;

/// Checks `out` (its JSON answer `answer`) against what `cmd` says.
pub fn check(cmd: &Command, out: &Outcome, answer: &Value) {
    let at = format!("README line {}", cmd.line);
    assert!(out.success, "{at} failed:\n{}\n{}{}", cmd.code, out.stdout, out.stderr);
    let said = cmd.answer.trim();
    if let Some((status, code)) = error_claim(said) {
        assert!(out.http == [status], "{at}: expected HTTP {status}, got {:?}: {}", out.http, out.stdout);
        assert_eq!(answer["error_code"], code, "{at}: {}", out.stdout);
        return;
    }
    if cmd.code.contains("curl ") {
        assert!(!out.http.is_empty(), "{at}: no HTTP answer: {}", out.stderr);
    }
    for status in &out.http {
        assert!((200..300).contains(status), "{at} answered HTTP {status}:\n{}\n{}", cmd.code, out.stdout);
    }
    for (field, value) in pairs(said) {
        assert!(holds(answer, &field, &value), "{at} says {field:?}: {value}, but answered {answer}");
    }
    if cmd.code.contains("/v1/events?") && !said.is_empty() {
        check_event_types(&at, said, answer);
    }
}

/// `403 SELF_APPROVAL…`: an expected error status and code.
fn error_claim(said: &str) -> Option<(u16, String)> {
    let (status, rest) = said.split_once(' ')?;
    let status: u16 = status.parse().ok().filter(|s| (400..600).contains(s))?;
    let code: String = rest.chars().take_while(|c| c.is_ascii_uppercase() || *c == '_').collect();
    (!code.is_empty()).then_some((status, code))
}

/// The `"field": scalar` pairs of a claim (objects and arrays are not compared as a whole).
fn pairs(said: &str) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    let mut rest = said;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        let (field, tail) = (&after[..end], &after[end + 1..]);
        rest = tail;
        let Some(value) = tail.trim_start().strip_prefix(':') else { continue };
        let value = value.trim_start();
        let token = scalar(value);
        if let Ok(v) = serde_json::from_str::<Value>(token) {
            found.push((field.to_owned(), v));
            rest = &value[token.len()..];
        }
    }
    found
}

/// The JSON scalar at the start of `text` (a string, a number, `true`, `false`, `null`).
fn scalar(text: &str) -> &str {
    if let Some(body) = text.strip_prefix('"') {
        return body.find('"').map_or(text, |end| &text[..end + 2]);
    }
    let end = text.find(|c: char| c == ',' || c == '}' || c == ']' || c.is_whitespace()).unwrap_or(text.len());
    &text[..end]
}

/// Whether some object in `answer` has `field` matching `expected`.
fn holds(answer: &Value, field: &str, expected: &Value) -> bool {
    match answer {
        Value::Object(map) => {
            map.get(field).is_some_and(|v| matches(v, expected)) || map.values().any(|v| holds(v, field, expected))
        }
        Value::Array(items) => items.iter().any(|v| holds(v, field, expected)),
        _ => false,
    }
}

/// `expected` with `…` standing for any text.
fn matches(actual: &Value, expected: &Value) -> bool {
    let (Some(actual), Some(pattern)) = (actual.as_str(), expected.as_str()) else { return actual == expected };
    let parts: Vec<&str> = pattern.split('…').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return actual == pattern;
    }
    let Some(mut rest) = actual.strip_prefix(first) else { return false };
    for part in &parts[1..parts.len() - 1] {
        let Some(at) = rest.find(part) else { return false };
        rest = &rest[at + part.len()..];
    }
    rest.ends_with(last)
}

/// An event list claim (`# → payment_link.paid, payment.succeeded, …`): exactly these types.
fn check_event_types(at: &str, said: &str, answer: &Value) {
    let mut named: Vec<&str> = said
        .split([',', ' '])
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_'))
        .filter(|w| w.contains('.'))
        .collect();
    let mut got: Vec<&str> =
        answer["data"].as_array().into_iter().flatten().filter_map(|e| e["type"].as_str()).collect();
    named.sort_unstable();
    got.sort_unstable();
    assert_eq!(named, got, "{at}: the event types it names");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claims_read_statuses_fields_and_ellipses() {
        assert_eq!(error_claim("403 SELF_APPROVAL: no"), Some((403, "SELF_APPROVAL".to_owned())));
        assert_eq!(error_claim("{\"status\": 1}"), None);
        let said = r#"{"id": "pay_…", "n": 1, "list": [...], "url": "http://…/pay/…", "ok": true}"#;
        let found = pairs(said);
        let names: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(names, ["id", "n", "url", "ok"]);
        let answer = json!({"data": {"id": "pay_1", "n": 1, "url": "http://h:1/pay/x", "ok": true}});
        assert!(found.iter().all(|(f, v)| holds(&answer, f, v)));
        assert!(!holds(&answer, "id", &json!("re_…")) && !holds(&answer, "n", &json!(2)));
        assert!(!matches(&json!("http://h/l/x"), &json!("http://…/pay/…")));
    }
}
