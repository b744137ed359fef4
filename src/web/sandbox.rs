//! `GET /sandbox`: the public help page of the sandbox connector, drawn from the same tables the
//! connector decides with (`connector::sandbox::instruments`), so page and behaviour agree.

use super::PageLang;
use super::i18n::{FAILURE_CODES, Texts, texts};
use super::page::{Frame, Page};
use crate::connector::sandbox::instruments::{
    self as sandbox, INSTALLMENT_PLANS, INSTALLMENTS_MAX_MAJOR, INSTALLMENTS_MIN_MAJOR, OTP_CODE, OTP_TRIES,
    TestInstrument,
};
use crate::domain::format::format_number;
use crate::domain::link::Language;
use askama::Template;
use axum::http::StatusCode;

/// One line of a table: what to type and what happens.
struct Line {
    value: &'static str,
    outcome: &'static str,
}

#[derive(Template)]
#[template(path = "pay/sandbox.html")]
struct SandboxPage {
    page: Frame,
    t: &'static Texts,
    cards: Vec<Line>,
    numbers: Vec<Line>,
    otp_code: &'static str,
    otp_tries: String,
    plans: Vec<String>,
    min: String,
    max: String,
    failures: Vec<Line>,
}

/// `GET /sandbox` (`?lang=en|ar`).
pub async fn sandbox_help(PageLang(lang): PageLang) -> Page {
    let lang = lang.unwrap_or(Language::Ar);
    let t = texts(lang);
    let lines = |list: &[TestInstrument]| -> Vec<Line> {
        list.iter().map(|i| Line { value: i.value, outcome: if lang == Language::Ar { i.ar } else { i.en } }).collect()
    };
    let number = |n: i64| format_number(n, lang);
    let page = SandboxPage {
        page: Frame::new(t, t.sandbox_title),
        t,
        cards: lines(&sandbox::CARDS),
        numbers: lines(&sandbox::MOBILE_NUMBERS),
        otp_code: OTP_CODE,
        otp_tries: number(OTP_TRIES),
        plans: INSTALLMENT_PLANS.iter().map(|&m| number(m)).collect(),
        min: number(INSTALLMENTS_MIN_MAJOR),
        max: number(INSTALLMENTS_MAX_MAJOR),
        failures: FAILURE_CODES.iter().map(|&code| Line { value: code, outcome: t.failure(code) }).collect(),
    };
    Page::render(StatusCode::OK, &page)
}
