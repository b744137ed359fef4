//! What a delivery announces, read as it is when the attempt is made, for a dialect that shapes
//! its own callback (the native request needs only the event). These reads are the outbox's, not
//! an actor's: the event already belongs to its store, and each read keeps to the delivery's
//! store and environment.

use super::{Ctx, Result};
use crate::domain::access::Visibility;
use crate::domain::customer::Customer;
use crate::domain::id::{CustomerId, LinkId, PaymentId, RefundId};
use crate::domain::link::Link;
use crate::domain::method::PaymentMethod;
use crate::domain::outbox::Delivery;
use crate::domain::payment::Payment;
use crate::domain::refund::Refund;
use crate::store::conn::{Conn, DbError};
use crate::store::{customers, links, methods, payments, refunds};

/// A link with every payment made on it and its store's payment methods.
pub struct LinkHistory {
    pub link: Link,
    /// Oldest first.
    pub payments: Vec<Payment>,
    pub methods: Vec<PaymentMethod>,
}

/// Whether an object read for `d` belongs to the delivery's store and environment.
fn in_scope(d: &Delivery, link: &Link) -> bool {
    link.store_id == d.store_id && link.environment == d.environment
}

/// The payment the delivery's event is about, with its link.
pub async fn payment_with_link(ctx: &Ctx, d: &Delivery) -> Result<Option<(Link, Payment)>> {
    let id = PaymentId::from_trusted(d.event.object_id.clone());
    let found = ctx.db.read(move |c| read_payment(c, &id)).await?;
    Ok(found.filter(|(link, _)| in_scope(d, link)))
}

fn read_payment(c: &mut dyn Conn, id: &PaymentId) -> std::result::Result<Option<(Link, Payment)>, DbError> {
    let Some(p) = payments::get(c, id)? else { return Ok(None) };
    Ok(links::get_public(c, &p.link_id)?.map(|l| (l, p)))
}

/// A link with its payments and the store's methods: the link `link_id`, or the link of the
/// payment `link_id` names when it is a payment id (one read).
pub async fn link_history(ctx: &Ctx, d: &Delivery, object_id: &str) -> Result<Option<LinkHistory>> {
    let object = object_id.to_owned();
    let found = ctx
        .db
        .read(move |c| -> std::result::Result<_, DbError> {
            let link_id = match PaymentId::parse(&object) {
                Some(p) => match payments::get(c, &p)? {
                    Some(p) => p.link_id,
                    None => return Ok(None),
                },
                None => LinkId::from_trusted(object),
            };
            let Some(link) = links::get_public(c, &link_id)? else { return Ok(None) };
            let payments = payments::for_link(c, &link.id)?;
            let methods = methods::list(c, &link.store_id, link.environment)?;
            Ok(Some(LinkHistory { link, payments, methods }))
        })
        .await?;
    Ok(found.filter(|h| in_scope(d, &h.link)))
}

/// The refund the delivery's event is about.
pub async fn refund(ctx: &Ctx, d: &Delivery) -> Result<Option<Refund>> {
    let (id, store, env) = (RefundId::from_trusted(d.event.object_id.clone()), d.store_id.clone(), d.environment);
    Ok(ctx.db.read(move |c| refunds::get(c, &store, env, &id)).await?)
}

/// The customer the delivery's event is about, as it is now.
pub async fn customer(ctx: &Ctx, d: &Delivery) -> Result<Option<Customer>> {
    let (id, store, env) = (CustomerId::from_trusted(d.event.object_id.clone()), d.store_id.clone(), d.environment);
    Ok(ctx.db.read(move |c| customers::get(c, (&store, env), &Visibility::All, &id, false)).await?)
}

/// The payment's number in a dialect that gives payments integer ids (from the counter
/// `counter`), given on first need and then fixed: every retry and redirect carries the same one.
pub async fn payment_number(ctx: &Ctx, payment: &PaymentId, counter: &'static str) -> Result<i64> {
    let id = payment.clone();
    Ok(ctx.db.write(move |c| crate::store::dialect_counters::payment_number(c, id.as_str(), counter)).await?)
}
