//! A payment's state page: processing and "approve on your phone" reload themselves every two
//! seconds (no script) and ask the connector each time; an OTP form; failed with "try again";
//! succeeded with a summary. Also the OTP and cancel forms it posts.

use super::error::{Kind, OrPage, PageError};
use super::form::{ActionForm, Errors};
use super::i18n::{Texts, texts};
use super::link::after_payment;
use super::page::{Brand, Field, Frame, Page, Row};
use super::receipt::rows;
use super::{PageLang, accept_form, csrf_cookie, link_href, return_origins, see_other};
use crate::domain::Environment;
use crate::domain::format::format_amount;
use crate::domain::link::Language;
use crate::domain::payment::{NextAction, PaymentStatus};
use crate::service::pay::{self, PaymentView, Return};
use crate::service::{Ctx, ServiceError};
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "pay/payment.html")]
struct PaymentPage {
    page: Frame,
    t: &'static Texts,
    link_id: String,
    payment_id: String,
    tone: &'static str,
    heading: &'static str,
    body: &'static str,
    amount: String,
    title: String,
    otp: Vec<Field>,
    rows: Vec<Row>,
    alt_lang: &'static str,
    next: Option<String>,
    next_label: &'static str,
    receipt: Option<String>,
    can_cancel: bool,
    csrf: String,
}

/// The payment of this link, or 404 (a payment id under another link's path is not found).
async fn load(ctx: &Ctx, link_id: &str, payment_id: &str, lang: Language) -> Result<PaymentView, PageError> {
    let view = pay::payment_view(ctx, payment_id).await.or_page(lang)?;
    if view.payment.link_id.as_str() != link_id {
        return Err(PageError::new(Kind::NotFound, lang));
    }
    Ok(view)
}

/// `GET /pay/{link_id}/payments/{payment_id}`.
pub async fn show_payment(
    State(ctx): State<Ctx>,
    Path((link_id, payment_id)): Path<(String, String)>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
) -> Result<Page, PageError> {
    let mut view = load(&ctx, &link_id, &payment_id, lang.unwrap_or(Language::Ar)).await?;
    let lang = lang.unwrap_or(view.link.language);
    if view.payment.status.is_unresolved() {
        view.payment = pay::refresh(&ctx, &payment_id).await.or_page(lang)?;
    }
    let success =
        if view.payment.is_paid() { pay::success_redirect(&ctx, &view.link, &view.payment).await } else { None };
    Ok(render(&ctx, &view, lang, &headers, &Errors::default(), StatusCode::OK, success))
}

fn render(
    ctx: &Ctx,
    view: &PaymentView,
    lang: Language,
    headers: &HeaderMap,
    errors: &Errors,
    status: StatusCode,
    success: Option<String>,
) -> Page {
    let (p, t) = (&view.payment, texts(lang));
    let (csrf, cookie) = csrf_cookie(ctx, headers, view.link.id.as_str());
    let (tone, heading, body) = state(view, t);
    let waiting = p.status.is_unresolved() && p.next_action != Some(NextAction::Otp);
    let mut page = Frame::new(t, format!("{heading} · {}", view.store_name));
    (page.brand, page.sandbox, page.refresh) =
        (Some(Brand::of_store(&view.store_name, view.logo.as_ref())), p.environment == Environment::Sandbox, waiting);
    let other = if lang == Language::Ar { Language::En } else { Language::Ar };
    page.switch = payment_href(view.link.id.as_str(), p.id.as_str(), other);
    let (next, next_label, receipt) = next_steps(view, lang, success);
    let page = PaymentPage {
        page,
        t,
        link_id: view.link.id.to_string(),
        payment_id: p.id.to_string(),
        tone,
        heading,
        body,
        amount: format_amount(p.amount, lang),
        title: view.link.title.clone(),
        otp: if p.next_action == Some(NextAction::Otp) && p.status.is_unresolved() {
            otp_field(t, errors)
        } else {
            Vec::new()
        },
        rows: if p.is_paid() { rows(view, lang, None) } else { Vec::new() },
        alt_lang: "",
        next,
        next_label,
        receipt,
        can_cancel: p.status == PaymentStatus::RequiresAction,
        csrf,
    };
    Page::render(status, &page).with_origins(return_origins(&view.link)).with_cookie(cookie)
}

