//! `POST /dashboard/developers/keys/{id}/revoke`: revokes through `service::admin::api::revoke`,
//! the API's function (it audits, refuses an ADMIN over an owner's key, and answers 404 for a
//! key of another store, merchant or environment), then back to the list with a notice.

use crate::service::Ctx;
use crate::service::admin::api as admin;
use crate::web::dashboard::auth::{self, Staff};
use crate::web::dashboard::error;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

/// The revoke form: its token only.
#[derive(serde::Deserialize, Default)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /dashboard/developers/keys/{id}/revoke`.
pub async fn submit(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<RevokeForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    if !auth::csrf_ok(&ctx, &staff.session, &f.csrf) {
        return error::forged(staff.t);
    }
    match admin::revoke(&ctx, &staff.actor, id).await {
        Ok(_) => Redirect::to("/dashboard/developers?done=revoked").into_response(),
        Err(e) => error::page(e, staff.t),
    }
}
