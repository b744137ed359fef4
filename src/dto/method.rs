//! A payment method as the API shows it.

use crate::domain::Environment;
use crate::domain::method::{MethodKind, PaymentMethod};
use serde::Serialize;
use utoipa::ToSchema;

/// A payment method ("integration") of the store.
#[derive(Serialize, ToSchema)]
pub struct MethodOut {
    /// Numeric id (a link's allowed methods, and dialects that name methods by number, use it).
    pub id: i64,
    /// Always `payment_method`.
    pub object: &'static str,
    /// `card`, `mobile_money`, `installments` or `cash`.
    pub kind: MethodKind,
    /// Display name.
    pub name: String,
    /// The connector that carries its payments (`sandbox`).
    pub connector: String,
    /// `sandbox` or `production`.
    pub environment: Environment,
    /// Whether payers can use it.
    pub enabled: bool,
    /// Creation time.
    pub created_at: String,
}

impl From<PaymentMethod> for MethodOut {
    fn from(m: PaymentMethod) -> Self {
        MethodOut {
            id: m.id,
            object: "payment_method",
            kind: m.kind,
            name: m.name,
            connector: m.connector,
            environment: m.environment,
            enabled: m.enabled,
            created_at: m.created_at.to_rfc3339(),
        }
    }
}
