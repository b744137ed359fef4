//! `/v1/payment_links`: thin handlers. Extract, convert, call one service function, convert back.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Auth};
use crate::domain::link::{Customer, LinkDraft};
use crate::dto::link::LinkOut;
use crate::dto::payment::PaymentOut;
use crate::service::Ctx;
use crate::service::links::list::ListInput;
use crate::service::links::{self, LinkPatch, NewLink};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_payment_link, list_payment_links))
        .routes(routes!(get_payment_link, update_payment_link))
        .routes(routes!(cancel_payment_link))
}

/// Prefilled payer details.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CustomerIn {
    /// E.164 phone number (`+966501234567`).
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// First name (≤ 50).
    pub first_name: Option<String>,
    /// Last name (≤ 50).
    pub last_name: Option<String>,
}

/// A new payment link.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLinkIn {
    /// Amount in major units, as a JSON number or string (`299.99` or `"299.99"`); no more
    /// decimals than the currency allows; positive; at most the configured maximum.
    #[schema(value_type = String, example = "299.99")]
    pub amount: Option<Box<RawValue>>,
    /// ISO 4217 code; defaults to the store's currency.
    pub currency: Option<String>,
    /// Title shown to the payer (1–200 characters).
    pub title: Option<String>,
    /// Description (≤ 500 characters).
    pub description: Option<String>,
    /// Your reference, unique per store and environment (≤ 64 characters).
    pub reference_id: Option<String>,
    /// One payment only (default true unless `max_payments` > 1).
    pub single_use: Option<bool>,
    /// Cap on payments for a multi-use link.
    pub max_payments: Option<i64>,
    /// RFC 3339 expiry in the future; omit for none.
    pub expires_at: Option<String>,
    /// Prefilled payer details.
    pub customer: Option<CustomerIn>,
    /// A customer (`cus_…`) the link is for: their phone, e-mail and name fill the `customer`
    /// fields this request leaves out (the name splits into first and last name).
    pub customer_id: Option<String>,
    /// `ar` (default) or `en`.
    pub language: Option<String>,
    /// Ask the payer for an address.
    pub address_required: Option<bool>,
    /// Send the link to the customer's phone by SMS.
    pub send_sms: Option<bool>,
    /// Send the link to the customer's e-mail.
    pub send_email: Option<bool>,
    /// Receives this link's events.
    pub callback_url: Option<String>,
    /// Where the payer goes after paying.
    pub success_url: Option<String>,
    /// Where the payer goes after cancelling.
    pub cancel_url: Option<String>,
    /// Your key-value data (object, ≤ 50 keys, ≤ 4 KiB).
    #[serde(default, deserialize_with = "crate::api::json_object::unique_keys")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
    /// Branch id or code (branch roles: their own branch, the default).
    pub branch: Option<String>,
    /// Ids of the store's enabled payment methods the link accepts (default: all of them).
    pub payment_methods: Option<Vec<i64>>,
}

impl From<CreateLinkIn> for NewLink {
    fn from(i: CreateLinkIn) -> Self {
        let c = i.customer.unwrap_or_default();
        let amount = i.amount.as_deref().map(crate::api::extract::amount_text);
        NewLink {
            draft: LinkDraft {
                amount,
                currency: i.currency,
                title: i.title,
                description: i.description,
                reference_id: i.reference_id,
                single_use: i.single_use,
                max_payments: i.max_payments,
                expires_at: i.expires_at,
                customer: Customer {
                    id: None,
                    phone: c.phone,
                    email: c.email,
                    first_name: c.first_name,
                    last_name: c.last_name,
                },
                customer_id: i.customer_id,
                language: i.language,
                address_required: i.address_required,
                send_sms: i.send_sms,
                send_email: i.send_email,
                callback_url: i.callback_url,
                success_url: i.success_url,
                cancel_url: i.cancel_url,
                metadata: i.metadata,
                payment_methods: i.payment_methods,
                address_prefill: None,
            },
            branch: i.branch,
            ..NewLink::default()
        }
    }
}

