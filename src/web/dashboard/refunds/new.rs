//! `GET/POST /dashboard/refunds/new?payment={id}`: request a full or partial refund of a
//! succeeded payment through `service::refunds::create_refund`, the API's function. The amount
//! comes prefilled with what is left to refund and is parsed exactly by the domain's money
//! parser (never a float); a refused request comes back with the field named, never a 500.

use super::texts::RefundTexts;
use crate::domain::access::{self, Action};
use crate::domain::format::format_amount;
use crate::domain::money::Money;
use crate::domain::payment::{Payment, PaymentStatus};
use crate::domain::refund::{Refund, RefundStatus};
use crate::service::refunds::{NewRefund, create_refund};
use crate::service::{Conflict, Ctx, ServiceError, payments};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// The form's fields (and the query string's `payment`).
#[derive(serde::Deserialize, Default)]
pub struct RefundForm {
    #[serde(default)]
    payment: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

/// What went wrong, by field.
#[derive(Default)]
struct Problems {
    amount: Option<&'static str>,
    reason: Option<&'static str>,
    general: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "dashboard/refunds/new.html")]
struct NewPage<'a> {
    shell: Shell,
    rt: &'a RefundTexts,
    payment_id: String,
    paid: String,
    left: String,
    refundable: bool,
    amount: String,
    reason: String,
    problems: Problems,
}

/// `GET /dashboard/refunds/new?payment=pay_…`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, q: Result<Query<RefundForm>, QueryRejection>) -> Response {
    let payment_id = q.map(|Query(f)| f.payment).unwrap_or_default();
    let p = match load(&ctx, &staff, &payment_id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let f = RefundForm { amount: left(&p).map(Money::to_canonical).unwrap_or_default(), ..RefundForm::default() };
    let mut problems = Problems::default();
    let status = if left(&p).is_some() { StatusCode::OK } else { StatusCode::CONFLICT };
    if status == StatusCode::CONFLICT {
        problems.general = Some(RefundTexts::of(staff.session.user.language).e_not_refundable);
    }
    render(&staff, &p, f, problems, status)
}

/// `POST /dashboard/refunds/new`.
pub async fn submit(State(ctx): State<Ctx>, staff: Staff, form: Result<Form<RefundForm>, FormRejection>) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let p = match load(&ctx, &staff, &f.payment).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let rt = RefundTexts::of(staff.session.user.language);
    if f.reason.trim().is_empty() {
        let problems = Problems { reason: Some(rt.e_reason), ..Problems::default() };
        return render(&staff, &p, f, problems, StatusCode::BAD_REQUEST);
    }
    let input = NewRefund {
        payment_id: p.id.to_string(),
        amount: Some(ascii_digits(&f.amount)),
        reason: Some(f.reason.trim().to_owned()),
        metadata: None,
    };
    match create_refund(&ctx, &staff.actor, input).await {
        Ok(r) => Redirect::to(&format!("/dashboard/refunds/{}?done={}", r.id, done(&r))).into_response(),
        Err(e) => match problems(rt, &e) {
            Some((status, problems)) => render(&staff, &p, f, problems, status),
            None => error::page(e, staff.t),
        },
    }
}

/// The payment to refund, or the page for a user who may not request refunds (403) or a
/// payment they cannot see (404).
async fn load(ctx: &Ctx, staff: &Staff, payment_id: &str) -> Result<Payment, Response> {
    if !access::may(&staff.actor, Action::RequestRefund) {
        return Err(error::page(ServiceError::Forbidden("this role cannot request refunds"), staff.t));
    }
    payments::get_payment(ctx, &staff.actor, payment_id).await.map_err(|e| error::page(e, staff.t))
}

/// What is left to refund on a succeeded payment (nothing for any other).
fn left(p: &Payment) -> Option<Money> {
    let minor = p.amount.minor() - p.refund_reserved_minor;
    (p.status == PaymentStatus::Succeeded && minor > 0).then(|| Money::from_minor(minor, p.amount.currency()))
}

/// The service's refusal as the form's problems and status, when it is about the form.
fn problems(rt: &'static RefundTexts, e: &ServiceError) -> Option<(StatusCode, Problems)> {
    let mut p = Problems::default();
    let status = match e {
        ServiceError::Invalid(fields) => {
            for f in fields {
                match f.field.as_str() {
                    "amount" => p.amount = Some(rt.e_amount),
                    "reason" => p.reason = Some(rt.e_reason_long),
                    _ => return None,
                }
            }
            StatusCode::BAD_REQUEST
        }
        ServiceError::Conflict(Conflict::RefundExceedsCaptured, _) => {
            p.amount = Some(rt.e_over);
            StatusCode::CONFLICT
        }
        ServiceError::Conflict(Conflict::PaymentNotRefundable, _) => {
            p.general = Some(rt.e_not_refundable);
            StatusCode::CONFLICT
        }
        ServiceError::Forbidden(_) => {
            p.general = Some(rt.e_not_allowed);
            StatusCode::FORBIDDEN
        }
        _ => return None,
    };
    Some((status, p))
}

fn render(staff: &Staff, p: &Payment, f: RefundForm, problems: Problems, status: StatusCode) -> Response {
    let lang = staff.session.user.language;
    let rt = RefundTexts::of(lang);
    let here = format!("/dashboard/refunds/new?payment={}", p.id);
    let tpl = NewPage {
        shell: Shell::new(staff, rt.new_title, &here),
        rt,
        payment_id: p.id.to_string(),
        paid: format_amount(p.amount, lang),
        left: left(p).map(|m| format_amount(m, lang)).unwrap_or_default(),
        refundable: left(p).is_some(),
        amount: f.amount,
        reason: f.reason,
        problems,
    };
    Page::render(status, &tpl).into_response()
}

/// The notice the refund's page opens with: waiting for approval, or what the policy did.
fn done(r: &Refund) -> &'static str {
    match r.status {
        RefundStatus::PendingApproval => "requested",
        RefundStatus::Succeeded => "auto_done",
        RefundStatus::Failed => "failed",
        _ => "auto_sending",
    }
}

/// Arabic-Indic and Persian digits and the Arabic decimal point as ASCII, so an amount typed on
/// an Arabic keyboard reaches the exact parser as it was meant.
fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٫' => '.',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn arabic_digits_and_decimal_point_become_ascii() {
        assert_eq!(super::ascii_digits("١٢٫٥٠"), "12.50");
        assert_eq!(super::ascii_digits("۳۴.5"), "34.5");
    }
}
