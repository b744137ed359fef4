//! `POST /dashboard/developers/keys/{id}/revoke`: revokes through `service::admin::api::revoke`,
//! the API's function (it audits, refuses an ADMIN over an owner's key, and answers 404 for a
//! key of another store, merchant or environment), then back to the list with a notice.

use crate::service::Ctx;
use crate::service::admin::api as admin;
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

/// `POST /dashboard/developers/keys/{id}/revoke`.
/// The form carries only its token, which the form guard has checked.
pub async fn submit(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>) -> Response {
    match admin::revoke(&ctx, &staff.actor, id).await {
        Ok(_) => Redirect::to("/dashboard/developers?done=revoked").into_response(),
        Err(e) => error::page(e, staff.t),
    }
}
