//! Checking a draft link: every rule a new link must satisfy, each failure naming its field.

use super::Language;
use super::{AddressPrefill, Customer};
use crate::domain::money::{Currency, Money};
use crate::domain::text::{self, METADATA_MAX_BYTES, METADATA_MAX_KEYS};
use crate::domain::{ErrorKind, Expected, FieldError, Rule, Timestamp};

/// What a caller submits to create a link; every field still unchecked text.
#[derive(Clone, Debug, Default)]
pub struct LinkDraft {
    /// The amount's exact JSON text (number or string).
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub reference_id: Option<String>,
    pub single_use: Option<bool>,
    pub max_payments: Option<i64>,
    pub expires_at: Option<String>,
    pub customer: Customer,
    /// A customer id (`cus_…`) whose record fills `customer`; resolved by the service, which
    /// alone can tell whether the caller may see that customer.
    pub customer_id: Option<String>,
    pub language: Option<String>,
    pub address_required: Option<bool>,
    pub send_sms: Option<bool>,
    pub send_email: Option<bool>,
    pub callback_url: Option<String>,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    pub metadata: Option<serde_json::Value>,
    /// Payment method ids the link accepts (checked against the store's methods by the caller).
    pub payment_methods: Option<Vec<i64>>,
    /// An address to pre-fill on the page (blank parts are dropped).
    pub address_prefill: Option<AddressPrefill>,
}

/// The context a draft is checked in.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    pub now: Timestamp,
    pub default_currency: Currency,
    pub max_amount_major: i64,
}

/// A draft that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidLink {
    pub amount: Money,
    pub title: String,
    pub description: Option<String>,
    pub reference_id: Option<String>,
    pub single_use: bool,
    pub max_payments: Option<i64>,
    pub expires_at: Option<Timestamp>,
    pub customer: Customer,
    pub language: Language,
    pub address_required: bool,
    pub send_sms: bool,
    pub send_email: bool,
    pub callback_url: Option<String>,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    pub metadata: String,
    /// Distinct method ids, in the order given; `None`: every enabled method.
    pub payment_methods: Option<Vec<i64>>,
    pub address_prefill: Option<AddressPrefill>,
}

/// Collects field errors while a draft is checked.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: &str, kind: ErrorKind, rule: Rule, msg: impl Into<String>) {
        self.0.push(FieldError::new(field, kind, msg).with_rule(rule));
    }
}

impl LinkDraft {
    /// Applies every rule; on failure returns each broken rule with its field.
    pub fn validate(self, rules: &Rules) -> Result<ValidLink, Vec<FieldError>> {
        let mut errors = Errors::default();
        let amount = check_amount(self.amount.as_deref(), self.currency.as_deref(), rules, &mut errors);
        let title = check_title(self.title, &mut errors);
        let description = check_len(self.description, "description", 500, &mut errors);
        let reference_id = check_reference(self.reference_id, &mut errors);
        let (single_use, max_payments) = check_usage(self.single_use, self.max_payments, &mut errors);
        let expires_at = check_expiry(self.expires_at.as_deref(), rules.now, "expires_at", &mut errors);
        let customer = check_customer(self.customer, &mut errors);
        let language = match self.language.as_deref() {
            None => Language::Ar,
            Some(s) => Language::parse(s).unwrap_or_else(|| {
                errors.push("language", ErrorKind::Invalid, Rule::UnknownValue, "must be \"ar\" or \"en\"");
                Language::Ar
            }),
        };
        let callback_url = check_url(self.callback_url, "callback_url", &mut errors);
        let success_url = check_url(self.success_url, "success_url", &mut errors);
        let cancel_url = check_url(self.cancel_url, "cancel_url", &mut errors);
        let metadata = check_metadata(self.metadata, &mut errors);
        let payment_methods = check_method_ids(self.payment_methods, &mut errors);
        let address_prefill = self.address_prefill.and_then(|a| check_address(a, &mut errors));
        match (amount, errors.0.is_empty()) {
            (Some(amount), true) => Ok(ValidLink {
                amount,
                title,
                description,
                reference_id,
                single_use,
                max_payments,
                expires_at,
                customer,
                language,
                address_required: self.address_required.unwrap_or(false),
                send_sms: self.send_sms.unwrap_or(false),
                send_email: self.send_email.unwrap_or(false),
                callback_url,
                success_url,
                cancel_url,
                metadata,
                payment_methods,
                address_prefill,
            }),
            _ => Err(errors.0),
        }
    }
}

