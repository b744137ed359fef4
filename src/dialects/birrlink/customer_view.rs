//! A customer as BirrLink shows it (seed 003's create response), and the `pagination` object
//! of BirrLink's lists. Customer ids are ours (`cus_…`) unchanged.

use super::refund_view::time;
use crate::domain::customer::Customer;
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

/// A customer of the store.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerData {
    /// Customer id (`cus_…`).
    #[schema(example = "cus_01JD8X3V9Q2W5E7R9T1Y3U5I7O")]
    pub id: String,
    /// E-mail address.
    #[schema(example = "customer@example.com")]
    pub email: Option<String>,
    /// Phone number in E.164 (`+251912345678`).
    #[schema(example = "+251912345678")]
    pub phone: Option<String>,
    /// Full name.
    #[schema(example = "John Doe")]
    pub name: String,
    /// Your own data; present when the customer has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Box<RawValue>>,
    /// When it was created (ISO 8601, UTC).
    pub created_at: String,
    /// When it last changed (ISO 8601, UTC).
    pub updated_at: String,
}

impl From<&Customer> for CustomerData {
    fn from(c: &Customer) -> Self {
        let d = &c.details;
        let metadata = d.metadata.trim();
        let metadata = (!metadata.is_empty() && metadata != "{}")
            .then(|| RawValue::from_string(d.metadata.clone()).ok())
            .flatten();
        CustomerData {
            id: c.id.to_string(),
            email: d.email.clone(),
            phone: d.phone.clone(),
            name: d.name.clone(),
            metadata,
            created_at: time(c.created_at),
            updated_at: time(c.updated_at),
        }
    }
}

/// A page of customers.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerPage {
    /// Newest first.
    pub customers: Vec<CustomerData>,
    /// Where this page sits.
    pub pagination: Pagination,
}

/// Where a page of a BirrLink list sits.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct Pagination {
    /// Page size asked (default 10, at most 100).
    #[schema(example = 10)]
    pub limit: i64,
    /// How many records were skipped.
    #[schema(example = 0)]
    pub offset: i64,
    /// How many records match the filters in all.
    #[schema(example = 1)]
    pub total: i64,
}
