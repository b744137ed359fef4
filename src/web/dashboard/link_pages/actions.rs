//! The link's actions, each a form post checked for its token first, then one service call (the
//! API's): send it again (`notify_link`), cancel it, record a payment taken at the branch. Each
//! answers 303 back to the page it came from with a notice; refusals are the service's 403 / 404
//! / 409 pages.

use crate::service::notify::{self, NotifyInput};
use crate::service::offline::{self, OfflinePayment};
use crate::service::{Ctx, ServiceError, links};
use crate::web::dashboard::auth::{self, Staff};
use crate::web::dashboard::error;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

/// A posted action: every field text, so a tampered form is a 400 or 403 page, never a 500.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    csrf: String,
    /// `sms` or `email` (send again).
    channel: String,
    /// `counter` to go back to the counter view, else the detail page.
    back: String,
    /// Record a payment: `cash` or `card_terminal`, the amount taken and the receipt.
    method: String,
    amount: String,
    terminal_id: String,
    receipt_number: String,
    note: String,
}

/// The form, or the page for a malformed body (400) or a missing or forged token (403).
fn checked(
    ctx: &Ctx,
    staff: &Staff,
    posted: Result<Form<ActionForm>, FormRejection>,
) -> Result<ActionForm, Box<Response>> {
    let Ok(Form(f)) = posted else {
        let bad = ServiceError::field("form", crate::domain::ErrorKind::Invalid, "is not a valid form");
        return Err(Box::new(error::page(bad, staff.t)));
    };
    if !auth::csrf_ok(ctx, &staff.session, &f.csrf) {
        return Err(Box::new(error::forged(staff.t)));
    }
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
    let f = match checked(&ctx, &staff, posted) {
        Ok(f) => f,
        Err(page) => return *page,
    };
    let input = NotifyInput { channel: some(&f.channel), to: None };
    match notify::notify_link(&ctx, &staff.actor, &id, input).await {
        Ok(_) => back(&id, &f.back, "sent"),
        Err(e) => error::page(e, staff.t),
    }
}

/// `POST /dashboard/links/{id}/cancel`.
pub async fn cancel(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    posted: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let f = match checked(&ctx, &staff, posted) {
        Ok(f) => f,
        Err(page) => return *page,
    };
    match links::cancel_link(&ctx, &staff.actor, &id).await {
        Ok(_) => back(&id, &f.back, "cancelled"),
        Err(e) => error::page(e, staff.t),
    }
}

/// `POST /dashboard/links/{id}/payments`: a payment taken at the branch (cash or card terminal).
pub async fn record_payment(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    posted: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let f = match checked(&ctx, &staff, posted) {
        Ok(f) => f,
        Err(page) => return *page,
    };
    let input = OfflinePayment {
        method: f.method.trim().to_owned(),
        amount: some(&f.amount),
        terminal_id: some(&f.terminal_id),
        receipt_number: some(&f.receipt_number),
        note: some(&f.note),
    };
    match offline::record_payment(&ctx, &staff.actor, &id, input).await {
        Ok(_) => back(&id, &f.back, "recorded"),
        Err(e) => error::page(e, staff.t),
    }
}
