//! `POST /amwal/payment_links/{store_id}/` (seed 000, docs/dialects.md "List – full request body"): the
//! Amwal filters become the native `ListInput`, `service::links::list::list_links` applies them
//! in the key's role scope, and the page answers DRF style.

use super::auth::{AmwalActor, require_own_store};
use super::body::{AmwalJson, PageQuery, text, whole};
use super::error::{AmwalErrorBody, AmwalResult, amwal_error, bad_field};
use super::page::{Paging, PaymentLinkPage};
use super::view::payment_link;
use crate::domain::access::Actor;
use crate::domain::link::LinkStatus;
use crate::domain::{FieldError, Timestamp};
use crate::service::Ctx;
use crate::service::links::labels;
use crate::service::links::list::{ListInput, list_links};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::ToSchema;

/// Filters, sort and page of the list; every field is optional and unknown fields are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ListIn {
    /// Page number (default 1); `?page=` in the URL wins.
    #[serde(default, deserialize_with = "whole")]
    #[schema(value_type = Option<i64>)]
    pub page: Option<i64>,
    /// Links per page, 1–100 (default 10); `?page_size=` in the URL wins.
    #[serde(default, deserialize_with = "whole")]
    #[schema(value_type = Option<i64>)]
    pub page_size: Option<i64>,
    /// Text in the title, description, order id or the customer's name, phone or e-mail.
    pub search: Option<String>,
    /// `online` (links without a branch), `in_store` (links of a branch) or `all` (default).
    pub payment_mode: Option<String>,
    /// Branch code (`RIYADH-001`) or id.
    #[serde(default, deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub branch: Option<String>,
    /// `Unpaid`, `Paid`, `Expired` (expired or disabled) or `all` (default); any case.
    pub status: Option<String>,
    /// Created on or after this day (`YYYY-MM-DD`, UTC).
    pub date_from: Option<String>,
    /// Created on or before this day (`YYYY-MM-DD`, UTC; the whole day counts).
    pub date_to: Option<String>,
    /// `created_at` (default), `amount`, `title` or `status`.
    pub sort_by: Option<String>,
    /// `desc` (default) or `asc`.
    pub sort_order: Option<String>,
}

/// Lists the payment links the key can see.
#[utoipa::path(post, path = "/amwal/payment_links/{store_id}/", tag = "payment_links", request_body = ListIn,
    params(("store_id" = String, Path, description = "Your store id (the key's store)"),
        ("page" = Option<i64>, Query, description = "Page number (overrides the body)"),
        ("page_size" = Option<i64>, Query, description = "Page size (overrides the body)")),
    responses((status = 200, body = PaymentLinkPage), (status = 400, body = AmwalErrorBody),
        (status = 403, body = AmwalErrorBody), (status = 404, body = AmwalErrorBody),
        (status = 415, body = AmwalErrorBody)))]
pub async fn list_payment_links(
    State(ctx): State<Ctx>,
    AmwalActor(actor): AmwalActor,
    Path(store_id): Path<String>,
    query: PageQuery,
    AmwalJson(body): AmwalJson<ListIn>,
) -> AmwalResult<Json<PaymentLinkPage>> {
    require_own_store(&actor, &store_id)?;
    let paging = Paging::of(body.page, body.page_size, &query)?;
    let input = list_input(&ctx, &actor, body, paging).await?;
    let page = list_links(&ctx, &actor, input).await.map_err(|e| amwal_error(e, &renamed))?;
    let creators = page.items.iter().map(|l| l.created_by.clone()).collect();
    let names = labels::labels(&ctx, &actor, creators).await.map_err(|e| amwal_error(e, &renamed))?;
    let (now, base) = (ctx.clock.now(), ctx.config.public_base());
    let count = page.total.unwrap_or(0);
    let (next, previous) = paging.neighbours(count, &format!("{base}/amwal/payment_links/{store_id}/"));
    let merchant = actor.merchant_id.to_string();
    let results = page.items.into_iter().map(|l| payment_link(l, &names, &merchant, now, base)).collect();
    Ok(Json(PaymentLinkPage { count, next, previous, results }))
}