/// The icon tone, heading and sentence of the payment's state.
fn state(view: &PaymentView, t: &'static Texts) -> (&'static str, &'static str, &'static str) {
    let p = &view.payment;
    match (p.status, p.next_action) {
        (PaymentStatus::RequiresAction, Some(NextAction::Otp)) => ("ask", t.otp_title, t.otp_body),
        (PaymentStatus::RequiresAction, _) => ("wait", t.approve_title, t.approve_body),
        (PaymentStatus::Pending, _) => ("wait", t.processing_title, t.processing_body),
        (PaymentStatus::Succeeded, _) => ("ok", t.succeeded_title, t.succeeded_body),
        (PaymentStatus::Cancelled, _) => ("off", t.cancelled_payment_title, t.cancelled_payment_body),
        (PaymentStatus::Failed, _) => {
            ("bad", t.failed_title, p.failure.as_ref().map_or(t.f_generic, |f| t.failure(&f.code)))
        }
    }
}

/// The main button (and the receipt link) for each state; `success` is where a succeeded
/// payment leads the payer back to the merchant, if anywhere.
fn next_steps(
    view: &PaymentView,
    lang: Language,
    success: Option<String>,
) -> (Option<String>, &'static str, Option<String>) {
    let (p, t) = (&view.payment, texts(lang));
    let receipt = format!("/receipts/{}?lang={}", p.id, lang.as_str());
    match p.status {
        PaymentStatus::Succeeded => match success {
            Some(url) => (Some(url), t.proceed, Some(receipt)),
            None => (Some(receipt), t.view_receipt, None),
        },
        PaymentStatus::Failed | PaymentStatus::Cancelled => {
            (Some(link_href(view.link.id.as_str(), lang)), t.try_again, None)
        }
        PaymentStatus::Pending | PaymentStatus::RequiresAction => (None, "", None),
    }
}

fn otp_field(t: &'static Texts, errors: &Errors) -> Vec<Field> {
    let base = Field::text("otp", t.otp_label);
    let field = Field {
        inputmode: "numeric",
        autocomplete: "one-time-code",
        required: true,
        ltr: true,
        max: 12,
        error: errors.get("otp"),
        ..base
    };
    vec![field]
}

/// `POST /pay/{link_id}/payments/{payment_id}/otp`.
pub async fn submit_otp(
    State(ctx): State<Ctx>,
    Path((link_id, payment_id)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Result<Response, PageError> {
    let (form, view, lang) = checked_form(&ctx, &headers, &link_id, &payment_id, form).await?;
    let submitted = match form.otp() {
        Ok(code) => pay::submit_otp(&ctx, &payment_id, code).await,
        Err(fields) => Err(ServiceError::Invalid(fields)),
    };
    match submitted {
        Ok(payment) => Ok(see_other(&after_payment(&ctx, &view.link, &payment, lang).await)),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::from_fields(texts(lang), &fields);
            Ok(render(&ctx, &view, lang, &headers, &errors, StatusCode::BAD_REQUEST, None).into_response())
        }
        Err(e) => Err(PageError::from_service(e, lang).back_to(payment_href(&link_id, &payment_id, lang))),
    }
}

/// `POST /pay/{link_id}/payments/{payment_id}/cancel` → the signed cancel URL or the link page
/// (or, if the charge went through meanwhile, wherever a success leads).
pub async fn cancel_payment(
    State(ctx): State<Ctx>,
    Path((link_id, payment_id)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Result<Response, PageError> {
    let (_, view, lang) = checked_form(&ctx, &headers, &link_id, &payment_id, form).await?;
    let payment = pay::cancel(&ctx, &payment_id).await.or_page(lang)?;
    if payment.is_paid() {
        return Ok(see_other(&after_payment(&ctx, &view.link, &payment, lang).await));
    }
    let back = pay::return_url(&ctx, &view.link, Some(&payment), Return::Cancel);
    Ok(see_other(&back.unwrap_or_else(|| link_href(&link_id, lang))))
}

/// A payment page's form, its CSRF token checked, with the payment's view and the language to
/// answer in.
async fn checked_form(
    ctx: &Ctx,
    headers: &HeaderMap,
    link_id: &str,
    payment_id: &str,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Result<(ActionForm, PaymentView, Language), PageError> {
    let (form, asked) = accept_form(ctx, headers, link_id, form)?;
    let view = load(ctx, link_id, payment_id, asked.unwrap_or(Language::Ar)).await?;
    let lang = asked.unwrap_or(view.link.language);
    Ok((form, view, lang))
}

fn payment_href(link_id: &str, payment_id: &str, lang: Language) -> String {
    format!("/pay/{link_id}/payments/{payment_id}?lang={}", lang.as_str())
}
