//! BirrLink customers: `POST /customers` as seed 003 documents it, and what its SDK implies
//! (`client.customers.update(id, …)`, docs/dialects.md) designed in its style: `GET /customers`
//! (limit/offset with `pagination`, `search`), `GET /customers/{id}` and
//! `PATCH /customers/{id}`. Each is the native customer service (`service::customers`): the
//! same checks, roles and `customer.*` events; ids are ours (`cus_…`).

use super::auth::BirrLinkActor;
use super::customer_view::{CustomerData, CustomerPage, Pagination};
use super::error::{BirrLinkError, BirrLinkResult, ErrorEnvelope, success};
use super::extract::{BirrLinkJson, BirrLinkQuery};
use crate::domain::customer::{CustomerDraft, CustomerPatch};
use crate::service::Ctx;
use crate::service::customers::{self, CustomerListInput, NewCustomer};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The customers routes (relative to the dialect's base path).
pub fn routes() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(create_customer, list_customers)).routes(routes!(get_customer, update_customer))
}

/// A new customer (seed 003).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomerIn {
    /// E-mail address.
    #[schema(example = "customer@example.com")]
    pub email: Option<String>,
    /// Phone number in international (E.164) format.
    #[schema(example = "+251912345678")]
    pub phone: Option<String>,
    /// Full name (required, at most 200 characters).
    #[schema(example = "John Doe")]
    pub name: Option<String>,
    /// Your own data (a JSON object, at most 50 keys and 4 KB).
    #[serde(default, deserialize_with = "crate::api::json_object::unique_keys")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
}

/// Creates a customer record.
#[utoipa::path(post, path = "/customers", tag = "customers", request_body = CustomerIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = inline(super::error::Success<CustomerData>)),
        (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_customer(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    BirrLinkJson(body): BirrLinkJson<CustomerIn>,
) -> BirrLinkResult<Response> {
    let draft = CustomerDraft { name: body.name, email: body.email, phone: body.phone, metadata: body.metadata };
    let customer = customers::create_customer(&ctx, &actor, NewCustomer { draft, branch: None }).await?;
    Ok(success(StatusCode::CREATED, CustomerData::from(&customer)))
}

/// `GET /customers` parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerListParams {
    /// Number of records to return (default 10, at most 100).
    pub limit: Option<i64>,
    /// Number of records to skip (default 0).
    pub offset: Option<i64>,
    /// Case-insensitive part of the name, phone or e-mail (at most 100 characters).
    pub search: Option<String>,
}

/// Lists the customers the key can see, newest first.
#[utoipa::path(get, path = "/customers", tag = "customers", params(CustomerListParams),
    responses((status = 200, body = inline(super::error::Success<CustomerPage>)),
        (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_customers(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    BirrLinkQuery(params): BirrLinkQuery<CustomerListParams>,
) -> BirrLinkResult<Response> {
    let (limit, offset) = (params.limit.unwrap_or(10), params.offset.unwrap_or(0));
    let input = CustomerListInput { q: params.search, limit: Some(limit), starting_after: None };
    let (found, total) = customers::list_customers_at(&ctx, &actor, input, offset).await.map_err(|e| match e {
        crate::service::ServiceError::Invalid(mut errors) => {
            errors.iter_mut().filter(|e| e.field == "q").for_each(|e| e.field = "search".to_owned());
            BirrLinkError::from(crate::service::ServiceError::Invalid(errors))
        }
        other => BirrLinkError::from(other),
    })?;
    let customers = found.iter().map(CustomerData::from).collect();
    Ok(success(StatusCode::OK, CustomerPage { customers, pagination: Pagination { limit, offset, total } }))
}

/// Retrieves a customer.
#[utoipa::path(get, path = "/customers/{customer_id}", tag = "customers",
    params(("customer_id" = String, Path, description = "Customer id (`cus_…`)")),
    responses((status = 200, body = inline(super::error::Success<CustomerData>)),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_customer(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    Path(customer_id): Path<String>,
) -> BirrLinkResult<Response> {
    let view = customers::get_customer(&ctx, &actor, &customer_id).await?;
    Ok(success(StatusCode::OK, CustomerData::from(&view.customer)))
}

/// Changes to a customer: a field left out stays as it is; `null` clears `email`, `phone` or
/// `metadata` (a name cannot be cleared).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomerUpdateIn {
    /// New e-mail address, or `null`.
    #[serde(default, deserialize_with = "crate::api::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// New phone number (E.164), or `null`.
    #[serde(default, deserialize_with = "crate::api::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// New full name.
    #[serde(default, deserialize_with = "crate::api::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// New data, replacing the old (a JSON object), or `null` to clear it.
    #[serde(default, deserialize_with = "crate::api::json_object::nullable_unique_keys")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<serde_json::Value>>,
}

/// Updates a customer (what BirrLink's SDK calls `client.customers.update(id, …)`).
#[utoipa::path(patch, path = "/customers/{customer_id}", tag = "customers", request_body = CustomerUpdateIn,
    params(("customer_id" = String, Path, description = "Customer id (`cus_…`)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = inline(super::error::Success<CustomerData>)),
        (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)))]
pub async fn update_customer(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    Path(customer_id): Path<String>,
    BirrLinkJson(body): BirrLinkJson<CustomerUpdateIn>,
) -> BirrLinkResult<Response> {
    if matches!(body.name, Some(None)) {
        return Err(BirrLinkError::validation("name", "cannot be cleared"));
    }
    let patch = CustomerPatch { name: body.name, email: body.email, phone: body.phone, metadata: body.metadata };
    let customer = customers::update_customer(&ctx, &actor, &customer_id, patch).await?;
    Ok(success(StatusCode::OK, CustomerData::from(&customer)))
}
