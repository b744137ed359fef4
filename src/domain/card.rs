//! Card details as the payer typed them, checked (Luhn, expiry, CVV) and kept only for the
//! length of one connector call. `Debug` is redacted so a card can never reach a log line.

use super::{ErrorKind, FieldError, Rule, Timestamp};

/// A checked card. The number and CVV live only in this value; what is stored is [`CardDetails::brand`]
/// and [`CardDetails::last4`].
#[derive(Clone, PartialEq, Eq)]
pub struct CardDetails {
    number: String,
    cvv: String,
    pub exp_month: u8,
    pub exp_year: i32,
}

impl std::fmt::Debug for CardDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CardDetails({} •••• {})", self.brand(), self.last4())
    }
}

/// The card form's fields, unchecked.
pub struct CardForm<'a> {
    pub number: &'a str,
    /// `MM/YY`, `MM/YYYY` or `MM / YY`.
    pub expiry: &'a str,
    pub cvv: &'a str,
}

impl CardDetails {
    /// Checks the form at `now`: a Luhn-valid number of 12–19 digits (spaces and dashes
    /// allowed), an expiry this month or later, a CVV of 3 digits (4 for American Express).
    pub fn parse(form: &CardForm<'_>, now: Timestamp) -> Result<CardDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let number: String = form.number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let number_ok =
            (12..=19).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit()) && luhn(&number);
        if !number_ok {
            errors.push(FieldError::new("card_number", ErrorKind::Invalid, "is not a valid card number"));
        }
        let expiry = parse_expiry(form.expiry);
        match expiry {
            None => errors.push(FieldError::new("card_expiry", ErrorKind::Invalid, "must be MM/YY")),
            Some((year, month)) if (year, month) < now.year_month() => errors
                .push(FieldError::new("card_expiry", ErrorKind::Invalid, "is in the past").with_rule(Rule::InPast)),
            Some(_) => {}
        }
        let cvv_len = if number.starts_with("34") || number.starts_with("37") { 4 } else { 3 };
        if form.cvv.len() != cvv_len || !form.cvv.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(FieldError::new("card_cvv", ErrorKind::Invalid, format!("must be {cvv_len} digits")));
        }
        match (errors.is_empty(), expiry) {
            (true, Some((exp_year, exp_month))) => {
                Ok(CardDetails { number, cvv: form.cvv.to_owned(), exp_month, exp_year })
            }
            _ => Err(errors),
        }
    }

    /// The full number, for the one connector call that needs it.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// The CVV, for the one connector call that needs it.
    pub fn cvv(&self) -> &str {
        &self.cvv
    }

    /// The last four digits.
    pub fn last4(&self) -> &str {
        &self.number[self.number.len() - 4..]
    }

    /// The card network, from the number's prefix.
    pub fn brand(&self) -> &'static str {
        brand_of(&self.number)
    }
}

/// The card network of a number, from its leading digits.
pub fn brand_of(number: &str) -> &'static str {
    let two: u32 = number.get(..2).and_then(|p| p.parse().ok()).unwrap_or(0);
    let four: u32 = number.get(..4).and_then(|p| p.parse().ok()).unwrap_or(0);
    match (number.as_bytes().first(), two, four) {
        (Some(b'4'), _, _) => "visa",
        (_, 51..=55, _) | (_, _, 2221..=2720) => "mastercard",
        (_, 34 | 37, _) => "amex",
        (_, 62, _) => "unionpay",
        _ => "card",
    }
}

/// The Luhn checksum over a string of ASCII digits.
pub fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum % 10 == 0
}

/// `MM/YY` or `MM/YYYY` → (year, month).
fn parse_expiry(text: &str) -> Option<(i32, u8)> {
    let (m, y) = text.split_once('/')?;
    let month: u8 = m.trim().parse().ok().filter(|m| (1..=12).contains(m))?;
    let y = y.trim();
    let year: i32 = match y.len() {
        2 => 2000 + y.parse::<i32>().ok()?,
        4 => y.parse().ok()?,
        _ => return None,
    };
    Some((year, month))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::parse_rfc3339("2026-11-21T10:00:00Z").unwrap()
    }

    fn parse(number: &str, expiry: &str, cvv: &str) -> Result<CardDetails, Vec<FieldError>> {
        CardDetails::parse(&CardForm { number, expiry, cvv }, now())
    }

    #[test]
    fn a_valid_card_keeps_only_brand_and_last_four_in_its_debug_text() {
        let card = parse("4242 4242 4242 4242", "12/30", "123").unwrap();
        assert_eq!((card.brand(), card.last4()), ("visa", "4242"));
        let debug = format!("{card:?}");
        assert!(!debug.contains("42424242") && !debug.contains("123"), "{debug}");
    }

    #[test]
    fn luhn_failures_past_expiry_and_short_cvv_name_their_fields() {
        let errors = parse("4242 4242 4242 4241", "10/26", "12").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["card_number", "card_expiry", "card_cvv"]);
    }

    #[test]
    fn the_current_month_is_still_valid() {
        assert!(parse("5555555555554444", "11/26", "123").is_ok());
        assert!(parse("5555555555554444", "11/2026", "123").is_ok());
        assert!(parse("5555555555554444", "13/27", "123").is_err());
    }

    #[test]
    fn brands_follow_their_prefixes() {
        assert_eq!(brand_of("5555555555554444"), "mastercard");
        assert_eq!(brand_of("2223003122003222"), "mastercard");
        assert_eq!(brand_of("378282246310005"), "amex");
    }
}
