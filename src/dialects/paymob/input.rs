//! A QuickLink request read and checked: the request's own fields (`amount_cents` as exact
//! integer cents, `is_live`, `expires_at` as naive UTC, the image) here, the link's rules (e-mail,
//! phone, URLs, lengths, reference) in `domain::link`, each failure naming the request's field.

use super::body::Fields;
use super::error::{PaymobError, sentence};
use crate::domain::Timestamp;
use crate::domain::dialect::DialectName;
use crate::domain::link::{Customer, LinkDraft};
use crate::domain::money::{Currency, Money};
use crate::service::ServiceError;
use crate::service::link_images::NewImage;
use crate::service::links::NewLink;

/// The request once its own fields are checked (the link's rules check the rest).
pub struct QuickLinkIn {
    /// `amount_cents`: minor units, above zero.
    pub cents: i64,
    /// Integration ids or names, as sent.
    pub payment_methods: Vec<String>,
    /// `is_live`: the mode the request asks for.
    pub is_live: bool,
    /// The request's currency (default: the store's).
    pub currency: Option<Currency>,
    /// `expires_at`, in the future (none: never).
    pub expires_at: Option<Timestamp>,
    /// The checked `payment_link_image`.
    pub image: Option<NewImage>,
    description: Option<String>,
    reference_id: Option<String>,
    email: Option<String>,
    full_name: Option<String>,
    phone_number: Option<String>,
    notification_url: Option<String>,
    redirection_url: Option<String>,
}

/// Every field of the request but `payment_methods` takes one value: given twice, or as a list,
/// it is refused rather than one of the values kept.
const SINGLE_VALUED: &[&str] = &[
    "amount_cents",
    "is_live",
    "currency",
    "expires_at",
    "reference_id",
    "email",
    "full_name",
    "phone_number",
    "description",
    "notification_url",
    "redirection_url",
    "payment_link_image",
];

/// Field errors found so far, as (field, sentence).
type Errors = Vec<(String, String)>;

fn fail<T>(errors: &mut Errors, field: &str, predicate: &str) -> Option<T> {
    errors.push((field.to_owned(), sentence(field, predicate)));
    None
}

impl QuickLinkIn {
    /// Reads the request's fields; every field error at once.
    pub fn read(f: &Fields, now: Timestamp) -> Result<QuickLinkIn, PaymobError> {
        let mut errors = f.repeated(SINGLE_VALUED);
        let cents = match f.text("amount_cents").map(|t| parse_cents(&t)) {
            None => fail(&mut errors, "amount_cents", "is required"),
            Some(Err(why)) => fail(&mut errors, "amount_cents", why),
            Some(Ok(c)) => Some(c),
        };
        let payment_methods = f.texts("payment_methods");
        if payment_methods.is_empty() {
            fail::<()>(&mut errors, "payment_methods", "is required");
        }
        let is_live = match f.text("is_live").map(|t| t.to_ascii_lowercase()) {
            None => fail(&mut errors, "is_live", "is required"),
            Some(t) if t == "true" || t == "false" => Some(t == "true"),
            Some(_) => fail(&mut errors, "is_live", "must be \"true\" or \"false\""),
        };
        let currency = match f.text("currency").map(|c| Currency::parse(&c)) {
            Some(Err(_)) => fail(&mut errors, "currency", "is not a supported ISO 4217 currency"),
            other => other.and_then(Result::ok),
        };
        let expires_at = read_expiry(f, now, &mut errors);
        let image = read_image(f, &mut errors)?;
        let (Some(cents), Some(is_live), true) = (cents, is_live, errors.is_empty()) else {
            return Err(PaymobError::fields(errors));
        };
        Ok(QuickLinkIn {
            cents,
            payment_methods,
            is_live,
            currency,
            expires_at,
            image,
            description: f.text("description"),
            reference_id: f.text("reference_id"),
            email: f.text("email"),
            full_name: f.text("full_name"),
            phone_number: f.text("phone_number"),
            notification_url: f.text("notification_url"),
            redirection_url: f.text("redirection_url"),
        })
    }

