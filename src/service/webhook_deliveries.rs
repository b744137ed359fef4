//! One webhook endpoint's delivery log (OWNER and ADMIN), read by the API
//! (`GET /v1/webhook_endpoints/{id}/deliveries`) and the dashboard alike: the endpoint must be
//! the actor's (store and environment), or the answer is 404.

use super::webhooks::get_endpoint;
use super::{Ctx, Result, ServiceError, list_params};
use crate::domain::access::Actor;
use crate::domain::{ErrorKind, FieldError};
use crate::store::delivery_log::DeliveryRecord;
use crate::store::endpoint_deliveries::{self, Query};
use crate::store::keyset::Page;

/// The delivery statuses a list may be narrowed to.
pub const STATUSES: [&str; 3] = ["pending", "delivered", "failed"];

/// List parameters as received (the query string).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryListInput {
    /// Only deliveries in this state: `pending`, `delivered` or `failed`.
    pub status: Option<String>,
    /// Deliveries first scheduled at or after (RFC 3339 or YYYY-MM-DD).
    pub created_from: Option<String>,
    /// Deliveries first scheduled before (RFC 3339 or YYYY-MM-DD).
    pub created_to: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<i64>,
    /// Cursor: the `event_id` of the previous page's last delivery.
    pub starting_after: Option<String>,
}

/// The endpoint's deliveries, newest first, without their attempts.
pub async fn list_deliveries(
    ctx: &Ctx,
    actor: &Actor,
    endpoint_id: &str,
    i: DeliveryListInput,
) -> Result<Page<DeliveryRecord>> {
    let endpoint = get_endpoint(ctx, actor, endpoint_id).await?;
    let query = check(endpoint.id.as_str(), i)?;
    ctx.db
        .read(move |c| {
            endpoint_deliveries::list(c, &query)?.ok_or_else(|| {
                ServiceError::field("starting_after", ErrorKind::Invalid, "is not a delivery in this list")
            })
        })
        .await
}

fn check(endpoint_id: &str, i: DeliveryListInput) -> Result<Query> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, msg: &str| errors.push(FieldError::new(field, ErrorKind::Invalid, msg));
    let (created_from, created_to) =
        list_params::created_range(i.created_from.as_deref(), i.created_to.as_deref(), &mut bad);
    let limit = list_params::limit(i.limit, &mut bad);
    let status = i.status.filter(|s| !s.is_empty());
    if status.as_deref().is_some_and(|s| !STATUSES.contains(&s)) {
        bad("status", "must be pending, delivered or failed");
    }
    if i.starting_after
        .as_deref()
        .is_some_and(|s| s.len() > 64 || s.chars().any(|c| !c.is_ascii_alphanumeric() && c != '_'))
    {
        bad("starting_after", "is not an event id");
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let endpoint_id = endpoint_id.to_owned();
    Ok(Query { endpoint_id, status, created_from, created_to, limit, starting_after: i.starting_after })
}

/// The endpoint's delivery of one event, with every attempt; 404 outside the actor's store and
/// environment, or when the event was never scheduled for this endpoint.
pub async fn get_delivery(ctx: &Ctx, actor: &Actor, endpoint_id: &str, event_id: &str) -> Result<DeliveryRecord> {
    let endpoint = get_endpoint(ctx, actor, endpoint_id).await?;
    let (endpoint, event) = (endpoint.id.as_str().to_owned(), event_id.to_owned());
    ctx.db.read(move |c| endpoint_deliveries::one(c, &endpoint, &event)?.ok_or(ServiceError::NotFound)).await
}
