//! `GET /payments` (seed 003): limit / offset / status / date_from / date_to become the native
//! `ListInput`, `service::links::list::list_links` applies them in the key's role scope (a
//! SUPERVISOR or CASHIER sees its branch's payments only), newest first, and the page answers
//! `{payments, pagination: {limit, offset, total}}`.

use super::auth::BirrLinkActor;
use super::customer_view::Pagination;
use super::error::{BirrLinkError, BirrLinkResult, ErrorEnvelope, Success, success};
use super::extract::BirrLinkQuery;
use super::view::PaymentSummary;
use crate::domain::Timestamp;
use crate::domain::link::LinkStatus;
use crate::service::Ctx;
use crate::service::links::attempts::latest_attempts;
use crate::service::links::list::{ListInput, list_links};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The list's filters and page; other parameters are ignored.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Payments per page, 1–100 (default 10).
    pub limit: Option<i64>,
    /// Payments to skip (default 0).
    pub offset: Option<i64>,
    /// `pending`, `completed`, `failed` or `cancelled`.
    pub status: Option<String>,
    /// Created at or after: ISO 8601 date (`2023-10-20`, from its start, UTC) or date-time.
    pub date_from: Option<String>,
    /// Created at or before: ISO 8601 date (`2023-10-20`, to its end, UTC) or date-time.
    pub date_to: Option<String>,
}

/// A page of payments.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentPage {
    /// Newest first.
    pub payments: Vec<PaymentSummary>,
    /// Where this page sits.
    pub pagination: Pagination,
}

/// Lists the payments the key can see.
#[utoipa::path(get, path = "/payments", tag = "payments", params(ListQuery),
    responses((status = 200, body = inline(Success<PaymentPage>)), (status = 400, body = ErrorEnvelope)))]
pub async fn list_payments(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    BirrLinkQuery(q): BirrLinkQuery<ListQuery>,
) -> BirrLinkResult<Response> {
    let (limit, offset) = (q.limit.unwrap_or(10), q.offset.unwrap_or(0));
    let input = list_input(&q, limit, offset)?;
    let page = list_links(&ctx, &actor, input).await?;
    let latest_of = latest_attempts(&ctx, page.items.iter().map(|l| l.id.clone()).collect()).await?;
    let now = ctx.clock.now();
    let payments = page.items.iter().map(|l| PaymentSummary::of(l, latest_of.get(l.id.as_str()), now)).collect();
    let pagination = Pagination { limit, offset, total: page.total.unwrap_or(0) };
    Ok(success(StatusCode::OK, PaymentPage { payments, pagination }))
}

fn list_input(q: &ListQuery, limit: i64, offset: i64) -> BirrLinkResult<ListInput> {
    if !(1..=100).contains(&limit) {
        return Err(BirrLinkError::validation("limit", "must be between 1 and 100"));
    }
    if offset < 0 {
        return Err(BirrLinkError::validation("offset", "must be 0 or more"));
    }
    let (any_status, latest_attempt_failed) = match q.status.as_deref().map(str::trim) {
        None | Some("") => (Vec::new(), None),
        Some("pending") => (vec![LinkStatus::Open], Some(false)),
        Some("failed") => (vec![LinkStatus::Open], Some(true)),
        Some("completed") => (vec![LinkStatus::Paid], None),
        Some("cancelled") => (vec![LinkStatus::Cancelled, LinkStatus::Expired], None),
        Some(_) => {
            return Err(BirrLinkError::validation("status", "must be one of pending, completed, failed or cancelled"));
        }
    };
    Ok(ListInput {
        created_from: date(q.date_from.as_deref(), "date_from", false)?,
        created_to: date(q.date_to.as_deref(), "date_to", true)?,
        limit: Some(limit),
        offset: Some(offset),
        any_status,
        latest_attempt_failed,
        ..ListInput::default()
    })
}

/// An ISO 8601 date or date-time bound as the RFC 3339 text the list reads. `date_to` is
/// inclusive, to the precision BirrLink shows times in: a date to its end, a date-time to the
/// end of its second (the list's own bound is exclusive).
pub fn date(text: Option<&str>, field: &str, upper: bool) -> BirrLinkResult<Option<String>> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    let bad = || {
        BirrLinkError::validation(field, "must be an ISO 8601 date (2023-10-20) or date-time (2023-10-20T14:30:00Z)")
    };
    let (at, is_date) = match Timestamp::parse_date(text).filter(|_| text.len() == 10) {
        Some(day) => (day, true),
        None => (Timestamp::parse_iso_utc(text).ok_or_else(bad)?, false),
    };
    let bound = match (upper, is_date) {
        (false, _) => at,
        (true, true) => at.plus_secs(86_400),
        (true, false) => Timestamp::from_micros(at.micros() - at.micros().rem_euclid(1_000_000)).plus_secs(1),
    };
    Ok(Some(bound.to_rfc3339()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_bound_the_list_inclusively() {
        assert_eq!(date(Some("2023-10-20"), "date_from", false).unwrap().unwrap(), "2023-10-20T00:00:00Z");
        assert_eq!(date(Some("2023-10-20"), "date_to", true).unwrap().unwrap(), "2023-10-21T00:00:00Z");
        assert_eq!(date(Some("2023-10-20T14:30:00"), "date_to", true).unwrap().unwrap(), "2023-10-20T14:30:01Z");
        assert!(date(Some("yesterday"), "date_from", false).is_err());
    }
}
