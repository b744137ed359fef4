//! Branches, users and API keys as the API shows them. Secrets appear only in the creation
//! responses, never in these shapes.

use crate::domain::access::Role;
use crate::domain::tenancy::{ApiKey, Branch, KeyBinding, User};
use crate::domain::{Environment, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

/// A branch of the store.
#[derive(Serialize, ToSchema)]
pub struct BranchOut {
    /// Branch id (`br_…`).
    pub id: String,
    /// Always `branch`.
    pub object: &'static str,
    /// Code used by staff and dialects (`RIYADH-001`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Whether the branch is disabled.
    pub disabled: bool,
    /// Creation time.
    pub created_at: String,
}

impl From<&Branch> for BranchOut {
    fn from(b: &Branch) -> Self {
        BranchOut {
            id: b.id.to_string(),
            object: "branch",
            code: b.code.clone(),
            name: b.name.clone(),
            disabled: b.disabled_at.is_some(),
            created_at: b.created_at.to_rfc3339(),
        }
    }
}

/// A staff user.
#[derive(Serialize, ToSchema)]
pub struct UserOut {
    /// User id (`usr_…`).
    pub id: String,
    /// Always `user`.
    pub object: &'static str,
    /// Login e-mail.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role in the merchant.
    pub role: Role,
    /// Branch (SUPERVISOR, CASHIER).
    pub branch_id: Option<String>,
    /// Whether the user is disabled (their keys stop working).
    pub disabled: bool,
    /// Creation time.
    pub created_at: String,
}

impl From<&User> for UserOut {
    fn from(u: &User) -> Self {
        UserOut {
            id: u.id.to_string(),
            object: "user",
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role,
            branch_id: u.branch_id.as_ref().map(ToString::to_string),
            disabled: u.disabled_at.is_some(),
            created_at: u.created_at.to_rfc3339(),
        }
    }
}

/// An API key (never its secret).
#[derive(Serialize, ToSchema)]
pub struct KeyOut {
    /// Key id (`key_…`).
    pub id: String,
    /// Always `api_key`.
    pub object: &'static str,
    /// Display name.
    pub name: String,
    /// `sandbox` or `production`.
    pub environment: Environment,
    /// The first characters of the secret.
    pub prefix: String,
    /// The user the key acts as.
    pub user_id: Option<String>,
    /// The role of a service key.
    pub role: Option<Role>,
    /// The branch of a branch-role service key.
    pub branch_id: Option<String>,
    /// Expiry, if any.
    pub expires_at: Option<String>,
    /// Revocation time, if revoked.
    pub revoked_at: Option<String>,
    /// Last use (updated at most once a minute).
    pub last_used_at: Option<String>,
    /// Creation time.
    pub created_at: String,
}

impl From<&ApiKey> for KeyOut {
    fn from(k: &ApiKey) -> Self {
        let (user_id, role, branch_id) = match &k.binding {
            KeyBinding::User(u) => (Some(u.to_string()), None, None),
            KeyBinding::Role { role, branch_id } => (None, Some(*role), branch_id.as_ref().map(ToString::to_string)),
        };
        KeyOut {
            id: k.id.to_string(),
            object: "api_key",
            name: k.name.clone(),
            environment: k.environment,
            prefix: k.prefix.clone(),
            user_id,
            role,
            branch_id,
            expires_at: k.expires_at.map(Timestamp::to_rfc3339),
            revoked_at: k.revoked_at.map(Timestamp::to_rfc3339),
            last_used_at: k.last_used_at.map(Timestamp::to_rfc3339),
            created_at: k.created_at.to_rfc3339(),
        }
    }
}

/// A list of objects.
#[derive(Serialize, ToSchema)]
pub struct ListOf<T: ToSchema> {
    /// Always `list`.
    pub object: &'static str,
    /// The objects.
    pub data: Vec<T>,
}

impl<T: ToSchema> ListOf<T> {
    /// Wraps objects as a list.
    pub fn new(data: Vec<T>) -> Self {
        ListOf { object: "list", data }
    }
}