fn check_amount(text: Option<&str>, currency: Option<&str>, rules: &Rules, errors: &mut Errors) -> Option<Money> {
    let currency = match currency.map(Currency::parse) {
        None => rules.default_currency,
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            errors.0.push(e.on_field("currency", None));
            return None;
        }
    };
    let Some(text) = text else {
        errors.push("amount", ErrorKind::Amount, Rule::Required, "is required");
        return None;
    };
    Money::parse(text, currency, rules.max_amount_major)
        .map_err(|e| errors.0.push(e.on_field("amount", Some(currency))))
        .ok()
}

fn check_title(title: Option<String>, errors: &mut Errors) -> String {
    match title.map(|t| t.trim().to_owned()) {
        Some(t) if t.is_empty() => errors.push("title", ErrorKind::Invalid, Rule::Required, "must not be empty"),
        Some(t) if text::too_long(&t, 200) => {
            errors.push("title", ErrorKind::Invalid, Rule::TooLong, "must be at most 200 characters")
        }
        Some(t) => return t,
        None => errors.push("title", ErrorKind::Invalid, Rule::Required, "is required"),
    }
    String::new()
}

fn check_len(value: Option<String>, field: &str, max: usize, errors: &mut Errors) -> Option<String> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    if text::too_long(&value, max) {
        errors.push(field, ErrorKind::Invalid, Rule::TooLong, format!("must be at most {max} characters"));
    }
    Some(value)
}

/// Blank parts dropped (no part left: no prefill); each part within its limit (`address.line1`).
fn check_address(a: AddressPrefill, errors: &mut Errors) -> Option<AddressPrefill> {
    let clean = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let a = AddressPrefill {
        line1: clean(a.line1),
        line2: clean(a.line2),
        city: clean(a.city),
        region: clean(a.region),
        postal_code: clean(a.postal_code),
        country: clean(a.country),
    };
    for (name, value, max) in a.parts() {
        if value.as_deref().is_some_and(|v| text::too_long(v, max)) {
            let message = format!("must be at most {max} characters");
            errors.push(&format!("address.{name}"), ErrorKind::Invalid, Rule::TooLong, message);
        }
    }
    a.parts().iter().any(|(_, v, _)| v.is_some()).then_some(a)
}

fn check_reference(value: Option<String>, errors: &mut Errors) -> Option<String> {
    let value = value?;
    let printable = !value.is_empty() && value.chars().all(|c| !c.is_control() && !c.is_whitespace());
    if !printable || text::too_long(&value, 64) {
        let rule = if printable { Rule::TooLong } else { Rule::Invalid };
        errors.push("reference_id", ErrorKind::Invalid, rule, "must be 1 to 64 printable characters without spaces");
    }
    Some(value)
}

fn check_usage(single_use: Option<bool>, max: Option<i64>, errors: &mut Errors) -> (bool, Option<i64>) {
    match (single_use, max) {
        (_, Some(n)) if !(1..=1_000_000).contains(&n) => {
            errors.push("max_payments", ErrorKind::Invalid, Rule::OutOfRange, "must be between 1 and 1000000");
            (true, None)
        }
        (Some(true), Some(n)) if n > 1 => {
            errors.push(
                "max_payments",
                ErrorKind::Invalid,
                Rule::Invalid,
                "a single-use link takes exactly one payment",
            );
            (true, None)
        }
        (_, Some(1)) | (Some(true) | None, None) => (true, None),
        (_, Some(n)) => (false, Some(n)),
        (Some(false), None) => (false, None),
    }
}