/// Creates a payment link.
#[utoipa::path(post, path = "/v1/payment_links", tag = "payment_links", request_body = CreateLinkIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = LinkOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_payment_link(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<CreateLinkIn>,
) -> ApiResult<(StatusCode, Json<LinkOut>)> {
    let link = links::create_link(&ctx, &actor, body.into()).await?;
    let mut out = LinkOut::of(link, ctx.clock.now(), ctx.config.public_base());
    out.payments = Some(Vec::new());
    Ok((StatusCode::CREATED, Json(out)))
}

/// Reads a payment link.
#[utoipa::path(get, path = "/v1/payment_links/{id}", tag = "payment_links",
    params(("id" = String, Path, description = "Link id")),
    responses((status = 200, body = LinkOut), (status = 404, body = ErrorBody)))]
pub async fn get_payment_link(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<LinkOut>> {
    let (link, payments) = links::get_link_with_payments(&ctx, &actor, &id).await?;
    let base = ctx.config.public_base();
    let mut out = LinkOut::of(link, ctx.clock.now(), base);
    out.payments = Some(payments.iter().map(|p| PaymentOut::new(p, base)).collect());
    Ok(Json(out))
}

/// Changes to an open link.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLinkIn {
    /// New title (1–200 characters).
    pub title: Option<String>,
    /// New description; null clears it.
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// New RFC 3339 expiry in the future; null removes the expiry.
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub expires_at: Option<Option<String>>,
    /// Replaces the metadata object.
    #[serde(default, deserialize_with = "crate::api::json_object::unique_keys")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
}

/// Updates an open payment link.
#[utoipa::path(patch, path = "/v1/payment_links/{id}", tag = "payment_links", request_body = UpdateLinkIn,
    params(("id" = String, Path, description = "Link id")),
    responses((status = 200, body = LinkOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_payment_link(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateLinkIn>,
) -> ApiResult<Json<LinkOut>> {
    let patch = LinkPatch {
        title: body.title,
        description: body.description,
        expires_at: body.expires_at,
        metadata: body.metadata,
    };
    let link = links::update_link(&ctx, &actor, &id, patch).await?;
    Ok(Json(LinkOut::of(link, ctx.clock.now(), ctx.config.public_base())))
}

/// Cancels an open payment link (409 from a terminal state).
#[utoipa::path(post, path = "/v1/payment_links/{id}/cancel", tag = "payment_links",
    params(("id" = String, Path, description = "Link id")),
    responses((status = 200, body = LinkOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel_payment_link(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<LinkOut>> {
    let link = links::cancel_link(&ctx, &actor, &id).await?;
    Ok(Json(LinkOut::of(link, ctx.clock.now(), ctx.config.public_base())))
}

/// A page of links.
#[derive(serde::Serialize, ToSchema)]
pub struct LinkList {
    /// Always `list`.
    pub object: &'static str,
    /// The links of this page.
    pub data: Vec<LinkOut>,
    /// Whether more links follow.
    pub has_more: bool,
    /// Pass as `starting_after` for the next page.
    pub next_cursor: Option<String>,
    /// Total matching links (page mode).
    pub total: Option<i64>,
}

/// Lists the payment links the key can see.
#[utoipa::path(get, path = "/v1/payment_links", tag = "payment_links", params(ListInput),
    responses((status = 200, body = LinkList), (status = 400, body = ErrorBody)))]
pub async fn list_payment_links(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiQuery(input): ApiQuery<ListInput>,
) -> ApiResult<Json<LinkList>> {
    let page = links::list::list_links(&ctx, &actor, input).await?;
    let (now, base) = (ctx.clock.now(), ctx.config.public_base());
    let data: Vec<LinkOut> = page.items.into_iter().map(|l| LinkOut::of(l, now, base)).collect();
    let next_cursor = if page.has_more { data.last().map(|l| l.id.clone()) } else { None };
    Ok(Json(LinkList { object: "list", data, has_more: page.has_more, next_cursor, total: page.total }))
}
