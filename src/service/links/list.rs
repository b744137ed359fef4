//! Listing links: the raw query parameters become a checked store query in the actor's scope.

use super::super::{Ctx, Result, ServiceError};
use crate::domain::access::{self, Actor};
use crate::domain::id::LinkId;
use crate::domain::link::Link;
use crate::domain::link::LinkStatus;
use crate::domain::money::{Currency, Money};
use crate::domain::{ErrorKind, FieldError, Timestamp};
use crate::service::list_params;
use crate::store::keyset::Page;
use crate::store::links::list::{self, ListError, Paging, Query, SortKey};

/// List parameters as received (the `/v1/payment_links` query string): filters, search, sort and
/// pagination, still unchecked.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListInput {
    /// `open`, `paid`, `expired` or `cancelled`.
    pub status: Option<String>,
    /// Branch id.
    pub branch: Option<String>,
    /// Creator (user or key id).
    pub created_by: Option<String>,
    /// Created at or after (RFC 3339 or YYYY-MM-DD).
    pub created_from: Option<String>,
    /// Created before (RFC 3339 or YYYY-MM-DD).
    pub created_to: Option<String>,
    /// Smallest amount (major units, in `currency` or the store's currency).
    pub amount_min: Option<String>,
    /// Largest amount (major units).
    pub amount_max: Option<String>,
    /// ISO 4217 code.
    pub currency: Option<String>,
    /// Search in title, description, reference and customer name, phone, e-mail.
    pub q: Option<String>,
    /// `created_at` (default), `amount`, `title` or `status`.
    pub sort: Option<String>,
    /// `desc` (default) or `asc`.
    pub order: Option<String>,
    /// Cursor page size, 1–100 (default 20).
    pub limit: Option<i64>,
    /// Cursor: the last id of the previous page.
    pub starting_after: Option<String>,
    /// Page number (page mode, with a total count).
    pub page: Option<i64>,
    /// Page size in page mode, 1–100.
    pub page_size: Option<i64>,
    /// Links in any of these statuses, when `status` is absent. Set by dialects whose status
    /// words cover several of ours (one word for expired or cancelled); never read from
    /// the query string.
    #[serde(skip)]
    pub any_status: Vec<LinkStatus>,
    /// Only links with (`true`) or without (`false`) a branch (a dialect's in-store / online
    /// filter). Set by dialects; never read from the query string.
    #[serde(skip)]
    pub has_branch: Option<bool>,
    /// Skip this many links and count the total (a dialect's `offset`, with `limit` as the page
    /// size); wins over the other paging parameters. Set by dialects; never read from the query
    /// string.
    #[serde(skip)]
    pub offset: Option<i64>,
    /// Only links whose latest payment attempt failed (`true`) or did not (`false`, links
    /// without attempts included): a dialect's `failed` and `pending`. Set by dialects; never
    /// read from the query string.
    #[serde(skip)]
    pub latest_attempt_failed: Option<bool>,
}

/// Lists the links the actor can see.
pub async fn list_links(ctx: &Ctx, actor: &Actor, input: ListInput) -> Result<Page<Link>> {
    let query = checked_query(ctx, actor, input).await?;
    run_query(ctx, query).await
}

/// The store query `list_links` runs for `input` in the actor's scope (the export walks it).
pub(crate) async fn checked_query(ctx: &Ctx, actor: &Actor, input: ListInput) -> Result<Query> {
    let unit = amount_unit(ctx, actor, &input).await?;
    check(actor, input, unit, ctx.clock.now(), ctx.config.limits.max_amount)
}

/// Runs a checked query; a cursor outside the list is a 400 on `starting_after`.
pub(super) async fn run_query(ctx: &Ctx, query: Query) -> Result<Page<Link>> {
    ctx.db
        .read(move |c| {
            list::run(c, &query).map_err(|e| match e {
                ListError::BadCursor => {
                    ServiceError::field("starting_after", ErrorKind::Invalid, "is not a link in this list")
                }
                ListError::Db(e) => e.into(),
            })
        })
        .await
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn bad(&mut self, field: &str, msg: &str) {
        self.0.push(FieldError::new(field, ErrorKind::Invalid, msg));
    }
}

/// The currency amount filters are read in: the `currency` parameter, else the store's currency
/// (read only when an amount filter is present).
async fn amount_unit(ctx: &Ctx, actor: &Actor, i: &ListInput) -> Result<Currency> {
    if let Some(c) = i.currency.as_deref().and_then(|c| Currency::parse(c).ok()) {
        return Ok(c);
    }
    if i.amount_min.is_none() && i.amount_max.is_none() {
        return Ok(Currency::parse("SAR").expect("SAR is supported"));
    }
    super::super::stores::currency(ctx, &actor.store_id).await
}

