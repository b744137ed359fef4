//! Merchants, stores, branches, staff users and API keys.

use super::access::Role;
use super::id::{BranchId, KeyId, MerchantId, StoreId, UserId};
use super::money::Currency;
use super::{Environment, Timestamp};

/// A store of a merchant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    pub id: StoreId,
    pub merchant_id: MerchantId,
    pub name: String,
    pub currency: Currency,
    pub created_at: Timestamp,
}

/// A branch of a store (`RIYADH-001`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Branch {
    pub id: BranchId,
    pub store_id: StoreId,
    pub code: String,
    pub name: String,
    pub disabled_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A staff user with one role in the merchant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub merchant_id: MerchantId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub branch_id: Option<BranchId>,
    pub disabled_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The password was generated (or reset) for the user: they set their own at sign-in.
    pub must_change_password: bool,
    /// The dashboard's language for this user.
    pub language: super::link::Language,
    /// When the user turned a second factor (TOTP) on, if they did.
    pub two_factor_since: Option<Timestamp>,
}

/// Whom a key acts as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyBinding {
    /// The key acts with this user's role and branch.
    User(UserId),
    /// A service key with a role (and a branch for branch roles).
    Role { role: Role, branch_id: Option<BranchId> },
}

/// An API key's record; the secret itself is never stored, only its digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: KeyId,
    pub store_id: StoreId,
    pub environment: Environment,
    pub name: String,
    /// The first characters of the secret, for recognising it in lists.
    pub prefix: String,
    pub binding: KeyBinding,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// Checks a branch code: 1 to 32 of `A-Z a-z 0-9 - _`.
pub fn valid_branch_code(code: &str) -> bool {
    (1..=32).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
