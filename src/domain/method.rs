//! Payment methods ("integrations"): what a store accepts, per environment, through which
//! connector.

use super::id::StoreId;
use super::{Environment, Timestamp};

/// How the payer pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    Card,
    MobileMoney,
    Installments,
    Cash,
}

impl MethodKind {
    /// The kinds a payer can use online (every new store gets one sandbox method of each).
    pub const ONLINE: [MethodKind; 3] = [MethodKind::Card, MethodKind::MobileMoney, MethodKind::Installments];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MethodKind::Card => "card",
            MethodKind::MobileMoney => "mobile_money",
            MethodKind::Installments => "installments",
            MethodKind::Cash => "cash",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [MethodKind::Card, MethodKind::MobileMoney, MethodKind::Installments, MethodKind::Cash]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The default display name of a sandbox method of this kind.
    pub fn sandbox_name(self) -> &'static str {
        match self {
            MethodKind::Card => "Sandbox card",
            MethodKind::MobileMoney => "Sandbox mobile money",
            MethodKind::Installments => "Sandbox installments",
            MethodKind::Cash => "Cash",
        }
    }
}

/// A configured payment method of a store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentMethod {
    /// Numeric id, unique across stores (what some dialects call an integration id).
    pub id: i64,
    pub store_id: StoreId,
    pub environment: Environment,
    pub kind: MethodKind,
    pub name: String,
    /// The connector that carries payments of this method (`sandbox`).
    pub connector: String,
    pub enabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