fn check(actor: &Actor, i: ListInput, unit: Currency, now: Timestamp, max_amount: i64) -> Result<Query> {
    let mut e = Errors(Vec::new());
    let status = i.status.as_deref().and_then(|s| {
        LinkStatus::parse(s).or_else(|| {
            e.bad("status", "must be open, paid, expired or cancelled");
            None
        })
    });
    let statuses = if i.status.is_some() { status.into_iter().collect() } else { i.any_status.clone() };
    let (sort, descending) = sort(&i, &mut e);
    let (limit, paging) = paging(&i, &mut e);
    let currency = i
        .currency
        .as_deref()
        .and_then(|c| Currency::parse(c).map_err(|_| e.bad("currency", "is not a supported currency")).ok());
    let (created_from, created_to) = created_range(&i, &mut e);
    let query = Query {
        store_id: actor.store_id.clone(),
        environment: actor.environment,
        visibility: access::visibility(actor),
        now,
        statuses,
        branch_id: i.branch.clone(),
        has_branch: i.has_branch,
        latest_attempt_failed: i.latest_attempt_failed,
        created_by: i.created_by.clone(),
        created_from,
        created_to,
        amount_min: amount_param(i.amount_min.as_deref(), "amount_min", unit, max_amount, &mut e),
        amount_max: amount_param(i.amount_max.as_deref(), "amount_max", unit, max_amount, &mut e),
        currency: currency.map(|c| c.code().to_owned()),
        search: i.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_lowercase),
        sort,
        descending,
        limit,
        paging,
    };
    if i.q.as_deref().is_some_and(|q| q.chars().count() > 100) {
        e.bad("q", "must be at most 100 characters");
    }
    if e.0.is_empty() { Ok(query) } else { Err(ServiceError::Invalid(e.0)) }
}

fn sort(i: &ListInput, e: &mut Errors) -> (SortKey, bool) {
    let key = match i.sort.as_deref().unwrap_or("created_at") {
        "created_at" => SortKey::CreatedAt,
        "amount" => SortKey::Amount,
        "title" => SortKey::Title,
        "status" => SortKey::Status,
        _ => {
            e.bad("sort", "must be created_at, amount, title or status");
            SortKey::CreatedAt
        }
    };
    let descending = match i.order.as_deref().unwrap_or("desc") {
        "desc" => true,
        "asc" => false,
        _ => {
            e.bad("order", "must be asc or desc");
            true
        }
    };
    (key, descending)
}

/// The page size and paging mode (offset, page or cursor), checked by `list_params` like every
/// list's. A refused value never runs: any error answers 400 before the query.
fn paging(i: &ListInput, e: &mut Errors) -> (i64, Paging) {
    let mut bad = |field: &str, msg: &str| e.bad(field, msg);
    if let Some(offset) = i.offset {
        let offset = list_params::offset(offset, &mut bad);
        return (list_params::limit(i.limit, &mut bad), Paging::Offset(offset));
    }
    if i.page.is_some() || i.page_size.is_some() {
        if i.starting_after.is_some() {
            bad("starting_after", "cannot be combined with page / page_size");
        }
        let size = list_params::page_size(i.page_size, "page_size", &mut bad);
        return (size, Paging::Page(list_params::page(i.page, &mut bad)));
    }
    let limit = list_params::limit(i.limit, &mut bad);
    let cursor = i.starting_after.as_deref().map(|s| {
        LinkId::parse(s).unwrap_or_else(|| {
            bad("starting_after", "is not a payment link id");
            LinkId::from_trusted(String::new())
        })
    });
    (limit, Paging::After(cursor))
}

/// `created_from` / `created_to`, checked by `list_params` like every list's.
fn created_range(i: &ListInput, e: &mut Errors) -> (Option<Timestamp>, Option<Timestamp>) {
    list_params::created_range(i.created_from.as_deref(), i.created_to.as_deref(), &mut |f, m| e.bad(f, m))
}

fn amount_param(text: Option<&str>, field: &str, unit: Currency, max: i64, e: &mut Errors) -> Option<i64> {
    let text = text?;
    match Money::parse(text, unit, max) {
        Ok(m) => Some(m.minor()),
        Err(err) => {
            e.0.push(FieldError::new(field, ErrorKind::Amount, err.to_string()));
            None
        }
    }
}
