//! The new-link form as posted, turned into the API's [`NewLink`] (so the service applies the one
//! set of rules), and the service's field errors turned back into the form's fields and the
//! user's language.

use super::texts::LinkTexts;
use crate::domain::link::{Customer, LinkDraft};
use crate::domain::{FieldError, Rule, Timestamp};
use crate::service::links::NewLink;

/// The form's fields, all text so a half-filled form always parses and is shown back as typed.
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewLinkForm {
    pub amount: String,
    pub title: String,
    pub description: String,
    /// A saved customer (`cus_…`), empty for none.
    pub customer_id: String,
    pub phone: String,
    pub email: String,
    pub name: String,
    pub expires_in_days: String,
    /// `YYYY-MM-DDTHH:MM` from a `datetime-local` input, read as UTC (dates are shown in UTC).
    pub expires_at: String,
    /// `single` or `multi`.
    pub usage: String,
    pub language: String,
    pub reference: String,
    /// Present (`on`) when ticked.
    pub send_sms: String,
    pub send_email: String,
}

/// The errors of a posted form: (form field, sentence).
#[derive(Default)]
pub struct FormErrors(pub Vec<(&'static str, &'static str)>);

impl FormErrors {
    /// The sentence for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| *m)
    }

    /// Whether `field` has an error (for `aria-invalid`).
    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// Whether there is any error.
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }

    fn push(&mut self, field: &'static str, message: &'static str) {
        if !self.has(field) {
            self.0.push((field, message));
        }
    }
}

/// Arabic-Indic digits and the Arabic decimal separator as ASCII, so `١٥٠٫٥٠` reads as `150.50`;
/// the money parser stays the one exact parser.
pub fn ascii_number(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '٫' => '.',
            other => other,
        })
        .collect()
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The expiry as RFC 3339: a date-time wins over a number of days; both empty, none.
fn expiry(f: &NewLinkForm, now: Timestamp, t: &'static LinkTexts, errors: &mut FormErrors) -> Option<String> {
    if let Some(at) = some(&f.expires_at) {
        // `datetime-local` sends minutes (or seconds); the service wants a zone.
        return Some(match at.len() {
            16 => format!("{at}:00Z"),
            19 => format!("{at}Z"),
            _ => at,
        });
    }
    let days = some(&ascii_number(&f.expires_in_days))?;
    match days.parse::<i64>() {
        Ok(n) if (1..=365).contains(&n) => Some(now.plus_secs(n * 86_400).to_rfc3339()),
        _ => {
            errors.push("expires_in_days", t.e_days);
            None
        }
    }
}

impl NewLinkForm {
    /// The API's create request for this form, or the errors only the form can find.
    pub fn to_new_link(&self, now: Timestamp, t: &'static LinkTexts) -> Result<NewLink, FormErrors> {
        let mut errors = FormErrors::default();
        let expires_at = expiry(self, now, t, &mut errors);
        if errors.any() {
            return Err(errors);
        }
        let (first_name, last_name) = Customer::split_name(&self.name);
        let customer = Customer { id: None, phone: some(&self.phone), email: some(&self.email), first_name, last_name };
        let draft = LinkDraft {
            amount: some(&ascii_number(&self.amount)),
            title: Some(self.title.clone()),
            description: some(&self.description),
            reference_id: some(&self.reference),
            single_use: Some(self.usage != "multi"),
            expires_at,
            customer,
            customer_id: some(&self.customer_id),
            language: some(&self.language),
            send_sms: Some(!self.send_sms.is_empty()),
            send_email: Some(!self.send_email.is_empty()),
            ..LinkDraft::default()
        };
        Ok(NewLink { draft, ..NewLink::default() })
    }
}

/// The service's field errors on the form's fields, in the user's language.
pub fn from_service(list: &[FieldError], t: &'static LinkTexts) -> FormErrors {
    let mut errors = FormErrors::default();
    for e in list {
        let field = form_field(&e.field);
        errors.push(field, message(field, e, t));
    }
    errors
}

fn form_field(service_field: &str) -> &'static str {
    match service_field {
        "amount" | "currency" => "amount",
        "title" => "title",
        "description" => "description",
        "reference_id" => "reference",
        "expires_at" => "expires_at",
        "customer.phone" => "phone",
        "customer.email" => "email",
        "customer.first_name" | "customer.last_name" => "name",
        "customer_id" => "customer_id",
        "language" => "language",
        _ => "form",
    }
}

fn message(field: &str, e: &FieldError, t: &'static LinkTexts) -> &'static str {
    match (field, e.rule) {
        ("phone", Rule::Required) => t.e_phone_for_sms,
        ("email", Rule::Required) => t.e_email_for_email,
        (_, Rule::Required) => t.e_required,
        (_, Rule::TooManyDecimals) => t.e_amount_decimals,
        (_, Rule::NotPositive) => t.e_amount_positive,
        (_, Rule::AboveMaximum) => t.e_amount_max,
        ("amount", _) => t.e_amount,
        ("reference", _) => t.e_reference,
        ("customer_id", _) => t.e_customer,
        (_, Rule::TooLong) => t.e_too_long,
        (_, Rule::NotAPhone) => t.e_phone,
        (_, Rule::NotAnEmail) => t.e_email,
        (_, Rule::InPast) => t.e_in_past,
        (_, Rule::NotADateTime) => t.e_date,
        _ => t.e_invalid,
    }
}

/// A reference another link already has, as the form's error.
pub fn reference_taken(t: &'static LinkTexts) -> FormErrors {
    let mut errors = FormErrors::default();
    errors.push("reference", t.e_reference_taken);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_digits_and_separator_read_as_an_exact_decimal() {
        assert_eq!(ascii_number(" ١٥٠٫٥٠ "), "150.50");
        assert_eq!(ascii_number("۱۲"), "12");
    }

    #[test]
    fn a_local_date_time_gets_the_utc_zone_and_days_count_from_now() {
        let t = LinkTexts::of(crate::domain::link::Language::En);
        let now = Timestamp::from_micros(0);
        let f = NewLinkForm { expires_at: "2030-01-02T03:04".into(), ..NewLinkForm::default() };
        assert_eq!(expiry(&f, now, t, &mut FormErrors::default()).as_deref(), Some("2030-01-02T03:04:00Z"));
        let f = NewLinkForm { expires_in_days: "2".into(), ..NewLinkForm::default() };
        assert_eq!(expiry(&f, now, t, &mut FormErrors::default()), Some(now.plus_secs(172_800).to_rfc3339()));
        let mut errors = FormErrors::default();
        let f = NewLinkForm { expires_in_days: "0".into(), ..NewLinkForm::default() };
        assert_eq!(expiry(&f, now, t, &mut errors), None);
        assert!(errors.has("expires_in_days"));
    }

    #[test]
    fn service_errors_land_on_the_form_fields_in_the_users_language() {
        let t = LinkTexts::of(crate::domain::link::Language::Ar);
        let errors = vec![
            FieldError::new("customer.phone", crate::domain::ErrorKind::Invalid, "x").with_rule(Rule::Required),
            FieldError::new("amount", crate::domain::ErrorKind::Amount, "x").with_rule(Rule::TooManyDecimals),
            FieldError::new("reference_id", crate::domain::ErrorKind::Invalid, "x").with_rule(Rule::TooLong),
        ];
        let form = from_service(&errors, t);
        assert_eq!(form.get("phone"), Some(t.e_phone_for_sms));
        assert_eq!(form.get("amount"), Some(t.e_amount_decimals));
        assert_eq!(form.get("reference"), Some(t.e_reference));
        assert!(!form.has("title"));
    }
}