    /// The link to create, with the resolved method ids and the currency.
    pub fn into_new_link(self, methods: Vec<i64>, currency: Currency) -> NewLink {
        let (first_name, last_name) = split_name(self.full_name);
        let draft = LinkDraft {
            amount: Some(Money::from_minor(self.cents, currency).to_canonical()),
            currency: Some(currency.code().to_owned()),
            title: Some(title(self.description.as_deref(), self.reference_id.as_deref())),
            description: self.description,
            reference_id: self.reference_id,
            single_use: Some(true),
            expires_at: self.expires_at.map(Timestamp::to_rfc3339),
            customer: Customer { id: None, phone: self.phone_number, email: self.email, first_name, last_name },
            send_sms: Some(false),
            send_email: Some(false),
            callback_url: self.notification_url,
            success_url: self.redirection_url,
            payment_methods: Some(methods),
            ..LinkDraft::default()
        };
        NewLink { draft, dialect: Some(DialectName::of(super::NAME)), ..NewLink::default() }
    }
}

/// `expires_at`: absent, or in the future (the seed's sentence when it is not).
fn read_expiry(f: &Fields, now: Timestamp, errors: &mut Errors) -> Option<Timestamp> {
    match f.text("expires_at").map(|t| Timestamp::parse_iso_utc(&t)) {
        None => None,
        Some(None) => fail(errors, "expires_at", "must be a date-time in the format YYYY-MM-DDTHH:MM:SS"),
        Some(Some(at)) if at <= now => fail(errors, "expires_at", "can't be in the past."),
        Some(Some(at)) => Some(at),
    }
}

/// `payment_link_image`: absent, or an image the page can show.
fn read_image(f: &Fields, errors: &mut Errors) -> Result<Option<NewImage>, PaymobError> {
    let Some(bytes) = f.file("payment_link_image")? else { return Ok(None) };
    Ok(NewImage::check(bytes, "payment_link_image").map_err(|e| errors.extend(image_errors(e))).ok())
}

/// Integer cents above zero, exactly as written (digits only: never through a float).
fn parse_cents(text: &str) -> Result<i64, &'static str> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.starts_with('-') && digits[1..].bytes().all(|b| b.is_ascii_digit()) && digits.len() > 1 {
        return Err("must be greater than zero");
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("must be a whole number of cents");
    }
    match digits.parse::<i64>() {
        Ok(0) => Err("must be greater than zero"),
        Ok(n) => Ok(n),
        Err(_) => Err("exceeds the maximum allowed amount"),
    }
}

/// First name up to the first space, the rest as last name.
fn split_name(full: Option<String>) -> (Option<String>, Option<String>) {
    full.map_or((None, None), |f| Customer::split_name(&f))
}

/// The page's title: the description (its first 200 characters), else the reference, else a
/// generic word. The page shows a description equal to its title once.
fn title(description: Option<&str>, reference: Option<&str>) -> String {
    match (description, reference) {
        (Some(d), _) => d.chars().take(200).collect::<String>().trim().to_owned(),
        (None, Some(r)) => r.to_owned(),
        (None, None) => "Payment link".to_owned(),
    }
}

fn image_errors(e: ServiceError) -> Vec<(String, String)> {
    match e {
        ServiceError::Invalid(errors) => {
            errors.into_iter().map(|e| (e.field.clone(), sentence(&e.field, &e.message))).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_are_whole_positive_numbers_read_from_their_digits() {
        assert_eq!(parse_cents("5500"), Ok(5500));
        assert_eq!(parse_cents("+7"), Ok(7));
        assert_eq!(parse_cents("0"), Err("must be greater than zero"));
        assert_eq!(parse_cents("-5"), Err("must be greater than zero"));
        assert_eq!(parse_cents("55.00"), Err("must be a whole number of cents"));
        assert_eq!(parse_cents("5e3"), Err("must be a whole number of cents"));
        assert_eq!(parse_cents("99999999999999999999"), Err("exceeds the maximum allowed amount"));
    }

    #[test]
    fn expiry_is_naive_utc_unless_it_says_otherwise() {
        let at = |s| Timestamp::parse_iso_utc(s).map(Timestamp::to_rfc3339);
        assert_eq!(at("2026-07-25T18:58:57").as_deref(), Some("2026-07-25T18:58:57Z"));
        assert_eq!(at("2026-07-25 18:58:57.5").as_deref(), Some("2026-07-25T18:58:57.500000Z"));
        assert_eq!(at("2026-07-25T18:58:57+02:00").as_deref(), Some("2026-07-25T16:58:57Z"));
        assert_eq!(at("25/07/2026"), None);
    }

    #[test]
    fn full_names_split_at_the_first_space() {
        assert_eq!(split_name(Some("Ahmed Ali Hassan".into())), (Some("Ahmed".into()), Some("Ali Hassan".into())));
        assert_eq!(split_name(Some("Ahmed".into())), (Some("Ahmed".into()), None));
    }
}
