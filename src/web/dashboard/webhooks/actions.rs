//! `POST /dashboard/developers/webhooks/{id}/{enable,disable,rotate,delete}`: each through the
//! `/v1/webhook_endpoints` service function (`update_endpoint`, `rotate_secret`,
//! `delete_endpoint`), which refuses other roles (403) and answers 404 for an endpoint of another
//! store or environment. The forms carry only their token, which the form guard has checked.

use super::{secret_page, texts_of};
use crate::service::Ctx;
use crate::service::webhooks::{self, EndpointFields};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

/// Back to the list with a notice.
fn done(what: &str) -> Response {
    Redirect::to(&format!("{}?done={what}", super::BASE)).into_response()
}

async fn set_enabled(ctx: &Ctx, staff: &Staff, id: &str, enabled: bool) -> Response {
    let fields = EndpointFields { enabled: Some(enabled), ..EndpointFields::default() };
    match webhooks::update_endpoint(ctx, &staff.actor, id, fields).await {
        Ok(_) => done(if enabled { "enabled" } else { "disabled" }),
        Err(e) => error::page(e, staff.t),
    }
}

/// `POST /dashboard/developers/webhooks/{id}/enable`.
pub async fn enable(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>) -> Response {
    set_enabled(&ctx, &staff, &id, true).await
}

/// `POST /dashboard/developers/webhooks/{id}/disable`.
pub async fn disable(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>) -> Response {
    set_enabled(&ctx, &staff, &id, false).await
}

/// `POST /dashboard/developers/webhooks/{id}/rotate`: the new secret, this once; the previous one
/// signs along for the configured grace period, as through the API without a body.
pub async fn rotate(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>) -> Response {
    let ht = texts_of(&staff);
    match webhooks::rotate_secret(&ctx, &staff.actor, &id, None).await {
        Ok(r) => secret_page(&staff, ht.rotated_title, Some(ht.rotated_grace), r.endpoint, r.secret),
        Err(e) => error::page(e, staff.t),
    }
}

/// `POST /dashboard/developers/webhooks/{id}/delete`.
pub async fn delete(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>) -> Response {
    match webhooks::delete_endpoint(&ctx, &staff.actor, &id).await {
        Ok(_) => done("deleted"),
        Err(e) => error::page(e, staff.t),
    }
}
