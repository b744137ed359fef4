//! Money: `i64` minor units plus an ISO 4217 currency. Decimal text exists only at the edges and is
//! converted exactly by the currency's exponent; there is no floating point anywhere.

use crate::domain::{ErrorKind, FieldError, Rule};
use std::fmt;

/// An ISO 4217 currency Paylink accepts, with its number of minor-unit digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    exponent: u8,
}

/// The supported currencies. Policies are data: add a row to support a currency.
const CURRENCIES: &[(&str, u8)] = &[
    ("SAR", 2),
    ("AED", 2),
    ("KWD", 3),
    ("BHD", 3),
    ("OMR", 3),
    ("QAR", 2),
    ("JOD", 3),
    ("EGP", 2),
    ("ETB", 2),
    ("USD", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("JPY", 0),
];

impl Currency {
    /// Looks a currency up by its code, case-insensitively.
    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        CURRENCIES
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|&(code, exponent)| Currency { code, exponent })
            .ok_or(MoneyError::UnknownCurrency)
    }

    /// The three-letter code, upper case.
    pub fn code(self) -> &'static str {
        self.code
    }

    /// How many decimal digits the minor unit has (SAR 2, KWD 3, JPY 0).
    pub fn exponent(self) -> u8 {
        self.exponent
    }

    /// Every supported currency, for documentation and tests.
    pub fn all() -> impl Iterator<Item = Currency> {
        CURRENCIES.iter().map(|&(code, exponent)| Currency { code, exponent })
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// Why an amount or currency was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("is not a decimal number")]
    NotANumber,
    #[error("has more decimal places than the currency allows ({0})")]
    TooManyDecimals(u8),
    #[error("must be greater than zero")]
    NotPositive,
    #[error("exceeds the maximum allowed amount")]
    TooLarge,
    #[error("is not a supported ISO 4217 currency")]
    UnknownCurrency,
}

impl MoneyError {
    /// The rule this error breaks.
    pub fn rule(&self) -> Rule {
        match self {
            MoneyError::NotANumber => Rule::NotANumber,
            MoneyError::TooManyDecimals(_) => Rule::TooManyDecimals,
            MoneyError::NotPositive => Rule::NotPositive,
            MoneyError::TooLarge => Rule::AboveMaximum,
            MoneyError::UnknownCurrency => Rule::UnknownValue,
        }
    }

    /// This error as `field`'s; with the `currency` the amount was read in, the decimals message
    /// names it (`has more decimal places than SAR allows (2)`).
    pub fn on_field(&self, field: &str, currency: Option<Currency>) -> FieldError {
        let message = match (self, currency) {
            (MoneyError::TooManyDecimals(n), Some(c)) => format!("has more decimal places than {c} allows ({n})"),
            (other, _) => other.to_string(),
        };
        let kind = if *self == MoneyError::UnknownCurrency { ErrorKind::Currency } else { ErrorKind::Amount };
        FieldError::new(field, kind, message).with_rule(self.rule())
    }
}

