//! `GET /receipts/{payment_id}`: the printable receipt of a succeeded payment, labelled in both
//! languages (the page's first, the other beneath) so either party can read a printed copy.

use super::error::{OrPage, PageError};
use super::i18n::{Texts, texts};
use super::page::{Brand, Frame, Page, Row};
use super::{PageLang, see_other};
use crate::domain::Environment;
use crate::domain::format::{format_amount, format_datetime, format_number};
use crate::domain::link::Language;
use crate::domain::payment::Payment;
use crate::service::Ctx;
use crate::service::pay::{self, PaymentView};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "pay/receipt.html")]
struct ReceiptPage {
    page: Frame,
    t: &'static Texts,
    alt_lang: &'static str,
    alt_heading: &'static str,
    amount: String,
    rows: Vec<Row>,
    next: Option<String>,
}

/// `GET /receipts/{payment_id}`; a payment that has not succeeded goes to its state page.
pub async fn show_receipt(
    State(ctx): State<Ctx>,
    Path(payment_id): Path<String>,
    PageLang(lang): PageLang,
) -> Result<Response, PageError> {
    let view = pay::payment_view(&ctx, &payment_id).await.or_page(lang.unwrap_or(Language::Ar))?;
    let lang = lang.unwrap_or(view.link.language);
    let p = &view.payment;
    if !p.is_paid() {
        return Ok(see_other(&format!("/pay/{}/payments/{}?lang={}", p.link_id, p.id, lang.as_str())));
    }
    let (t, other) = (texts(lang), texts(other_language(lang)));
    let mut page = Frame::new(t, format!("{} · {}", t.receipt_title, view.store_name));
    (page.brand, page.sandbox) =
        (Some(Brand::of_store(&view.store_name, view.logo.as_ref())), p.environment == Environment::Sandbox);
    let receipt = ReceiptPage {
        page,
        t,
        alt_lang: other.lang,
        alt_heading: other.receipt_title,
        amount: format_amount(p.amount, lang),
        rows: rows(&view, lang, Some(other_language(lang))),
        next: pay::success_redirect(&ctx, &view.link, p).await,
    };
    Ok(Page::render(StatusCode::OK, &receipt).into_response())
}

fn other_language(lang: Language) -> Language {
    match lang {
        Language::Ar => Language::En,
        Language::En => Language::Ar,
    }
}

/// The facts of a paid payment (the amount is shown above them); with `alt`, every label carries
/// its translation too.
pub fn rows(view: &PaymentView, lang: Language, alt: Option<Language>) -> Vec<Row> {
    let (p, t) = (&view.payment, texts(lang));
    let a = alt.map(texts);
    let label = |pick: fn(&Texts) -> &'static str| (pick(t), a.map_or("", pick));
    let row = |(label, alt): (&'static str, &'static str), value: String, ltr: bool| Row { label, alt, value, ltr };
    let mut rows = vec![
        row(label(|t| t.merchant), view.store_name.clone(), false),
        row(label(|t| t.paid_for), view.link.title.clone(), false),
    ];
    if let Some(reference) = &view.link.reference_id {
        rows.push(row(label(|t| t.reference), reference.clone(), true));
    }
    rows.push(row(label(|t| t.date), format_datetime(p.completed_at.unwrap_or(p.updated_at), lang), false));
    rows.push(row(label(|t| t.method), method_text(p, lang), false));
    if let Some(card) = &p.card {
        rows.push(row(label(|t| t.card), format!("{} •••• {}", brand_name(&card.brand), card.last4), true));
    }
    rows.push(row(label(|t| t.payment_id), p.id.to_string(), true));
    rows.push(row(label(|t| t.status), t.status_paid.to_owned(), false));
    rows
}

/// "Installments · 3 months", or the kind's name.
fn method_text(p: &Payment, lang: Language) -> String {
    let t = texts(lang);
    match p.installments {
        Some(months) => format!("{} · {} {}", t.method_kind(p.method), format_number(months, lang), t.months),
        None => t.method_kind(p.method).to_owned(),
    }
}

fn brand_name(brand: &str) -> &str {
    match brand {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        "unionpay" => "UnionPay",
        other => other,
    }
}
