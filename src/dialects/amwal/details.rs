//! `POST /amwal/payment_link/{id}/details` (seed 000) and `POST /amwal/payment_links/{id}/details`
//! (Amwal's docs): one link, read through `service::links::get_link_with_payments` (outside the
//! key's scope: 404), with its transactions paginated DRF style.

use super::auth::AmwalActor;
use super::body::{AmwalJson, PageQuery, whole};
use super::error::{AmwalErrorBody, AmwalResult, amwal_error, same_names};
use super::page::{Paging, TransactionPage};
use super::view::{PaymentLinkOut, payment_link, transaction};
use crate::domain::id::LinkId;
use crate::domain::id::id_from_uuid;
use crate::service::Ctx;
use crate::service::links::{get_link_with_payments, labels};
use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which page of the link's transactions to show (`{}` or no body: the first 10).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DetailsIn {
    /// Page number (default 1); `?page=` in the URL wins.
    #[serde(default, deserialize_with = "whole")]
    #[schema(value_type = Option<i64>)]
    pub page: Option<i64>,
    /// Transactions per page, 1–100 (default 10); `?page_size=` in the URL wins.
    #[serde(default, deserialize_with = "whole")]
    #[schema(value_type = Option<i64>)]
    pub page_size: Option<i64>,
}

/// A link and a page of its transactions.
#[derive(Debug, Serialize, ToSchema)]
pub struct DetailsOut {
    /// The link.
    pub payment_link: PaymentLinkOut,
    /// Its payment attempts, newest first.
    pub transactions: TransactionPage,
}

/// Reads a payment link with its transactions.
#[utoipa::path(post, path = "/amwal/payment_link/{payment_link_id}/details", tag = "payment_links",
    request_body = DetailsIn,
    params(("payment_link_id" = String, Path, description = "The link's UUID (or its `plink_…` id)"),
        ("page" = Option<i64>, Query, description = "Page number (overrides the body)"),
        ("page_size" = Option<i64>, Query, description = "Page size (overrides the body)")),
    responses((status = 200, body = DetailsOut), (status = 400, body = AmwalErrorBody),
        (status = 403, body = AmwalErrorBody), (status = 404, body = AmwalErrorBody),
        (status = 415, body = AmwalErrorBody)))]
pub async fn payment_link_details(
    State(ctx): State<Ctx>,
    AmwalActor(actor): AmwalActor,
    Path(id): Path<String>,
    OriginalUri(uri): OriginalUri,
    query: PageQuery,
    AmwalJson(body): AmwalJson<DetailsIn>,
) -> AmwalResult<Json<DetailsOut>> {
    let paging = Paging::of(body.page, body.page_size, &query)?;
    let native = id_from_uuid(LinkId::PREFIX, &id).unwrap_or(id);
    let (link, payments) =
        get_link_with_payments(&ctx, &actor, &native).await.map_err(|e| amwal_error(e, &same_names))?;
    let names =
        labels::labels(&ctx, &actor, vec![link.created_by.clone()]).await.map_err(|e| amwal_error(e, &same_names))?;
    let (now, base) = (ctx.clock.now(), ctx.config.public_base());
    let count = payments.len() as i64;
    let (next, previous) = paging.neighbours(count, &format!("{base}{}", uri.path()));
    let results =
        payments.iter().rev().skip(paging.offset()).take(paging.size as usize).map(|p| transaction(p, &link)).collect();
    let merchant = actor.merchant_id.to_string();
    Ok(Json(DetailsOut {
        payment_link: payment_link(link, &names, &merchant, now, base),
        transactions: TransactionPage { count, next, previous, results },
    }))
}

/// The same, at the plural path Amwal's docs use.
#[utoipa::path(post, path = "/amwal/payment_links/{payment_link_id}/details", tag = "payment_links",
    request_body = DetailsIn,
    params(("payment_link_id" = String, Path, description = "The link's UUID (or its `plink_…` id)"),
        ("page" = Option<i64>, Query, description = "Page number (overrides the body)"),
        ("page_size" = Option<i64>, Query, description = "Page size (overrides the body)")),
    responses((status = 200, body = DetailsOut), (status = 400, body = AmwalErrorBody),
        (status = 403, body = AmwalErrorBody), (status = 404, body = AmwalErrorBody),
        (status = 415, body = AmwalErrorBody)))]
pub async fn payment_links_details(
    ctx: State<Ctx>,
    actor: AmwalActor,
    id: Path<String>,
    uri: OriginalUri,
    query: PageQuery,
    body: AmwalJson<DetailsIn>,
) -> AmwalResult<Json<DetailsOut>> {
    payment_link_details(ctx, actor, id, uri, query, body).await
}
