//! Pure types and rules: no I/O, no web or database crates. Values that exist are valid.

pub mod access;
pub mod audit;
pub mod card;
pub mod csv;
pub mod customer;
pub mod dialect;
pub mod event;
pub mod format;
pub mod id;
pub mod link;
pub mod method;
pub mod money;
pub mod notification;
pub mod outbox;
pub mod password;
pub mod payment;
pub mod refund;
pub mod report;
pub mod rule;
pub mod session;
pub mod sign;
pub mod store_profile;
pub mod tenancy;
pub mod text;
pub mod time;
pub mod webhook;
pub mod zone;

pub use rule::{Expected, Rule};
pub use time::Timestamp;

/// Which world an object lives in. Sandbox keys never see production objects and the reverse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Sandbox,
    Production,
}

impl Environment {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Environment> {
        match s {
            "sandbox" => Some(Environment::Sandbox),
            "production" => Some(Environment::Production),
            _ => None,
        }
    }

    /// The API key prefix for this environment.
    pub fn key_prefix(self) -> &'static str {
        match self {
            Environment::Sandbox => "sk_test_",
            Environment::Production => "sk_live_",
        }
    }
}

/// A rule broken by one input field: the field's name, the family of its `error_code`, the
/// rule it broke (stable, for adapters that choose their own words) and a message for the
/// developer (which may be reworded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: ErrorKind,
    pub rule: Rule,
    pub message: String,
}

/// The families of field errors; each has a stable `error_code` in the API catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Invalid,
    Amount,
    Currency,
    Phone,
    Url,
    Email,
    Expiry,
    Metadata,
    /// Text with a control character (`text::is_forbidden_control`).
    ControlCharacter,
}

impl FieldError {
    /// A field error of the given kind; its rule is [`Rule::Invalid`] until [`with_rule`] says
    /// which.
    ///
    /// [`with_rule`]: FieldError::with_rule
    pub fn new(field: &str, code: ErrorKind, message: impl Into<String>) -> Self {
        FieldError { field: field.to_owned(), code, rule: Rule::Invalid, message: message.into() }
    }

    /// A text field holding a control character ([`text::is_forbidden_control`]).
    pub fn control_character(field: &str) -> Self {
        FieldError::new(field, ErrorKind::ControlCharacter, text::CONTROL_CHARACTER_MESSAGE)
            .with_rule(Rule::ControlCharacter)
    }

    /// The same error, naming the rule broken.
    pub fn with_rule(mut self, rule: Rule) -> Self {
        self.rule = rule;
        self
    }
}