/// The same list without the trailing slash.
#[utoipa::path(post, path = "/amwal/payment_links/{store_id}", tag = "payment_links", request_body = ListIn,
    params(("store_id" = String, Path, description = "Your store id (the key's store)"),
        ("page" = Option<i64>, Query, description = "Page number (overrides the body)"),
        ("page_size" = Option<i64>, Query, description = "Page size (overrides the body)")),
    responses((status = 200, body = PaymentLinkPage), (status = 400, body = AmwalErrorBody),
        (status = 403, body = AmwalErrorBody), (status = 404, body = AmwalErrorBody),
        (status = 415, body = AmwalErrorBody)))]
pub async fn list_payment_links_without_slash(
    ctx: State<Ctx>,
    actor: AmwalActor,
    store_id: Path<String>,
    query: PageQuery,
    body: AmwalJson<ListIn>,
) -> AmwalResult<Json<PaymentLinkPage>> {
    list_payment_links(ctx, actor, store_id, query, body).await
}

/// Our list parameter names in Amwal's spelling.
fn renamed(e: &FieldError) -> (String, String) {
    let name = match e.field.as_str() {
        "q" => "search",
        "sort" => "sort_by",
        "order" => "sort_order",
        "created_from" => "date_from",
        "created_to" => "date_to",
        other => other,
    };
    (name.to_owned(), e.message.clone())
}

/// The native list request for Amwal's filters.
async fn list_input(ctx: &Ctx, actor: &Actor, body: ListIn, paging: Paging) -> AmwalResult<ListInput> {
    let any_status = match body.status.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("all") => Vec::new(),
        Some("unpaid") => vec![LinkStatus::Open],
        Some("paid") => vec![LinkStatus::Paid],
        // A disabled (cancelled) link reads `Expired` too.
        Some("expired") => vec![LinkStatus::Expired, LinkStatus::Cancelled],
        Some(_) => return Err(bad_field("status", "must be Unpaid, Paid, Expired or all")),
    };
    let has_branch = match body.payment_mode.as_deref() {
        None | Some("all") => None,
        Some("in_store") => Some(true),
        Some("online") => Some(false),
        Some(_) => return Err(bad_field("payment_mode", "must be online, in_store or all")),
    };
    let sort = one_of(body.sort_by, "sort_by", &["created_at", "amount", "title", "status"])?;
    let order = one_of(body.sort_order, "sort_order", &["asc", "desc"])?;
    Ok(ListInput {
        branch: branch_id(ctx, actor, body.branch).await?,
        created_from: day(body.date_from.as_deref(), "date_from", 0)?,
        // `date_to` includes its whole day: the native bound is exclusive, so the next midnight.
        created_to: day(body.date_to.as_deref(), "date_to", 86_400)?,
        q: body.search,
        sort,
        order,
        page: Some(paging.page),
        page_size: Some(paging.size),
        any_status,
        has_branch,
        ..ListInput::default()
    })
}

fn one_of(value: Option<String>, field: &str, allowed: &[&str]) -> AmwalResult<Option<String>> {
    match value {
        Some(v) if !allowed.contains(&v.as_str()) => Err(bad_field(field, format!("must be {}", allowed.join(", ")))),
        other => Ok(other),
    }
}

/// A `YYYY-MM-DD` day's first instant plus `shift` seconds, as RFC 3339.
fn day(value: Option<&str>, field: &str, shift: i64) -> AmwalResult<Option<String>> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    match Timestamp::parse_date(text) {
        Some(t) if text.len() == 10 => Ok(Some(t.plus_secs(shift).to_rfc3339())),
        _ => Err(bad_field(field, "must be a date (YYYY-MM-DD)")),
    }
}

/// The branch filter as the native list takes it: a code becomes the branch's id (an unknown
/// value is passed on and matches nothing, as the native filter does).
async fn branch_id(ctx: &Ctx, actor: &Actor, branch: Option<String>) -> AmwalResult<Option<String>> {
    let Some(branch) = branch.filter(|b| !b.trim().is_empty()) else { return Ok(None) };
    let names = labels::labels(ctx, actor, Vec::new()).await.map_err(|e| amwal_error(e, &renamed))?;
    Ok(Some(names.branch(&branch).map_or(branch, |b| b.id.to_string())))
}
