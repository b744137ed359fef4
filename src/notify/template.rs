//! The texts of notifications: one askama template per kind, channel and language under
//! `templates/notify/{ar,en}/`. E-mail templates give the subject on their first line and the
//! body after it. Amounts and dates are written as the payment page writes them.

use crate::domain::Timestamp;
use crate::domain::format::{format_amount, format_datetime};
use crate::domain::link::{Language, Link};
use crate::domain::notification::{Channel, Kind};
use crate::domain::payment::Payment;
use askama::Template;

/// What a template may show, formatted for its language.
pub struct View {
    pub store: String,
    pub title: String,
    pub amount: String,
    /// The short URL of the link (`{public_url}/l/{code}`).
    pub url: String,
    pub expires: Option<String>,
    pub first_name: Option<String>,
    pub reference: Option<String>,
    /// Receipts: the payment id, when it was paid, and the printable receipt's URL.
    pub payment_id: String,
    pub paid_at: String,
    pub receipt_url: String,
}

impl View {
    /// The facts of a link (and, for a receipt, of its payment) in the link's language.
    pub fn new(store: &str, link: &Link, payment: Option<&Payment>, base: &str) -> View {
        let lang = link.language;
        let paid_at = payment.map(|p| p.completed_at.unwrap_or(p.updated_at));
        View {
            store: one_line(store),
            title: one_line(&link.title),
            amount: format_amount(payment.map_or(link.amount, |p| p.amount), lang),
            url: format!("{base}/l/{}", link.short_code),
            expires: link.expires_at.map(|at| format_datetime(at, lang)),
            first_name: link.customer.first_name.clone(),
            reference: link.reference_id.clone(),
            payment_id: payment.map(|p| p.id.to_string()).unwrap_or_default(),
            paid_at: paid_at.map(|at: Timestamp| format_datetime(at, lang)).unwrap_or_default(),
            receipt_url: payment.map(|p| format!("{base}/receipts/{}", p.id)).unwrap_or_default(),
        }
    }
}

/// The text with control characters (line breaks) as spaces: an e-mail's subject is its first
/// line, and a name must not start another.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A rendered message: the subject (e-mail) and the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: Option<String>,
    pub body: String,
}

macro_rules! templates {
    ($($name:ident => $path:literal,)*) => {
        $(
            #[derive(Template)]
            #[template(path = $path)]
            struct $name<'a> {
                v: &'a View,
            }
        )*
    };
}

templates! {
    LinkSmsEn => "notify/en/link_sms.txt",
    LinkSmsAr => "notify/ar/link_sms.txt",
    LinkEmailEn => "notify/en/link_email.txt",
    LinkEmailAr => "notify/ar/link_email.txt",
    ReceiptSmsEn => "notify/en/receipt_sms.txt",
    ReceiptSmsAr => "notify/ar/receipt_sms.txt",
    ReceiptEmailEn => "notify/en/receipt_email.txt",
    ReceiptEmailAr => "notify/ar/receipt_email.txt",
}

/// An e-mail rendered elsewhere (a dialect's merchant alert): its first line is the subject.
pub fn email(text: &str) -> Rendered {
    let (subject, body) = text.split_once('\n').unwrap_or((text, ""));
    Rendered { subject: Some(one_line(subject.trim())), body: tidy(body) }
}

/// Renders the message of `kind` for `channel` in `lang`.
pub fn render(kind: Kind, channel: Channel, lang: Language, v: &View) -> Result<Rendered, askama::Error> {
    use {Channel::*, Kind::*, Language::*};
    let text = match (kind, channel, lang) {
        (Link, Sms, En) => LinkSmsEn { v }.render()?,
        (Link, Sms, Ar) => LinkSmsAr { v }.render()?,
        (Link, Email, En) => LinkEmailEn { v }.render()?,
        (Link, Email, Ar) => LinkEmailAr { v }.render()?,
        (Receipt, Sms, En) => ReceiptSmsEn { v }.render()?,
        (Receipt, Sms, Ar) => ReceiptSmsAr { v }.render()?,
        (Receipt, Email, En) => ReceiptEmailEn { v }.render()?,
        (Receipt, Email, Ar) => ReceiptEmailAr { v }.render()?,
        // Merchant alerts are rendered by whoever raises them (see `email`).
        (CallbackFailed, ..) => return Err(askama::Error::Fmt),
    };
    Ok(match channel {
        Sms => Rendered { subject: None, body: tidy(&text) },
        Email => {
            let (subject, body) = text.split_once('\n').unwrap_or((&text, ""));
            Rendered { subject: Some(subject.trim().to_owned()), body: tidy(body) }
        }
    })
}

/// Trims each line's end and the text's ends, and folds runs of blank lines (left by optional
/// parts of a template) into one.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines().map(str::trim_end) {
        blank = if line.is_empty() { blank + 1 } else { 0 };
        if blank < 2 {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> View {
        View {
            store: "Acme".into(),
            title: "Order 7".into(),
            amount: "SAR 10.00".into(),
            url: "https://pay.example/l/abc".into(),
            expires: None,
            first_name: Some("Sara".into()),
            reference: None,
            payment_id: "pay_1".into(),
            paid_at: "1 Jan 2030, 10:00 UTC".into(),
            receipt_url: "https://pay.example/receipts/pay_1".into(),
        }
    }

    #[test]
    fn every_template_renders_with_the_url_or_the_receipt() {
        for kind in [Kind::Link, Kind::Receipt] {
            for channel in [Channel::Sms, Channel::Email] {
                for lang in [Language::Ar, Language::En] {
                    let r = render(kind, channel, lang, &view()).unwrap();
                    assert_eq!(r.subject.is_some(), channel == Channel::Email);
                    let wanted = if kind == Kind::Link { "https://pay.example/l/abc" } else { "pay_1" };
                    assert!(r.body.contains(wanted) && r.body.contains("Acme"), "{kind:?} {channel:?} {lang:?}");
                    assert!(!r.body.contains("\n\n\n") && !r.body.ends_with('\n'));
                }
            }
        }
    }

    #[test]
    fn blank_runs_fold_and_lines_are_trimmed() {
        assert_eq!(tidy("\n a  \n\n\n\nb \n"), "a\n\nb");
    }
}
