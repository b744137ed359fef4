//! The payer's form, checked: the method must be one the link allows, the instrument must match
//! the method's kind, and the payer's details must be well-formed (an address when the link asks).

use super::super::{Result, ServiceError};
use crate::connector::Instrument;
use crate::domain::card::{CardDetails, CardForm};
use crate::domain::method::{MethodKind, PaymentMethod};
use crate::domain::payment::Payer;
use crate::domain::text::{parse_email, parse_phone, too_long};
use crate::domain::{ErrorKind, FieldError, Rule, Timestamp};

/// A postal address.
#[derive(Clone, Debug, Default)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
}

/// The payer's details as typed.
#[derive(Clone, Debug, Default)]
pub struct PayerForm {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<Address>,
}

/// The instrument as typed. Card fields are never stored or logged.
#[derive(Clone)]
pub enum InstrumentForm {
    Card { number: String, expiry: String, cvv: String },
    MobileMoney { phone: String },
    Installments { months: i64, phone: String },
}

impl std::fmt::Debug for InstrumentForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstrumentForm::Card { .. } => f.write_str("Card(redacted)"),
            InstrumentForm::MobileMoney { phone } => write!(f, "MobileMoney({phone})"),
            InstrumentForm::Installments { months, phone } => write!(f, "Installments({months}, {phone})"),
        }
    }
}

/// One payment attempt as submitted from the page.
#[derive(Clone, Debug)]
pub struct PayRequest {
    pub method_id: i64,
    pub instrument: InstrumentForm,
    pub payer: PayerForm,
    /// The client's address, for the card-testing guard.
    pub client: Option<std::net::IpAddr>,
}

/// The installment plans Paylink offers and the page shows (months); a provider may decline some.
pub const PLANS: [i64; 3] = [3, 4, 6];

fn invalid(field: &str, msg: &str) -> ServiceError {
    ServiceError::field(field, ErrorKind::Invalid, msg)
}

/// The allowed method the request names.
pub fn method(allowed: &[PaymentMethod], id: i64) -> Result<&PaymentMethod> {
    allowed.iter().find(|m| m.id == id).ok_or_else(|| invalid("method_id", "is not a payment method of this link"))
}

/// The instrument, checked against the method's kind. Card forms are accepted for the sandbox
/// connector only: production card connectors collect card data on the provider's own fields.
pub fn instrument(m: &PaymentMethod, form: InstrumentForm, now: Timestamp) -> Result<Instrument> {
    match (m.kind, form) {
        (MethodKind::Card, InstrumentForm::Card { number, expiry, cvv }) if m.connector == "sandbox" => {
            let form = CardForm { number: &number, expiry: &expiry, cvv: &cvv };
            CardDetails::parse(&form, now).map(Instrument::Card).map_err(ServiceError::Invalid)
        }
        (MethodKind::MobileMoney, InstrumentForm::MobileMoney { phone }) => Ok(Instrument::MobileMoney {
            phone: parse_phone(phone.trim())
                .ok_or_else(|| ServiceError::field("mobile_phone", ErrorKind::Phone, "must be E.164, e.g. +9665…"))?,
        }),
        (MethodKind::Installments, InstrumentForm::Installments { months, .. }) if !PLANS.contains(&months) => {
            Err(invalid("installments", "must be 3, 4 or 6 months"))
        }
        (MethodKind::Installments, InstrumentForm::Installments { months, phone }) => Ok(Instrument::Installments {
            months,
            phone: parse_phone(phone.trim()).ok_or_else(|| {
                ServiceError::field("installments_phone", ErrorKind::Phone, "must be E.164, e.g. +9665…")
            })?,
        }),
        _ => Err(invalid("method_id", "cannot be paid with these details")),
    }
}

/// The payer's details; `address` is required when the link asks for it.
pub fn payer(form: PayerForm, address_required: bool) -> Result<Payer> {
    let mut errors = Vec::new();
    let clean = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let name = clean(form.name);
    if name.as_deref().is_some_and(|n| too_long(n, 200)) {
        errors.push(
            FieldError::new("name", ErrorKind::Invalid, "must be at most 200 characters").with_rule(Rule::TooLong),
        );
    }
    let email = clean(form.email);
    if email.as_deref().is_some_and(|e| parse_email(e).is_none()) {
        errors.push(FieldError::new("email", ErrorKind::Email, "is not an e-mail address").with_rule(Rule::NotAnEmail));
    }
    let phone = clean(form.phone);
    if phone.as_deref().is_some_and(|p| parse_phone(p).is_none()) {
        errors
            .push(FieldError::new("phone", ErrorKind::Phone, "must be E.164, e.g. +9665…").with_rule(Rule::NotAPhone));
    }
    let address = address(form.address, address_required, &mut errors);
    if errors.is_empty() { Ok(Payer { name, email, phone, address }) } else { Err(ServiceError::Invalid(errors)) }
}

fn address(a: Option<Address>, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    let a = a.filter(|a| !(a.line1.trim().is_empty() && a.city.trim().is_empty() && a.country.trim().is_empty()));
    let Some(a) = a else {
        if required {
            let e = FieldError::new("address_line1", ErrorKind::Invalid, "is required for this payment");
            errors.push(e.with_rule(Rule::Required));
        }
        return None;
    };
    for (field, value) in [("address_line1", &a.line1), ("address_city", &a.city), ("address_country", &a.country)] {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, ErrorKind::Invalid, "is required").with_rule(Rule::Required));
        }
    }
    let all = [Some(&a.line1), a.line2.as_ref(), Some(&a.city), a.region.as_ref(), a.postal_code.as_ref()];
    if all.into_iter().flatten().any(|v| too_long(v, 200)) || too_long(&a.country, 60) {
        let e = FieldError::new("address_line1", ErrorKind::Invalid, "address fields are too long");
        errors.push(e.with_rule(Rule::TooLong));
    }
    let opt = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let json = serde_json::json!({
        "line1": a.line1.trim(), "line2": opt(&a.line2), "city": a.city.trim(),
        "region": opt(&a.region), "postal_code": opt(&a.postal_code), "country": a.country.trim(),
    });
    Some(json.to_string())
}
