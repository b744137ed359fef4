//! `POST /dashboard/refunds/{id}/decide`: approve or reject through `service::refunds::decide`,
//! which refuses the requester (maker–checker), a role or branch out of reach and an amount
//! above a supervisor's limit (403), and a refund already decided (409).

use super::texts::RefundTexts;
use crate::domain::refund::RefundStatus;
use crate::service::Ctx;
use crate::service::refunds::decide;
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// The decision form.
#[derive(serde::Deserialize, Default)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

/// `POST /dashboard/refunds/{id}/decide`.
pub async fn submit(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<DecideForm>, FormRejection>,
) -> Response {
    // A body that is not a form carries no token either: refused like a forged one.
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let approve = match f.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            let rt = RefundTexts::of(staff.session.user.language);
            return error::message(staff.t, StatusCode::BAD_REQUEST, staff.t.e_invalid, rt.e_decision.into(), None);
        }
    };
    let note = Some(f.note.trim().to_owned()).filter(|n| !n.is_empty());
    match decide(&ctx, &staff.actor, &id, approve, note).await {
        Ok(r) => Redirect::to(&format!("/dashboard/refunds/{}?done={}", r.id, done(r.status))).into_response(),
        Err(e) => error::page(e, staff.t),
    }
}

/// The notice a decision leads to.
fn done(status: RefundStatus) -> &'static str {
    match status {
        RefundStatus::Rejected => "rejected",
        RefundStatus::Failed => "failed",
        _ => "approved",
    }
}
