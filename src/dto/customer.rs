//! The customer as the API shows it; the same shape is the snapshot in `customer.*` events.

use crate::domain::Environment;
use crate::domain::customer::Customer;
use crate::dto::link::LinkOut;
use crate::dto::payment::PaymentOut;
use serde::Serialize;
use utoipa::ToSchema;

/// A customer of the store.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOut {
    /// Customer id (`cus_…`).
    pub id: String,
    /// Always `customer`.
    pub object: &'static str,
    /// `sandbox` or `production`.
    pub environment: Environment,
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// E.164 phone number.
    pub phone: Option<String>,
    /// The merchant's key-value data.
    #[schema(value_type = Object)]
    pub metadata: Box<serde_json::value::RawValue>,
    /// Branch the customer was created in (null: store-wide, seen by store-wide roles only).
    pub branch_id: Option<String>,
    /// User (or service key) that created it.
    pub created_by: String,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// The customer's 20 most recent links the key can see, newest first (in
    /// `GET /v1/customers/{id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<LinkOut>>,
    /// The 20 most recent payments of those links the key can see, newest first (in
    /// `GET /v1/customers/{id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payments: Option<Vec<PaymentOut>>,
}

impl CustomerOut {
    /// The view of a customer (copies it), without links and payments.
    pub fn new(c: &Customer) -> Self {
        let d = &c.details;
        CustomerOut {
            id: c.id.to_string(),
            object: "customer",
            environment: c.environment,
            name: d.name.clone(),
            email: d.email.clone(),
            phone: d.phone.clone(),
            // Stored metadata is a validated JSON object: pass its text through unparsed.
            metadata: serde_json::value::RawValue::from_string(d.metadata.clone())
                .unwrap_or_else(|_| serde_json::value::RawValue::from_string("{}".into()).expect("{} is JSON")),
            branch_id: c.branch_id.as_ref().map(ToString::to_string),
            created_by: c.created_by.clone(),
            created_at: c.created_at.to_rfc3339(),
            updated_at: c.updated_at.to_rfc3339(),
            links: None,
            payments: None,
        }
    }
}
