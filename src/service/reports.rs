//! Reports (`/v1/reports/*`, the dashboard's reports and a cashier's day): what was collected and
//! refunded per day of the store's time zone, per method and per branch, and how many links
//! created were paid — in the actor's scope, the lists' (a cashier sees their own links' money,
//! a supervisor their branch's). One function computes every breakdown; the API and the pages
//! pick what they show.

use super::{Ctx, Result, ServiceError, store_profile, stores};
use crate::domain::access::{self, Actor, Visibility};
use crate::domain::id::BranchId;
use crate::domain::money::Currency;
use crate::domain::report::{Breakdown, Groups};
use crate::domain::tenancy::User;
use crate::domain::zone::{Day, Zone};
use crate::domain::{ErrorKind, Rule};
use crate::store::reports::{self, Window};
use crate::store::tenancy;

pub mod export;

/// The longest range a report covers, in days.
pub const MAX_DAYS: i64 = 366;

/// What a report is asked for.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportInput {
    /// The first day, `YYYY-MM-DD` in the store's time zone (default: 30 days before `to`).
    pub from: Option<String>,
    /// The last day, included (default: today in the store's time zone).
    pub to: Option<String>,
    /// Only this branch (id or code).
    pub branch_id: Option<String>,
    /// The currency (default: the store's).
    pub currency: Option<String>,
}

/// A report.
#[derive(Clone, Debug)]
pub struct Report {
    pub zone: Zone,
    pub currency: Currency,
    pub from: Day,
    pub to: Day,
    /// The branch asked for.
    pub branch_id: Option<BranchId>,
    pub breakdown: Breakdown,
}

/// The actor's report for `input`.
pub async fn report(ctx: &Ctx, actor: &Actor, input: ReportInput) -> Result<Report> {
    let zone = store_profile::zone(ctx, &actor.store_id).await?;
    let (from, to) = range(&zone, ctx, input.from.as_deref(), input.to.as_deref())?;
    let currency = currency(ctx, actor, input.currency.as_deref()).await?;
    let branch_id = branch(ctx, actor, input.branch_id).await?;
    let days = days_of(from, to);
    let groups = read(ctx, actor, &zone, &days, currency, branch_id.clone(), None).await?;
    Ok(Report { breakdown: groups.fold(&days), zone, currency, from, to, branch_id })
}

/// One user's day, for closing a till.
#[derive(Clone, Debug)]
pub struct CashierDay {
    pub zone: Zone,
    pub currency: Currency,
    pub day: Day,
    pub user: User,
    /// The groups of the day, for the per-method and per-place totals.
    pub groups: Groups,
    pub breakdown: Breakdown,
}

/// `user_id`'s day `day` (default today): the links they created and the money on them. A
/// cashier sees only their own day, a supervisor their branch's users; others any user.
pub async fn cashier_day(ctx: &Ctx, actor: &Actor, user_id: &str, day: Option<&str>) -> Result<CashierDay> {
    let zone = store_profile::zone(ctx, &actor.store_id).await?;
    let day = match day.filter(|d| !d.is_empty()) {
        Some(s) => parse_day("day", s)?,
        None => zone.day_of(ctx.clock.now()),
    };
    let user = visible_user(ctx, actor, user_id).await?;
    let currency = stores::currency(ctx, &actor.store_id).await?;
    let creator = Some(user.id.to_string());
    let groups = read(ctx, actor, &zone, &[day], currency, None, creator).await?;
    Ok(CashierDay { breakdown: groups.fold(&[day]), groups, zone, currency, day, user })
}

async fn read(
    ctx: &Ctx,
    actor: &Actor,
    zone: &Zone,
    days: &[Day],
    currency: Currency,
    branch: Option<BranchId>,
    creator: Option<String>,
) -> Result<Groups> {
    // Each day's first instant in the store's zone, and the instant the last day ends.
    let mut starts: Vec<_> = days.iter().map(|d| zone.start_of(*d)).collect();
    starts.extend(days.last().and_then(|d| d.next()).map(|d| zone.start_of(d)));
    let edge = |t: Option<&crate::domain::Timestamp>| t.copied().unwrap_or(crate::domain::Timestamp::from_micros(0));
    let (start, end) = (edge(starts.first()), edge(starts.last()));
    let (store, env, scope) = (actor.store_id.clone(), actor.environment, access::visibility(actor));
    let groups = ctx
        .db
        .read(move |c| {
            let w = Window {
                at: (&store, env),
                scope: &scope,
                currency: currency.code(),
                from: start,
                to: end,
                branch: branch.as_ref().map(|b| b.as_str()),
                creator: creator.as_deref(),
            };
            reports::groups(c, &w, &starts)
        })
        .await?;
    Ok(groups)
}

