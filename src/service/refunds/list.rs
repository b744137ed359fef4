//! Listing refunds: the links' role scope, filters, newest first.

use crate::domain::access::{self, Actor};
use crate::domain::id::{LinkId, PaymentId, RefundId};
use crate::domain::refund::{Refund, RefundStatus};
use crate::domain::{ErrorKind, FieldError};
use crate::service::list_params;
use crate::service::{Ctx, Result, ServiceError};
use crate::store::keyset::Page;
use crate::store::refunds::list::{self, Query};

/// List parameters as received (the `/v1/refunds` query string).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RefundListInput {
    /// Only refunds of this payment (`pay_…`).
    pub payment_id: Option<String>,
    /// Only refunds of this link's payments (`plink_…`).
    pub payment_link_id: Option<String>,
    /// `pending_approval`, `approved`, `rejected`, `succeeded` or `failed`.
    pub status: Option<String>,
    /// Only refunds requested by this user or key (`usr_…` / `key_…`).
    pub requested_by: Option<String>,
    /// Created at or after (RFC 3339 or YYYY-MM-DD).
    pub created_from: Option<String>,
    /// Created before (RFC 3339 or YYYY-MM-DD).
    pub created_to: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<i64>,
    /// Cursor: the last id of the previous page.
    pub starting_after: Option<String>,
}

/// Lists the refunds the actor can see, newest first.
pub async fn list_refunds(ctx: &Ctx, actor: &Actor, input: RefundListInput) -> Result<Page<Refund>> {
    let query = check(actor, input)?;
    ctx.db
        .read(move |c| {
            list::run(c, &query)?.ok_or_else(|| {
                ServiceError::field("starting_after", ErrorKind::Invalid, "is not a refund in this list")
            })
        })
        .await
}

/// Lists the refunds the actor can see, newest first, skipping `offset` of them (limit/offset
/// paging, for dialects that page that way; `starting_after` is ignored): the page and the total that match.
pub async fn list_refunds_at(
    ctx: &Ctx,
    actor: &Actor,
    input: RefundListInput,
    offset: i64,
) -> Result<(Vec<Refund>, i64)> {
    let offset = list_params::offset_first(offset)?;
    let query = check(actor, RefundListInput { starting_after: None, ..input })?;
    let page = ctx.db.read(move |c| list::run_offset(c, &query, offset)).await?;
    Ok((page.items, page.total.unwrap_or(0)))
}

fn check(actor: &Actor, i: RefundListInput) -> Result<Query> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, msg: &str| errors.push(FieldError::new(field, ErrorKind::Invalid, msg));
    let status = i.status.as_deref().and_then(|s| {
        RefundStatus::parse(s).map(RefundStatus::as_str).or_else(|| {
            bad("status", "must be pending_approval, approved, rejected, succeeded or failed");
            None
        })
    });
    let payment_id = i.payment_id.filter(|p| PaymentId::parse(p).is_some() || !bad_id(&mut bad, "payment_id"));
    let link_id = i.payment_link_id.filter(|l| LinkId::parse(l).is_some() || !bad_id(&mut bad, "payment_link_id"));
    let (created_from, created_to) =
        list_params::created_range(i.created_from.as_deref(), i.created_to.as_deref(), &mut bad);
    let limit = list_params::limit(i.limit, &mut bad);
    let starting_after = i.starting_after.as_deref().and_then(|s| {
        RefundId::parse(s).or_else(|| {
            bad("starting_after", "is not a refund id");
            None
        })
    });
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(Query {
        store_id: actor.store_id.clone(),
        environment: actor.environment,
        visibility: access::visibility(actor),
        payment_id,
        link_id,
        status,
        requested_by: i.requested_by,
        created_from,
        created_to,
        limit,
        starting_after,
    })
}

/// Records a malformed id; always true (so the filter drops it).
fn bad_id(bad: &mut impl FnMut(&str, &str), field: &str) -> bool {
    bad(field, "is not an id of the right kind");
    true
}
