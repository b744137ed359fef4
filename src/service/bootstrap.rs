//! Merchant creation (CLI) and the first-start demo merchant. The demo is created at most once,
//! even by several instances starting together: a marker row with a fixed key is inserted in the
//! same transaction, and only one insert can win.

use super::admin::{NewKey, NewUser, create_branch, create_key, create_store, create_user};
use super::{Ctx, Result, ServiceError, secrets};
use crate::domain::access::Role;
use crate::domain::id::MerchantId;
use crate::domain::{Environment, ErrorKind, Timestamp};
use crate::params;
use crate::store::conn::{Conn, DbError};
use crate::store::tenancy;

/// Everything created for a new merchant, secrets included (shown once).
#[derive(Debug, serde::Serialize)]
pub struct NewMerchant {
    pub merchant_id: String,
    pub store_id: String,
    pub branch_id: Option<String>,
    pub branch_code: Option<String>,
    pub owner_user_id: String,
    pub owner_email: String,
    pub owner_password: String,
    pub sandbox_key_id: String,
    pub sandbox_key: String,
}

/// Creates a merchant with one store, its owner and a sandbox key bound to the owner.
pub fn create_merchant(
    c: &mut dyn Conn,
    name: &str,
    currency: &str,
    owner_email: &str,
    now: Timestamp,
) -> Result<NewMerchant> {
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Err(ServiceError::field("name", ErrorKind::Invalid, "must be 1 to 100 characters"));
    }
    let (ms, rnd) = secrets::id_parts(now);
    let merchant = MerchantId::generate(ms, rnd);
    tenancy::insert_merchant(c, &merchant, name.trim(), now)?;
    let store = create_store(c, &merchant, name, currency, now)?;
    let owner = NewUser { email: owner_email, name: "Owner", role: Role::Owner, branch: None };
    let owner = create_user(c, &merchant, &store.id, owner, now)?;
    let key = NewKey {
        store: &store.id,
        environment: Environment::Sandbox,
        name: "Sandbox key",
        user: Some(owner.user.id.as_str()),
        role: None,
        branch: None,
        expires_at: None,
    };
    let key = create_key(c, &merchant, key, None, now)?;
    Ok(NewMerchant {
        merchant_id: merchant.to_string(),
        store_id: store.id.to_string(),
        branch_id: None,
        branch_code: None,
        owner_user_id: owner.user.id.to_string(),
        owner_email: owner.user.email,
        owner_password: owner.password,
        sandbox_key_id: key.key.id.to_string(),
        sandbox_key: key.secret,
    })
}

/// On an empty database, creates the demo merchant (SAR store, one branch, owner, sandbox key)
/// and returns it; `None` when the database was bootstrapped before.
pub async fn bootstrap_if_empty(ctx: &Ctx) -> Result<Option<NewMerchant>> {
    let now = ctx.clock.now();
    ctx.db
        .write(move |c| {
            if tenancy::any_merchant(c)? {
                return Ok(None);
            }
            match c.execute("INSERT INTO bootstrap (id, created_at) VALUES (1, ?1)", params![now.micros()]) {
                Err(DbError::Unique(_)) => return Ok(None),
                other => other?,
            };
            let mut demo = create_merchant(c, "Demo Merchant", "SAR", "owner@example.com", now)?;
            let store = crate::domain::id::StoreId::from_trusted(demo.store_id.clone());
            let branch = create_branch(c, &store, "MAIN-001", "Main Branch", now)?;
            demo.branch_id = Some(branch.id.to_string());
            demo.branch_code = Some(branch.code);
            Ok(Some(demo))
        })
        .await
}
