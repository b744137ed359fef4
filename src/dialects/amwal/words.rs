//! Amwal's own words and numbers: its status word for a link, its payment option, its callback
//! retry schedule, and the exact text it signs.

use crate::domain::link::LinkStatus;

/// Amwal's status word for a link: `Unpaid`, `Paid` or `Expired` (a cancelled link can no
/// longer be paid, so it reads `Expired`, with `enabled: false`).
pub fn link_status(status: LinkStatus) -> &'static str {
    match status {
        LinkStatus::Open => "Unpaid",
        LinkStatus::Paid => "Paid",
        LinkStatus::Expired | LinkStatus::Cancelled => "Expired",
    }
}

/// Amwal's `payment_option` for a payment: `Pay In Full`, or the installment plan taken.
pub fn payment_option(installments: Option<i64>) -> String {
    match installments {
        Some(n) if n > 1 => format!("Pay In {n} Installments"),
        _ => "Pay In Full".to_owned(),
    }
}

/// Amwal callbacks: after the first attempt, 5 retries waiting 2^n seconds (capped at an hour).
pub const RETRY_SECS: [u64; 5] = [2, 4, 8, 16, 32];

/// The exact text Amwal signs: the given fields with their keys sorted, serialised as Python's
/// `json.dumps(payload, sort_keys=True)` does by default — `", "` and `": "` separators, and
/// every character outside printable ASCII escaped as `\uXXXX` (UTF-16 units, lowercase hex).
pub fn signed_text(fields: &[(&str, Option<&str>)]) -> String {
    let mut sorted: Vec<&(&str, Option<&str>)> = fields.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let pairs: Vec<String> = sorted
        .iter()
        .map(|(k, v)| format!("{}: {}", python_string(k), v.map_or("null".to_owned(), python_string)))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// A JSON string as Python's `json.dumps` writes it with `ensure_ascii=True`.
pub fn python_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_text_matches_python_json_dumps_with_sorted_keys() {
        let text = signed_text(&[
            ("status", Some("success")),
            ("amount", Some("29.00000")),
            ("client_first_name", Some("أحمد \"A\"")),
            ("client_last_name", None),
            ("emoji", Some("😀\u{7f}")),
        ]);
        assert_eq!(
            text,
            "{\"amount\": \"29.00000\", \"client_first_name\": \"\\u0623\\u062d\\u0645\\u062f \\\"A\\\"\", \
             \"client_last_name\": null, \"emoji\": \"\\ud83d\\ude00\\u007f\", \"status\": \"success\"}"
        );
    }
}
