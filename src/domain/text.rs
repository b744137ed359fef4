//! Parsers for the small text values links carry: phone numbers, e-mail, URLs, metadata.

/// Accepts an E.164 phone number: `+`, a non-zero digit, 7 to 14 more digits.
pub fn parse_phone(s: &str) -> Option<String> {
    let digits = s.strip_prefix('+')?;
    let ok = (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
    ok.then(|| s.to_owned())
}

/// Accepts a plausible e-mail address (one `@`, a dotted domain, no spaces, ≤ 254 bytes).
pub fn parse_email(s: &str) -> Option<String> {
    let (local, domain) = s.split_once('@')?;
    let ok = s.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| s.to_owned())
}

/// Accepts an absolute http(s) URL with a host, ≤ 2048 bytes.
pub fn parse_http_url(s: &str) -> Option<String> {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let ok = s.len() <= 2048
        && !host.is_empty()
        && !host.starts_with(':')
        && !host.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| s.to_owned())
}

/// Whether text fields refuse `c`: a Unicode control character (general category Cc, U+0000 to
/// U+001F and U+007F to U+009F) other than tab, line feed and carriage return. PostgreSQL cannot
/// store U+0000 in text at all, and the others have no business in names, titles or ids; the three
/// kept are ordinary whitespace in a description or a note (single-line fields that must not have
/// them — ids, phone numbers, e-mail addresses, URLs — refuse all whitespace by their own rules).
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `s` holds a character text fields refuse ([`is_forbidden_control`]).
pub fn has_forbidden_control(s: &str) -> bool {
    s.chars().any(is_forbidden_control)
}

/// What a text field with a control character is told.
pub const CONTROL_CHARACTER_MESSAGE: &str = "must not contain control characters (U+0000 to U+001F, U+007F to U+009F) other than tab, line feed and carriage return";

/// Limits on link metadata: an object of at most 50 keys, 4 KiB serialized.
pub const METADATA_MAX_KEYS: usize = 50;
/// Serialized size limit of metadata.
pub const METADATA_MAX_BYTES: usize = 4096;

/// Checks a text field's length in characters; `None` when it fits.
pub fn too_long(s: &str, max_chars: usize) -> bool {
    s.chars().count() > max_chars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_must_be_e164() {
        assert!(parse_phone("+966501234567").is_some());
        for bad in ["0501234567", "+0501234567", "+9665012345678901", "+96650 1234567", "+12", "966501234567"] {
            assert!(parse_phone(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(parse_http_url("https://mystore.com/webhook/payment-complete").is_some());
        for bad in ["ftp://x.com", "javascript:alert(1)", "https://", "//x.com", "https://a b.com", "mystore.com"] {
            assert!(parse_http_url(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn control_characters_are_refused_except_tab_line_feed_and_carriage_return() {
        for bad in ["a\u{0}b", "\u{1f}", "x\u{7f}", "\u{85}", "\u{9f}"] {
            assert!(has_forbidden_control(bad), "{bad:?}");
        }
        for good in ["plain", "tab\there", "two\nlines\r\n", "عربي", "emoji 😀", "\u{a0}nbsp"] {
            assert!(!has_forbidden_control(good), "{good:?}");
        }
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(parse_email("customer@example.com").is_some());
        for bad in ["customer", "@example.com", "a@b", "a b@c.com", "a@b@c.com", "a@.com"] {
            assert!(parse_email(bad).is_none(), "{bad}");
        }
    }
}
