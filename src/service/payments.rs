//! Payments as the merchant sees them: listed and read within the actor's scope (the same scope
//! as the links they pay).

use super::{Ctx, Result, ServiceError};
use crate::domain::access::{self, Actor};
use crate::domain::id::{LinkId, PaymentId};
use crate::domain::method::MethodKind;
use crate::domain::payment::{Payment, PaymentStatus};
use crate::domain::{ErrorKind, FieldError};
use crate::service::list_params;
use crate::store::keyset::Page;
use crate::store::payments::{self, list};

/// List parameters as received (the `/v1/payments` query string).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PaymentListInput {
    /// Only payments of this link (`plink_…`).
    pub payment_link_id: Option<String>,
    /// `pending`, `requires_action`, `succeeded`, `failed` or `cancelled`.
    pub status: Option<String>,
    /// `card`, `mobile_money`, `installments` or `cash`.
    pub method: Option<String>,
    /// Created at or after (RFC 3339 or YYYY-MM-DD).
    pub created_from: Option<String>,
    /// Created before (RFC 3339 or YYYY-MM-DD).
    pub created_to: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<i64>,
    /// Cursor: the last id of the previous page.
    pub starting_after: Option<String>,
}

/// Lists the payments the actor can see, newest first.
pub async fn list_payments(ctx: &Ctx, actor: &Actor, input: PaymentListInput) -> Result<Page<Payment>> {
    let query = check(actor, input)?;
    ctx.db
        .read(move |c| {
            list::run(c, &query)?.ok_or_else(|| {
                ServiceError::field("starting_after", ErrorKind::Invalid, "is not a payment in this list")
            })
        })
        .await
}

fn check(actor: &Actor, i: PaymentListInput) -> Result<list::Query> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, msg: &str| errors.push(FieldError::new(field, ErrorKind::Invalid, msg));
    let status = i.status.as_deref().and_then(|s| {
        let st = PaymentStatus::parse(s).map(PaymentStatus::as_str);
        st.or_else(|| {
            bad("status", "must be pending, requires_action, succeeded, failed or cancelled");
            None
        })
    });
    let method = i.method.as_deref().and_then(|m| {
        let kind = MethodKind::parse(m).map(MethodKind::as_str);
        kind.or_else(|| {
            bad("method", "must be card, mobile_money, installments or cash");
            None
        })
    });
    let link_id = i.payment_link_id.as_deref().and_then(|l| {
        LinkId::parse(l).map(|l| l.to_string()).or_else(|| {
            bad("payment_link_id", "is not a link id");
            None
        })
    });
    let (created_from, created_to) =
        list_params::created_range(i.created_from.as_deref(), i.created_to.as_deref(), &mut bad);
    let limit = list_params::limit(i.limit, &mut bad);
    let starting_after = i.starting_after.as_deref().and_then(|s| {
        PaymentId::parse(s).or_else(|| {
            bad("starting_after", "is not a payment id");
            None
        })
    });
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(list::Query {
        store_id: actor.store_id.clone(),
        environment: actor.environment,
        visibility: access::visibility(actor),
        link_id,
        status,
        method,
        created_from,
        created_to,
        limit,
        starting_after,
    })
}

/// Reads a payment the actor can see.
pub async fn get_payment(ctx: &Ctx, actor: &Actor, id: &str) -> Result<Payment> {
    let id = PaymentId::parse(id).ok_or(ServiceError::NotFound)?;
    let visibility = access::visibility(actor);
    let (store, env) = (actor.store_id.clone(), actor.environment);
    let p = ctx.db.read(move |c| payments::get(c, &id)).await?.ok_or(ServiceError::NotFound)?;
    let in_scope = p.store_id == store && p.environment == env && list::visible(&visibility, &p);
    if in_scope { Ok(p) } else { Err(ServiceError::NotFound) }
}
