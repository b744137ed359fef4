//! The home page's day at a glance, in the actor's scope (the lists' scope: a cashier sees their
//! own links' figures, a supervisor their branch's): what was collected today and this month,
//! today's payments, the open links, the refunds waiting for this user's decision, and the
//! latest links. Sums and counts are aggregated in SQL (`store::summary`).
//!
//! Days and months are the store's: "today" starts at midnight in the store's time zone and
//! "this month" at midnight of the 1st there.

use super::links::list::{ListInput, checked_query, list_links};
use super::{Ctx, Result, stores};
use crate::domain::Timestamp;
use crate::domain::access::{self, Action, Actor, Reach, Visibility};
use crate::domain::link::Link;
use crate::domain::money::{Currency, Money};
use crate::domain::zone::Zone;
use crate::store::conn::Conn;
use crate::store::links::list::{Query, count_matching};
use crate::store::refunds;
use crate::store::summary::{self, Collected};

/// The home page's figures.
#[derive(Clone, Debug)]
pub struct Summary {
    /// Succeeded payments since 00:00 UTC today, one sum per currency (at least the store's).
    pub collected_today: Vec<Money>,
    /// Succeeded payments since the 1st of this month, 00:00 UTC, one sum per currency.
    pub collected_month: Vec<Money>,
    /// How many payments succeeded today.
    pub payments_today: i64,
    /// Links open now (not expired).
    pub open_links: i64,
    /// Refunds waiting for this user's approval (not their own requests, within their limit);
    /// `None` for roles that never decide refunds.
    pub refunds_waiting: Option<i64>,
    /// The five newest links.
    pub latest: Vec<Link>,
}

/// The actor's summary.
pub async fn home(ctx: &Ctx, actor: &Actor) -> Result<Summary> {
    let now = ctx.clock.now();
    let open = ListInput { status: Some("open".to_owned()), ..ListInput::default() };
    let open = checked_query(ctx, actor, open).await?;
    let currency = stores::currency(ctx, &actor.store_id).await?;
    let reader = actor.clone();
    let zone = super::store_profile::zone(ctx, &actor.store_id).await?;
    let starts = (day_start(&zone, now), month_start(&zone, now));
    let (today, month, open_links, refunds_waiting) = ctx.db.read(move |c| figures(c, &reader, &open, starts)).await?;
    let latest = list_links(ctx, actor, ListInput { limit: Some(5), ..ListInput::default() }).await?.items;
    Ok(Summary {
        collected_today: sums(&today, currency),
        collected_month: sums(&month, currency),
        payments_today: today.iter().map(|c| c.count).sum(),
        open_links,
        refunds_waiting,
        latest,
    })
}

type Figures = (Vec<Collected>, Vec<Collected>, i64, Option<i64>);

fn figures(c: &mut dyn Conn, actor: &Actor, open: &Query, (day, month): (Timestamp, Timestamp)) -> Result<Figures> {
    let at = (&actor.store_id, actor.environment);
    let scope = access::visibility(actor);
    let today = summary::collected(c, at, &scope, day)?;
    let month = summary::collected(c, at, &scope, month)?;
    Ok((today, month, count_matching(c, open)?, waiting(c, actor)?))
}

/// The refunds this user could decide now: their decision reach, less their own requests and,
/// for a branch reach, those above the store's supervisor limit.
fn waiting(c: &mut dyn Conn, actor: &Actor) -> Result<Option<i64>> {
    let (scope, limit) = match (access::reach(actor.role, Action::DecideRefund), &actor.branch_id) {
        (Reach::None | Reach::Own, _) => return Ok(None),
        (Reach::All, _) => (Visibility::All, None),
        (Reach::Branch, Some(b)) => {
            (Visibility::Branch(b.clone()), Some(refunds::policy(c, &actor.store_id)?.supervisor_limit))
        }
        (Reach::Branch, None) => (Visibility::Nothing, None),
    };
    let at = (&actor.store_id, actor.environment);
    Ok(Some(summary::refunds_waiting(c, at, &scope, &actor.principal(), limit)?))
}

/// One sum per currency, or zero in the store's currency when nothing was collected.
fn sums(collected: &[Collected], store: Currency) -> Vec<Money> {
    let sums: Vec<Money> = collected
        .iter()
        .filter_map(|c| Currency::parse(&c.currency).ok().map(|cur| Money::from_minor(c.minor, cur)))
        .collect();
    if sums.is_empty() { vec![Money::from_minor(0, store)] } else { sums }
}

/// Midnight today in `zone`.
fn day_start(zone: &Zone, now: Timestamp) -> Timestamp {
    zone.start_of(zone.day_of(now))
}

/// Midnight of the 1st of this month in `zone`.
fn month_start(zone: &Zone, now: Timestamp) -> Timestamp {
    zone.start_of(zone.day_of(now).first_of_month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_months_start_at_the_stores_midnight() {
        let zone = Zone::default_zone();
        // 23:59 UTC on the 6th is already the 7th in Riyadh (UTC+3).
        let now = Timestamp::parse_rfc3339("2026-12-06T23:59:59.5Z").unwrap();
        assert_eq!(day_start(&zone, now).to_rfc3339(), "2026-12-06T21:00:00Z");
        assert_eq!(month_start(&zone, now).to_rfc3339(), "2026-11-30T21:00:00Z");
    }
}