/// Every day from `from` to `to`, in order.
fn days_of(from: Day, to: Day) -> Vec<Day> {
    std::iter::successors(Some(from), |d| d.next()).take_while(|d| *d <= to).collect()
}

/// The days asked for: `to` defaults to today, `from` to 30 days before it; at most `MAX_DAYS`.
fn range(zone: &Zone, ctx: &Ctx, from: Option<&str>, to: Option<&str>) -> Result<(Day, Day)> {
    let to = match to {
        Some(s) => parse_day("to", s)?,
        None => zone.day_of(ctx.clock.now()),
    };
    let from = match from {
        Some(s) => parse_day("from", s)?,
        None => (0..30).fold(to, |d, _| d.previous().unwrap_or(d)),
    };
    let span = from.days_until(to);
    if span < 0 {
        return Err(ServiceError::rule("from", ErrorKind::Invalid, Rule::OutOfRange, "must not be after `to`"));
    }
    if span >= MAX_DAYS {
        return Err(ServiceError::rule(
            "to",
            ErrorKind::Invalid,
            Rule::OutOfRange,
            format!("must be within {MAX_DAYS} days of `from`"),
        ));
    }
    Ok((from, to))
}

fn parse_day(field: &str, s: &str) -> Result<Day> {
    let refusal = || ServiceError::rule(field, ErrorKind::Invalid, Rule::NotADateTime, "must be a date YYYY-MM-DD");
    Day::parse(s).ok_or_else(refusal)
}

async fn currency(ctx: &Ctx, actor: &Actor, asked: Option<&str>) -> Result<Currency> {
    match asked.filter(|c| !c.is_empty()) {
        None => stores::currency(ctx, &actor.store_id).await,
        Some(code) => Currency::parse(code).map_err(|_| {
            ServiceError::rule("currency", ErrorKind::Currency, Rule::UnknownValue, "is not a known currency")
        }),
    }
}

/// The branch asked for, if any: 404 when it is not one of the store's or outside the actor's
/// branch.
async fn branch(ctx: &Ctx, actor: &Actor, asked: Option<String>) -> Result<Option<BranchId>> {
    let Some(asked) = asked.filter(|b| !b.is_empty()) else { return Ok(None) };
    let store = actor.store_id.clone();
    let found = ctx.db.read(move |c| tenancy::find_branch(c, &store, &asked)).await?.ok_or(ServiceError::NotFound)?;
    match access::visibility(actor) {
        Visibility::All => Ok(Some(found.id)),
        Visibility::Branch(b) | Visibility::Own { branch_id: b, .. } if b == found.id => Ok(Some(found.id)),
        _ => Err(ServiceError::NotFound),
    }
}

/// The user whose day the actor may read (404 otherwise).
async fn visible_user(ctx: &Ctx, actor: &Actor, id: &str) -> Result<User> {
    let (merchant, id) = (actor.merchant_id.clone(), id.to_owned());
    let user = ctx.db.read(move |c| tenancy::find_user(c, &merchant, &id)).await?.ok_or(ServiceError::NotFound)?;
    if sees(&access::visibility(actor), &user) { Ok(user) } else { Err(ServiceError::NotFound) }
}

/// Whether an actor with `scope` may read `u`'s day.
fn sees(scope: &Visibility, u: &User) -> bool {
    match scope {
        Visibility::All => true,
        Visibility::Branch(b) => u.branch_id.as_ref() == Some(b),
        Visibility::Own { principal, .. } => u.id.as_str() == principal,
        Visibility::Nothing => false,
    }
}

/// The store's branches, for naming the by-branch rows and, for a store-wide actor, choosing one.
pub async fn branches(ctx: &Ctx, actor: &Actor) -> Result<Vec<crate::domain::tenancy::Branch>> {
    let store = actor.store_id.clone();
    Ok(ctx.db.read(move |c| tenancy::list_branches(c, &store)).await?)
}

/// The users whose day the actor may read: everyone for a store-wide actor, a supervisor's
/// branch, a cashier themselves.
pub async fn day_users(ctx: &Ctx, actor: &Actor) -> Result<Vec<User>> {
    let merchant = actor.merchant_id.clone();
    let users = ctx.db.read(move |c| tenancy::list_users(c, &merchant)).await?;
    let scope = access::visibility(actor);
    Ok(users.into_iter().filter(|u| sees(&scope, u)).collect())
}