/// An amount of money: minor units and a currency. A `Money` that exists is positive and within
/// the bound it was parsed against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// Parses a JSON number's or string's text exactly: `"299.99"`, `299.99`, `1e2`, `"5"`.
    /// `max_major` bounds the amount in major units (the operator's configured maximum).
    pub fn parse(text: &str, currency: Currency, max_major: i64) -> Result<Money, MoneyError> {
        let minor = parse_minor(text, currency.exponent)?;
        if minor <= 0 {
            return Err(MoneyError::NotPositive);
        }
        let max_minor = (max_major as i128) * 10i128.pow(currency.exponent as u32);
        if minor > max_minor {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money { minor: minor as i64, currency })
    }

    /// Rebuilds a stored amount (already validated when it was written).
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// The amount in minor units.
    pub fn minor(self) -> i64 {
        self.minor
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Renders the amount with exactly `decimals` digits after the point (at least the
    /// currency's exponent is meaningful; more digits are zeros): `299.99`, `299.99000`.
    pub fn to_decimal(self, decimals: u8) -> String {
        let exp = self.currency.exponent as u32;
        let scale = 10u64.pow(exp);
        // A net figure can be negative (more refunded than collected): sign, then the magnitude.
        let sign = if self.minor < 0 { "-" } else { "" };
        let (int, frac) = (self.minor.unsigned_abs() / scale, self.minor.unsigned_abs() % scale);
        if decimals == 0 {
            return format!("{sign}{int}");
        }
        let mut frac_text = if exp == 0 { String::new() } else { format!("{:0width$}", frac, width = exp as usize) };
        while frac_text.len() < decimals as usize {
            frac_text.push('0');
        }
        frac_text.truncate(decimals as usize);
        format!("{sign}{int}.{frac_text}")
    }

    /// The canonical decimal text: exactly the currency's exponent digits (`10.50`, `7`, `1.250`).
    pub fn to_canonical(self) -> String {
        self.to_decimal(self.currency.exponent)
    }
}

/// Exact decimal-to-minor conversion, with optional JSON exponent (`1.5e2`). Works in i128 so
/// that overflow is detected instead of wrapped; anything beyond i64 is `TooLarge`.
fn parse_minor(text: &str, exponent: u8) -> Result<i128, MoneyError> {
    let text = text.trim();
    let (mantissa, exp10) = split_exponent(text)?;
    let (negative, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty()) || !all_digits(int_part) || !all_digits(frac_part) {
        return Err(MoneyError::NotANumber);
    }
    // Value = digits(int ++ frac) * 10^(exp10 - len(frac)); in minor units add `exponent`.
    let combined = format!("{int_part}{frac_part}");
    let shift = exp10 + exponent as i64 - frac_part.len() as i64;
    let significant = combined.trim_start_matches('0');
    if significant.is_empty() {
        return Ok(0);
    }
    let trailing_zeros = significant.len() - significant.trim_end_matches('0').len();
    if shift < -(trailing_zeros as i64) {
        return Err(MoneyError::TooManyDecimals(exponent));
    }
    if significant.len() as i64 + shift > 19 {
        return if negative { Err(MoneyError::NotPositive) } else { Err(MoneyError::TooLarge) };
    }
    let mut value: i128 = significant.parse().map_err(|_| MoneyError::NotANumber)?;
    if shift >= 0 {
        value *= 10i128.pow(shift as u32);
    } else {
        value /= 10i128.pow((-shift) as u32);
    }
    if value > i64::MAX as i128 {
        return Err(MoneyError::TooLarge);
    }
    Ok(if negative { -value } else { value })
}

fn split_exponent(text: &str) -> Result<(&str, i64), MoneyError> {
    match text.find(['e', 'E']) {
        None => Ok((text, 0)),
        Some(at) => {
            let exp_text = &text[at + 1..];
            let exp: i64 = exp_text.parse().map_err(|_| MoneyError::NotANumber)?;
            if exp.abs() > 400 {
                return Err(if exp > 0 { MoneyError::TooLarge } else { MoneyError::TooManyDecimals(0) });
            }
            Ok((&text[..at], exp))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sar() -> Currency {
        Currency::parse("SAR").unwrap()
    }

    #[test]
    fn decimal_text_becomes_exact_minor_units() {
        let cases = [("299.99", 29999), ("5", 500), ("0.01", 1), ("1e2", 10000), ("1.5E1", 1500), ("10.50", 1050)];
        for (text, minor) in cases {
            assert_eq!(Money::parse(text, sar(), 1_000_000).unwrap().minor(), minor, "{text}");
        }
    }

    #[test]
    fn a_negative_figure_renders_its_sign_once() {
        let (jpy, kwd) = (Currency::parse("JPY").unwrap(), Currency::parse("KWD").unwrap());
        assert_eq!(Money::from_minor(-150, sar()).to_canonical(), "-1.50");
        assert_eq!(Money::from_minor(-5, sar()).to_canonical(), "-0.05");
        assert_eq!(Money::from_minor(-7, jpy).to_canonical(), "-7");
        assert_eq!(Money::from_minor(1250, kwd).to_canonical(), "1.250");
    }

    #[test]
    fn amounts_finer_than_the_currency_are_refused() {
        let jpy = Currency::parse("JPY").unwrap();
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money::parse("1.001", sar(), 1000), Err(MoneyError::TooManyDecimals(2)));
        assert_eq!(Money::parse("1.5", jpy, 1000), Err(MoneyError::TooManyDecimals(0)));
        assert_eq!(Money::parse("1.0001", kwd, 1000), Err(MoneyError::TooManyDecimals(3)));
        assert_eq!(Money::parse("1.100", sar(), 1000).unwrap().minor(), 110);
        assert_eq!(Money::parse("1.250", kwd, 1000).unwrap().minor(), 1250);
    }

    #[test]
    fn zero_negative_huge_and_garbage_are_refused() {
        assert_eq!(Money::parse("0", sar(), 1000), Err(MoneyError::NotPositive));
        assert_eq!(Money::parse("-5", sar(), 1000), Err(MoneyError::NotPositive));
        assert_eq!(Money::parse("1e309", sar(), 1000), Err(MoneyError::TooLarge));
        assert_eq!(Money::parse("99999999999999999999999", sar(), 1000), Err(MoneyError::TooLarge));
        assert_eq!(Money::parse("1001", sar(), 1000), Err(MoneyError::TooLarge));
        for bad in ["abc", "", "1.2.3", "NaN", "Infinity", "0x10", "1,5", ".", "1e", "--1"] {
            assert_eq!(Money::parse(bad, sar(), 1000), Err(MoneyError::NotANumber), "{bad}");
        }
    }

    #[test]
    fn rendering_uses_the_currency_exponent_or_more() {
        let m = Money::parse("299.99", sar(), 1000).unwrap();
        assert_eq!(m.to_canonical(), "299.99");
        assert_eq!(m.to_decimal(5), "299.99000");
        let jpy = Money::parse("1500", Currency::parse("jpy").unwrap(), 100_000).unwrap();
        assert_eq!(jpy.to_canonical(), "1500");
        assert_eq!(jpy.to_decimal(2), "1500.00");
    }

    proptest::proptest! {
        #[test]
        fn parse_then_render_is_the_identity(minor in 1i64..=1_000_000_000_000, idx in 0usize..13) {
            let currency = Currency::all().nth(idx).unwrap();
            let money = Money::from_minor(minor, currency);
            let text = money.to_canonical();
            let back = Money::parse(&text, currency, i64::MAX / 10_000).unwrap();
            proptest::prop_assert_eq!(back, money);
        }
    }
}
