//! The link page: show it (by id, by its aliases, by short code), take the payment form, and let
//! the payer leave for the merchant's cancel URL.

use super::error::{OrPage, PageError};
use super::form::{ActionForm, Errors, PageForm, PayForm};
use super::i18n::texts;
use super::link_view::{Context, Prefill, link_page};
use super::page::Page;
use super::{ClientAddr, PageLang, accept_form, csrf_cookie, link_href, return_origins, see_other};
use crate::domain::link::Language;
use crate::domain::payment::{Payment, PaymentStatus};
use crate::domain::text;
use crate::service::pay::{self, PublicLink, Return};
use crate::service::{Ctx, ServiceError};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{MatchedPath, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// `GET /pay/{link_id}`.
pub async fn show_link(
    State(ctx): State<Ctx>,
    Path(link_id): Path<String>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
) -> Result<Page, PageError> {
    show(&ctx, pay::open_link(&ctx, &link_id).await, lang, &headers)
}

/// `GET /{alias}/{id}`: a page address a dialect hands out; the dialect says which link `id`
/// names (any link's own id works too).
pub async fn show_alias(
    State(ctx): State<Ctx>,
    matched: MatchedPath,
    Path(id): Path<String>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
) -> Result<Page, PageError> {
    let alias = matched.as_str().trim_start_matches('/').split('/').next().unwrap_or_default();
    let opened = match ctx.dialects.by_page_alias(alias) {
        Some(dialect) => match dialect.alias_link_id(&ctx, &id).await {
            Ok(link_id) => pay::open_link(&ctx, &link_id).await,
            Err(e) => Err(e),
        },
        None => Err(ServiceError::NotFound),
    };
    show(&ctx, opened, lang, &headers)
}

/// `GET /l/{short_code}`.
pub async fn show_link_by_code(
    State(ctx): State<Ctx>,
    Path(code): Path<String>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
) -> Result<Page, PageError> {
    show(&ctx, pay::open_link_by_code(&ctx, &code).await, lang, &headers)
}

/// The page of a link just opened, prefilled with what the merchant knows of the payer.
fn show(
    ctx: &Ctx,
    opened: crate::service::Result<PublicLink>,
    lang: Option<Language>,
    headers: &HeaderMap,
) -> Result<Page, PageError> {
    let opened = opened.or_page(lang.unwrap_or(Language::Ar))?;
    let prefill = Prefill::from_link(&opened.link);
    Ok(render(ctx, &opened, lang, headers, &prefill, &Errors::default(), StatusCode::OK))
}

/// The link page with a CSRF token for this browser (setting its cookie when it has none).
fn render(
    ctx: &Ctx,
    opened: &PublicLink,
    lang: Option<Language>,
    headers: &HeaderMap,
    prefill: &Prefill,
    errors: &Errors,
    status: StatusCode,
) -> Page {
    let link = &opened.link;
    let (csrf, cookie) = csrf_cookie(ctx, headers, link.id.as_str());
    let page_url = format!("{}/pay/{}", ctx.config.public_base(), link.id);
    let cx = Context { lang: lang.unwrap_or(link.language), csrf, page_url, prefill, errors };
    Page::render(status, &link_page(opened, &cx)).with_origins(return_origins(link)).with_cookie(cookie)
}

/// `POST /pay/{link_id}`: pay, then go where the outcome leads; field errors re-render the form.
pub async fn pay_link(
    State(ctx): State<Ctx>,
    Path(link_id): Path<String>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<PayForm>, FormRejection>,
) -> Result<Response, PageError> {
    let (form, opened, lang) = checked_form(&ctx, &headers, &link_id, form).await?;
    let outcome = match form.request(&opened.methods, client) {
        Ok(req) => pay::pay_opened(&ctx, &opened, req).await,
        Err(fields) => Err(ServiceError::Invalid(fields)),
    };
    match outcome {
        Ok(payment) => Ok(see_other(&after_payment(&ctx, &opened.link, &payment, lang).await)),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::from_fields(texts(lang), &fields);
            let prefill = refill(&form);
            Ok(render(&ctx, &opened, Some(lang), &headers, &prefill, &errors, StatusCode::BAD_REQUEST).into_response())
        }
        Err(e) => Err(PageError::from_service(e, lang).back_to(link_href(&link_id, lang))),
    }
}

/// Where a payment's page leads: the merchant's success redirect (`pay::success_redirect`) or
/// our receipt once it succeeded, its state page otherwise (waiting, OTP, failed: "try again").
pub async fn after_payment(ctx: &Ctx, link: &crate::domain::link::Link, payment: &Payment, lang: Language) -> String {
    if payment.status == PaymentStatus::Succeeded {
        pay::success_redirect(ctx, link, payment)
            .await
            .unwrap_or_else(|| format!("/receipts/{}?lang={}", payment.id, lang.as_str()))
    } else {
        format!("/pay/{}/payments/{}?lang={}", link.id, payment.id, lang.as_str())
    }
}

/// What the form shows again after an error: everything but the card number and CVV, without
/// the control characters that were refused (so a resubmit does not carry them unseen).
fn refill(form: &PayForm) -> Prefill {
    let f = form;
    let shown = |text: &String| -> String { text.chars().filter(|c| !text::is_forbidden_control(*c)).collect() };
    Prefill {
        name: shown(&f.name),
        email: shown(&f.email),
        phone: shown(&f.phone),
        address: [
            shown(&f.address_line1),
            shown(&f.address_line2),
            shown(&f.address_city),
            shown(&f.address_region),
            shown(&f.address_postal_code),
            shown(&f.address_country),
        ],
        mobile_phone: shown(&f.mobile_phone),
        installments_phone: shown(&f.installments_phone),
        card_expiry: shown(&f.card_expiry),
        method_id: f.method(),
        months: f.installments.trim().parse().ok(),
    }
}

/// `POST /pay/{link_id}/cancel`: the payer gives up before paying → the signed cancel URL, or
/// back to the link page when the link has none.
pub async fn leave_link(
    State(ctx): State<Ctx>,
    Path(link_id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Result<Response, PageError> {
    let (_, opened, lang) = checked_form(&ctx, &headers, &link_id, form).await?;
    let target = pay::return_url(&ctx, &opened.link, None, Return::Cancel).unwrap_or_else(|| link_href(&link_id, lang));
    Ok(see_other(&target))
}

/// A link page's form, its CSRF token checked, with the link opened and the language to answer in.
async fn checked_form<F: PageForm>(
    ctx: &Ctx,
    headers: &HeaderMap,
    link_id: &str,
    form: Result<Form<F>, FormRejection>,
) -> Result<(F, PublicLink, Language), PageError> {
    let (form, asked) = accept_form(ctx, headers, link_id, form)?;
    let opened = pay::open_link(ctx, link_id).await.or_page(asked.unwrap_or(Language::Ar))?;
    let lang = asked.unwrap_or(opened.link.language);
    Ok((form, opened, lang))
}