/// Checks an expiry: RFC 3339 and strictly after `now` (the database clock).
pub fn check_expiry_text(text: &str, now: Timestamp, field: &str) -> Result<Timestamp, FieldError> {
    let at = Timestamp::parse_rfc3339(text).ok_or_else(|| {
        FieldError::new(field, ErrorKind::Expiry, "must be an RFC 3339 date-time").with_rule(Rule::NotADateTime)
    })?;
    if at <= now {
        return Err(FieldError::new(field, ErrorKind::Expiry, "must be in the future").with_rule(Rule::InPast));
    }
    Ok(at)
}

fn check_expiry(text: Option<&str>, now: Timestamp, field: &str, errors: &mut Errors) -> Option<Timestamp> {
    let text = text.filter(|t| !t.trim().is_empty())?;
    check_expiry_text(text, now, field).map_err(|e| errors.0.push(e)).ok()
}

fn check_customer(c: Customer, errors: &mut Errors) -> Customer {
    if let Some(p) = &c.phone {
        if text::parse_phone(p).is_none() {
            errors.push(
                "customer.phone",
                ErrorKind::Phone,
                Rule::NotAPhone,
                "must be in E.164 format, e.g. +966501234567",
            );
        }
    }
    if let Some(e) = &c.email {
        if text::parse_email(e).is_none() {
            errors.push("customer.email", ErrorKind::Email, Rule::NotAnEmail, "is not a valid e-mail address");
        }
    }
    for (field, value) in [("customer.first_name", &c.first_name), ("customer.last_name", &c.last_name)] {
        if value.as_deref().is_some_and(|v| text::too_long(v, 50)) {
            errors.push(field, ErrorKind::Invalid, Rule::TooLong, "must be at most 50 characters");
        }
    }
    c
}

fn check_url(url: Option<String>, field: &str, errors: &mut Errors) -> Option<String> {
    let url = url.filter(|u| !u.is_empty())?;
    if text::parse_http_url(&url).is_none() {
        errors.push(field, ErrorKind::Url, Rule::NotAUrl, "must be an absolute http or https URL");
    }
    Some(url)
}

/// Checks metadata: a JSON object within the size limits; returns its text.
pub fn check_metadata_value(value: Option<serde_json::Value>) -> Result<String, FieldError> {
    let value = value.unwrap_or_else(|| serde_json::Value::Object(Default::default()));
    let serde_json::Value::Object(map) = &value else {
        let e = FieldError::new("metadata", ErrorKind::Metadata, "must be a JSON object");
        return Err(e.with_rule(Rule::WrongType(Expected::Object)));
    };
    let text = value.to_string();
    if map.len() > METADATA_MAX_KEYS || text.len() > METADATA_MAX_BYTES {
        let msg = format!("must have at most {METADATA_MAX_KEYS} keys and {METADATA_MAX_BYTES} bytes");
        return Err(FieldError::new("metadata", ErrorKind::Metadata, msg).with_rule(Rule::BadObject));
    }
    Ok(text)
}

fn check_metadata(value: Option<serde_json::Value>, errors: &mut Errors) -> String {
    check_metadata_value(value).unwrap_or_else(|e| {
        errors.0.push(e);
        "{}".to_owned()
    })
}

/// A link's method list: 1 to 20 distinct ids (duplicates folded), or absent.
fn check_method_ids(ids: Option<Vec<i64>>, errors: &mut Errors) -> Option<Vec<i64>> {
    let mut ids = ids?;
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    if ids.is_empty() || ids.len() > 20 {
        errors.push("payment_methods", ErrorKind::Invalid, Rule::OutOfRange, "must list 1 to 20 payment method ids");
    }
    Some(ids)
}
