//! The link's actions, each a form post checked for its token first, then one service call (the
//! API's): send it again (`notify_link`), cancel it, record a payment taken at the branch. Each
//! answers 303 back to the page it came from with a notice; refusals are the service's 403 / 404
//! / 409 pages.

use super::texts::LinkTexts;
use super::texts_of;
use crate::domain::{FieldError, Rule};
use crate::service::notify::{self, NotifyInput};
use crate::service::offline::{self, OfflinePayment};
use crate::service::{Conflict, Ctx, ServiceError, links};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// A posted action: every field text, so a tampered form is a 400 or 403 page, never a 500.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    /// `sms` or `email` (send again).
    channel: String,
    /// `counter` to go back to the counter view, else the detail page.
    back: String,
    /// Send again: a recipient other than the link's customer (phone for SMS, e-mail).
    to: String,
    /// Record a payment: `cash` or `card_terminal`, the amount taken and the receipt.
    method: String,
    amount: String,
    terminal_id: String,
    receipt_number: String,
    note: String,
}

/// The form, or the page for a malformed body (400). The form guard has checked its token.
fn checked(staff: &Staff, posted: Result<Form<ActionForm>, FormRejection>) -> Result<ActionForm, Box<Response>> {
    let Ok(Form(f)) = posted else {
        let bad = ServiceError::field("form", crate::domain::ErrorKind::Invalid, "is not a valid form");
        return Err(Box::new(error::page(bad, staff.t)));
    };
    Ok(f)
}

fn back(id: &str, to: &str, done: &str) -> Response {
    let page =
        if to == "counter" { format!("/dashboard/links/{id}/counter") } else { format!("/dashboard/links/{id}") };
    Redirect::to(&format!("{page}?done={done}")).into_response()
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// `POST /dashboard/links/{id}/notify`: the link by SMS or e-mail to its customer, now.
pub async fn notify(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    posted: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let f = match checked(&staff, posted) {
        Ok(f) => f,
        Err(page) => return *page,
    };
    let input = NotifyInput { channel: some(&f.channel), to: some(&f.to) };
    match notify::notify_link(&ctx, &staff.actor, &id, input).await {
        Ok(_) => back(&id, &f.back, "sent"),
        Err(e) => refusal(e, &staff, &id),
    }
}

/// `POST /dashboard/links/{id}/cancel`.
pub async fn cancel(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    posted: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let f = match checked(&staff, posted) {
        Ok(f) => f,
        Err(page) => return *page,
    };
    match links::cancel_link(&ctx, &staff.actor, &id).await {
        Ok(_) => back(&id, &f.back, "cancelled"),
        Err(e) => refusal(e, &staff, &id),
    }
}

/// `POST /dashboard/links/{id}/payments`: a payment taken at the branch (cash or card terminal).
pub async fn record_payment(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    posted: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let f = match checked(&staff, posted) {
        Ok(f) => f,
        Err(page) => return *page,
    };
    let input = OfflinePayment {
        method: f.method.trim().to_owned(),
        amount: some(&super::form::ascii_number(&f.amount)),
        terminal_id: some(&f.terminal_id),
        receipt_number: some(&f.receipt_number),
        note: some(&f.note),
    };
    match offline::record_payment(&ctx, &staff.actor, &id, input).await {
        Ok(_) => back(&id, &f.back, "recorded"),
        Err(e) => refusal(e, &staff, &id),
    }
}

#[derive(Template)]
#[template(path = "dashboard/link_pages/refused.html")]
struct RefusedPage<'a> {
    shell: Shell,
    t: &'a LinkTexts,
    heading: &'static str,
    text: &'static str,
    /// The link's page, to go back to and try again.
    back: String,
}

/// A refused action in the user's language, inside the shell with the way back to the link:
/// what to fix (400) or why it cannot be done (409). Scope and permission refusals are the
/// dashboard's 404 and 403 pages.
fn refusal(e: ServiceError, staff: &Staff, id: &str) -> Response {
    let t = texts_of(staff);
    let (status, heading, text) = match e {
        ServiceError::Invalid(list) => (StatusCode::BAD_REQUEST, t.form_errors, invalid_text(list.first(), t)),
        ServiceError::Conflict(Conflict::LinkNotOpen, _) => (StatusCode::CONFLICT, t.not_done_title, t.e_not_open),
        other => return error::page(other, staff.t),
    };
    let back = format!("/dashboard/links/{id}");
    let page = RefusedPage { shell: Shell::new(staff, heading, &back), t, heading, text, back };
    Page::render(status, &page).into_response()
}

fn invalid_text(first: Option<&FieldError>, t: &'static LinkTexts) -> &'static str {
    match (first.map(|f| f.field.as_str()), first.map(|f| f.rule)) {
        (Some("to"), _) => t.e_send_to,
        (Some("amount"), Some(Rule::Required)) => t.e_required,
        (Some("amount"), _) => t.e_amount_taken,
        (Some("terminal_id"), _) => t.e_terminal,
        (_, Some(Rule::TooLong)) => t.e_too_long,
        _ => t.e_invalid,
    }
}
