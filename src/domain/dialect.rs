//! The name a provider dialect goes by where Paylink stores it: on the links and webhook
//! endpoints it made (`payment_links.dialect`, `webhook_endpoints.dialect`) and as the outbox
//! target of its callbacks. The core never lists the dialects: they register themselves with the
//! application (`service::dialect`), and a stored name is read back as it was written.

use std::borrow::Cow;

/// A dialect's stored name: lowercase ASCII letters and digits, never `callback` (the outbox's
/// name for a link's own callback).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DialectName(Cow<'static, str>);

impl DialectName {
    /// A dialect's own name, declared in its module.
    pub const fn of(name: &'static str) -> Self {
        DialectName(Cow::Borrowed(name))
    }

    /// A name read back from storage.
    pub fn stored(name: String) -> Self {
        DialectName(Cow::Owned(name))
    }

    /// Whether `name` may be a dialect's name.
    pub fn is_valid(name: &str) -> bool {
        !name.is_empty() && name != "callback" && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    }

    /// The stored text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DialectName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_a_lowercase_word_other_than_the_native_callback() {
        assert!(DialectName::is_valid("acme2"));
        assert!(!DialectName::is_valid("callback"));
        assert!(!DialectName::is_valid("Acme"));
        assert!(!DialectName::is_valid("we_x"));
        assert!(!DialectName::is_valid(""));
    }

    #[test]
    fn a_declared_and_a_stored_name_are_equal() {
        assert_eq!(DialectName::of("acme"), DialectName::stored("acme".to_owned()));
    }
}
