//! Numbers, amounts and dates as the payer reads them. Pure functions: English uses Latin digits
//! and the ISO code (`SAR 1,234.50`); Arabic uses Arabic-Indic digits, the Arabic separators and
//! the local currency symbol after the number (`١٬٢٣٤٫٥٠ ر.س`).

use super::Timestamp;
use super::link::Language;
use super::money::Money;

/// Arabic currency symbols for the currencies of the region; others keep their ISO code.
const ARABIC_SYMBOLS: &[(&str, &str)] = &[
    ("SAR", "ر.س"),
    ("AED", "د.إ"),
    ("KWD", "د.ك"),
    ("BHD", "د.ب"),
    ("OMR", "ر.ع."),
    ("QAR", "ر.ق"),
    ("JOD", "د.أ"),
    ("EGP", "ج.م"),
];

const ARABIC_MONTHS: [&str; 12] =
    ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];
const ENGLISH_MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The amount with its currency, grouped and with exactly the currency's minor digits.
pub fn format_amount(money: Money, lang: Language) -> String {
    let currency = money.currency();
    let canonical = money.to_canonical();
    let (int, frac) = canonical.split_once('.').unwrap_or((&canonical, ""));
    match lang {
        Language::En => {
            let frac = if frac.is_empty() { String::new() } else { format!(".{frac}") };
            format!("{} {}{frac}", currency.code(), group(int, ','))
        }
        Language::Ar => {
            let frac = if frac.is_empty() { String::new() } else { format!("٫{}", arabic_digits(frac)) };
            let symbol = ARABIC_SYMBOLS.iter().find(|(c, _)| *c == currency.code()).map_or(currency.code(), |s| s.1);
            format!("{}{frac} {symbol}", arabic_digits(&group(int, '٬')))
        }
    }
}

/// A whole number, grouped, in the language's digits (`5000` → `5,000` / `٥٬٠٠٠`).
pub fn format_number(n: i64, lang: Language) -> String {
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    match lang {
        Language::En => format!("{sign}{}", group(&digits, ',')),
        Language::Ar => format!("{sign}{}", arabic_digits(&group(&digits, '٬'))),
    }
}

/// A calendar day: `7 Dec 2026` / `٧ ديسمبر ٢٠٢٦`.
pub fn format_day(day: crate::domain::zone::Day, lang: Language) -> String {
    let (year, month, d) = day.parts();
    let month = (month.clamp(1, 12) - 1) as usize;
    let name = match lang {
        Language::En => ENGLISH_MONTHS[month],
        Language::Ar => ARABIC_MONTHS[month],
    };
    format!("{} {name} {}", localize_digits(&d.to_string(), lang), localize_digits(&year.to_string(), lang))
}

/// A date and time on the store's clock (`zone`), as staff read it: `21 Nov 2026, 13:05` /
/// `٢١ نوفمبر ٢٠٢٦، ١٣:٠٥` — no zone name: every time on the dashboard is the store's.
pub fn format_datetime_in(at: Timestamp, lang: Language, zone: &crate::domain::zone::Zone) -> String {
    let (day, hour, minute) = zone.local(at);
    let comma = if lang == Language::Ar { '،' } else { ',' };
    let clock = localize_digits(&format!("{hour:02}:{minute:02}"), lang);
    format!("{}{comma} {clock}", format_day(day, lang))
}

/// A date and time, UTC: `21 Nov 2026, 10:05 UTC` / `٢١ نوفمبر ٢٠٢٦، ١٠:٠٥ UTC`.
pub fn format_datetime(at: Timestamp, lang: Language) -> String {
    let dt = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.micros()) * 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let month = usize::from(u8::from(dt.month())) - 1;
    let text = match lang {
        Language::En => ENGLISH_MONTHS[month],
        Language::Ar => ARABIC_MONTHS[month],
    };
    let comma = if lang == Language::Ar { '،' } else { ',' };
    let numeric = |s: String| localize_digits(&s, lang);
    let (day, year) = (numeric(dt.day().to_string()), numeric(dt.year().to_string()));
    let clock = numeric(format!("{:02}:{:02}", dt.hour(), dt.minute()));
    format!("{day} {text} {year}{comma} {clock} UTC")
}

/// Replaces ASCII digits with the language's digits.
pub fn localize_digits(text: &str, lang: Language) -> String {
    match lang {
        Language::En => text.to_owned(),
        Language::Ar => arabic_digits(text),
    }
}

fn arabic_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x0660 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// Inserts `sep` every three digits from the right.
fn group(int: &str, sep: char) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    fn money(minor: i64, code: &str) -> Money {
        Money::from_minor(minor, Currency::parse(code).unwrap())
    }

    #[test]
    fn english_amounts_carry_the_code_grouping_and_the_currency_digits() {
        assert_eq!(format_amount(money(123_450, "SAR"), Language::En), "SAR 1,234.50");
        assert_eq!(format_amount(money(5, "SAR"), Language::En), "SAR 0.05");
        assert_eq!(format_amount(money(1_234_567, "JPY"), Language::En), "JPY 1,234,567");
        assert_eq!(format_amount(money(1_250, "KWD"), Language::En), "KWD 1.250");
        assert_eq!(format_amount(money(100_000_000, "USD"), Language::En), "USD 1,000,000.00");
    }

    #[test]
    fn arabic_amounts_use_arabic_indic_digits_separators_and_symbols() {
        assert_eq!(format_amount(money(123_450, "SAR"), Language::Ar), "١٬٢٣٤٫٥٠ ر.س");
        assert_eq!(format_amount(money(1_250, "KWD"), Language::Ar), "١٫٢٥٠ د.ك");
        assert_eq!(format_amount(money(999, "AED"), Language::Ar), "٩٫٩٩ د.إ");
        assert_eq!(format_amount(money(1_000, "JPY"), Language::Ar), "١٬٠٠٠ JPY");
        assert_eq!(format_amount(money(100, "USD"), Language::Ar), "١٫٠٠ USD");
    }

    #[test]
    fn dates_are_written_in_the_language_in_utc() {
        let at = Timestamp::parse_rfc3339("2026-11-21T10:05:00+00:00").unwrap();
        assert_eq!(format_datetime(at, Language::En), "21 Nov 2026, 10:05 UTC");
        assert_eq!(format_datetime(at, Language::Ar), "٢١ نوفمبر ٢٠٢٦، ١٠:٠٥ UTC");
    }

    #[test]
    fn whole_numbers_are_grouped_in_the_language() {
        assert_eq!(format_number(5_000, Language::En), "5,000");
        assert_eq!(format_number(5_000, Language::Ar), "٥٬٠٠٠");
        assert_eq!(format_number(3, Language::Ar), "٣");
    }

    #[test]
    fn grouping_handles_every_length() {
        let cases = [("1", "1"), ("12", "12"), ("123", "123"), ("1234", "1,234"), ("123456", "123,456")];
        for (int, grouped) in cases {
            assert_eq!(group(int, ','), grouped);
        }
    }
}
