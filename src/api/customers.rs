//! `/v1/customers`: thin handlers. Extract, convert, call one service function, convert back.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Auth};
use crate::domain::customer::{CustomerDraft, CustomerPatch};
use crate::dto::customer::CustomerOut;
use crate::dto::link::LinkOut;
use crate::dto::payment::PaymentOut;
use crate::service::Ctx;
use crate::service::customers::{self, CustomerListInput, NewCustomer};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(create_customer, list_customers)).routes(routes!(get_customer, update_customer))
}

/// A new customer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCustomerIn {
    /// Full name (1–200 characters).
    pub name: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// E.164 phone number (`+966501234567`).
    pub phone: Option<String>,
    /// Your key-value data (object, ≤ 50 keys, ≤ 4 KiB).
    #[serde(default, deserialize_with = "crate::api::json_object::unique_keys")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
    /// Branch id or code (a SUPERVISOR: their own branch, the default).
    pub branch: Option<String>,
}

/// Creates a customer.
#[utoipa::path(post, path = "/v1/customers", tag = "customers", request_body = CreateCustomerIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = CustomerOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_customer(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<CreateCustomerIn>,
) -> ApiResult<(StatusCode, Json<CustomerOut>)> {
    let draft = CustomerDraft { name: body.name, email: body.email, phone: body.phone, metadata: body.metadata };
    let customer = customers::create_customer(&ctx, &actor, NewCustomer { draft, branch: body.branch }).await?;
    Ok((StatusCode::CREATED, Json(CustomerOut::new(&customer))))
}

/// Reads a customer with their 20 most recent links and the 20 most recent payments of those
/// links (as far as the key can see the links).
#[utoipa::path(get, path = "/v1/customers/{id}", tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, body = CustomerOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_customer(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CustomerOut>> {
    let view = customers::get_customer(&ctx, &actor, &id).await?;
    let (now, base) = (ctx.clock.now(), ctx.config.public_base());
    let mut out = CustomerOut::new(&view.customer);
    out.links = Some(view.links.into_iter().map(|l| LinkOut::of(l, now, base)).collect());
    out.payments = Some(view.payments.iter().map(|p| PaymentOut::new(p, base)).collect());
    Ok(Json(out))
}

/// Changes to a customer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomerIn {
    /// New name (1–200 characters); cannot be null.
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// New e-mail address; null clears it.
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// New E.164 phone number; null clears it.
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// Replaces the metadata object; null empties it.
    #[serde(default, deserialize_with = "crate::api::json_object::nullable_unique_keys")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<serde_json::Value>>,
}

/// Updates a customer. Links already made for them keep the details they were made with.
#[utoipa::path(patch, path = "/v1/customers/{id}", tag = "customers", request_body = UpdateCustomerIn,
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, body = CustomerOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn update_customer(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateCustomerIn>,
) -> ApiResult<Json<CustomerOut>> {
    let patch = CustomerPatch { name: body.name, email: body.email, phone: body.phone, metadata: body.metadata };
    let customer = customers::update_customer(&ctx, &actor, &id, patch).await?;
    Ok(Json(CustomerOut::new(&customer)))
}

/// A page of customers.
#[derive(serde::Serialize, ToSchema)]
pub struct CustomerList {
    /// Always `list`.
    pub object: &'static str,
    /// The customers of this page.
    pub data: Vec<CustomerOut>,
    /// Whether more customers follow.
    pub has_more: bool,
    /// Pass as `starting_after` for the next page.
    pub next_cursor: Option<String>,
}

/// Lists the customers the key can see, newest first; `q` searches name, phone and e-mail.
#[utoipa::path(get, path = "/v1/customers", tag = "customers", params(CustomerListInput),
    responses((status = 200, body = CustomerList), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_customers(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiQuery(input): ApiQuery<CustomerListInput>,
) -> ApiResult<Json<CustomerList>> {
    let page = customers::list_customers(&ctx, &actor, input).await?;
    let data: Vec<CustomerOut> = page.items.iter().map(CustomerOut::new).collect();
    let next_cursor = if page.has_more { data.last().map(|c| c.id.clone()) } else { None };
    Ok(Json(CustomerList { object: "list", data, has_more: page.has_more, next_cursor }))
}
