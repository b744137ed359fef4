//! Tenancy administration: merchants, stores, branches, users and API keys. Shared by the
//! `/v1` API (acting as an OWNER or ADMIN) and the operator CLI (acting on the database directly).

use super::{Conflict, Ctx, Result, ServiceError, secrets};
use crate::domain::access::{self, Action, Actor, Role};
use crate::domain::id::{BranchId, KeyId, MerchantId, StoreId, UserId};
use crate::domain::money::Currency;
use crate::domain::tenancy::{self, ApiKey, Branch, KeyBinding, Store, User};
use crate::domain::text::parse_email;
use crate::domain::{Environment, ErrorKind, Rule, Timestamp};
use crate::store::conn::{Conn, DbError};
use crate::store::{keys, tenancy as rows};

fn invalid(field: &str, msg: &str) -> ServiceError {
    ServiceError::field(field, ErrorKind::Invalid, msg)
}

/// Checks that the actor may administer the merchant (users, branches, keys, settings).
pub fn require_admin(actor: &Actor) -> Result<()> {
    if access::may(actor, Action::Administer) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden("this role cannot administer the merchant"))
    }
}

fn new_id<T>(now: Timestamp, make: fn(u64, [u8; 10]) -> T) -> T {
    let (ms, rnd) = secrets::id_parts(now);
    make(ms, rnd)
}

/// Creates a store for a merchant.
pub fn create_store(
    c: &mut dyn Conn,
    merchant: &MerchantId,
    name: &str,
    currency: &str,
    now: Timestamp,
) -> Result<Store> {
    let currency = Currency::parse(currency).map_err(|_| {
        ServiceError::rule("currency", ErrorKind::Currency, Rule::UnknownValue, "is not a supported currency")
    })?;
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Err(invalid("name", "must be 1 to 100 characters"));
    }
    let store = Store {
        id: new_id(now, StoreId::generate),
        merchant_id: merchant.clone(),
        name: name.trim().into(),
        currency,
        created_at: now,
    };
    rows::insert_store(c, &store)?;
    super::methods::seed_sandbox_methods(c, &store.id, now)?;
    Ok(store)
}

/// Creates a branch in a store.
pub fn create_branch(c: &mut dyn Conn, store: &StoreId, code: &str, name: &str, now: Timestamp) -> Result<Branch> {
    if !tenancy::valid_branch_code(code) {
        return Err(invalid("code", "must be 1 to 32 letters, digits, '-' or '_'"));
    }
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Err(invalid("name", "must be 1 to 100 characters"));
    }
    let branch = Branch {
        id: new_id(now, BranchId::generate),
        store_id: store.clone(),
        code: code.into(),
        name: name.trim().into(),
        disabled_at: None,
        created_at: now,
        updated_at: now,
    };
    rows::insert_branch(c, &branch).map_err(|e| match e {
        DbError::Unique(_) => {
            ServiceError::Conflict(Conflict::DuplicateBranchCode, "a branch with this code already exists".into())
        }
        other => other.into(),
    })?;
    Ok(branch)
}

/// A new user and the password generated for them (shown once).
pub struct CreatedUser {
    pub user: User,
    pub password: String,
}

/// The fields of a new user.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    /// Branch id or code (required for SUPERVISOR and CASHIER).
    pub branch: Option<&'a str>,
}

/// Creates a user of a merchant; the branch is looked up in `store`.
pub fn create_user(
    c: &mut dyn Conn,
    merchant: &MerchantId,
    store: &StoreId,
    u: NewUser<'_>,
    now: Timestamp,
) -> Result<CreatedUser> {
    let email = parse_email(u.email.trim()).ok_or_else(|| {
        ServiceError::rule("email", ErrorKind::Email, Rule::NotAnEmail, "is not a valid e-mail address")
    })?;
    let branch_id = branch_for_role(c, store, u.role, u.branch)?;
    let password = secrets::new_password();
    let name = if u.name.trim().is_empty() { email.clone() } else { u.name.trim().to_owned() };
    let user = User {
        id: new_id(now, UserId::generate),
        merchant_id: merchant.clone(),
        email: email.to_lowercase(),
        name,
        role: u.role,
        branch_id,
        disabled_at: None,
        created_at: now,
        updated_at: now,
        // The password is generated: its holder chooses their own at the first sign-in.
        must_change_password: true,
        language: crate::domain::link::Language::Ar,
        two_factor_since: None,
    };
    rows::insert_user(c, &user, &secrets::hash_password(&password)).map_err(|e| match e {
        DbError::Unique(_) => {
            ServiceError::Conflict(Conflict::DuplicateEmail, "a user with this e-mail already exists".into())
        }
        other => other.into(),
    })?;
    Ok(CreatedUser { user, password })
}

fn branch_for_role(c: &mut dyn Conn, store: &StoreId, role: Role, branch: Option<&str>) -> Result<Option<BranchId>> {
    let Some(code) = branch.filter(|b| !b.is_empty()) else {
        return if role.needs_branch() {
            Err(invalid("branch", "is required for SUPERVISOR and CASHIER"))
        } else {
            Ok(None)
        };
    };
    let found = rows::find_branch(c, store, code)?.ok_or_else(|| invalid("branch", "is not a branch of this store"))?;
    Ok(Some(found.id))
}

/// A new key and its secret (shown once).
pub struct CreatedKey {
    pub key: ApiKey,
    pub secret: String,
}

/// The fields of a new key.
pub struct NewKey<'a> {
    pub store: &'a StoreId,
    pub environment: Environment,
    pub name: &'a str,
    /// Bind to a user (id or e-mail) …
    pub user: Option<&'a str>,
    /// … or to a role, with a branch for branch roles.
    pub role: Option<Role>,
    pub branch: Option<&'a str>,
    pub expires_at: Option<Timestamp>,
}

/// Creates an API key. `merchant` scopes the user lookup; `created_by` is recorded.
pub fn create_key(
    c: &mut dyn Conn,
    merchant: &MerchantId,
    k: NewKey<'_>,
    created_by: Option<&str>,
    now: Timestamp,
) -> Result<CreatedKey> {
    let binding = match (k.user, k.role) {
        (Some(user), None) => {
            let u =
                rows::find_user(c, merchant, user)?.ok_or_else(|| invalid("user", "is not a user of this merchant"))?;
            KeyBinding::User(u.id)
        }
        (None, Some(role)) => KeyBinding::Role { role, branch_id: branch_for_role(c, k.store, role, k.branch)? },
        _ => return Err(invalid("role", "give exactly one of user or role")),
    };
    if k.expires_at.is_some_and(|at| at <= now) {
        return Err(ServiceError::rule("expires_at", ErrorKind::Expiry, Rule::InPast, "must be in the future"));
    }
    let secret = secrets::new_key_secret(k.environment.key_prefix());
    let key = ApiKey {
        id: new_id(now, KeyId::generate),
        store_id: k.store.clone(),
        environment: k.environment,
        name: if k.name.trim().is_empty() { "API key".into() } else { k.name.trim().chars().take(100).collect() },
        prefix: secret.chars().take(14).collect(),
        binding,
        expires_at: k.expires_at,
        revoked_at: None,
        last_used_at: None,
        created_at: now,
    };
    keys::insert(c, &key, &secrets::digest(&secret), created_by)?;
    Ok(CreatedKey { key, secret })
}

/// The role a key acts with (a user-bound key: the user's role).
pub fn key_role(c: &mut dyn Conn, merchant: &MerchantId, key: &ApiKey) -> Result<Role> {
    match &key.binding {
        KeyBinding::Role { role, .. } => Ok(*role),
        KeyBinding::User(u) => Ok(rows::find_user(c, merchant, u.as_str())?.map(|u| u.role).unwrap_or(Role::Owner)),
    }
}

/// Refuses an actor managing staff or keys of a role above them.
pub fn ensure_may_manage(actor: &Actor, target: Role) -> Result<()> {
    require_admin(actor)?;
    if access::may_manage_role(actor, target) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden("admins cannot manage owners"))
    }
}

/// Revokes a key (operator CLI or API).
pub fn revoke_key(c: &mut dyn Conn, id: &KeyId, now: Timestamp) -> Result<()> {
    if keys::revoke(c, id, now)? {
        Ok(())
    } else {
        Err(ServiceError::Conflict(Conflict::AlreadyRevoked, "the key is already revoked".into()))
    }
}

/// Runs an administrative write and clears the key cache afterwards (roles or keys changed).
pub async fn write_access_change<T: Send + 'static>(
    ctx: &Ctx,
    f: impl FnOnce(&mut dyn Conn) -> Result<T> + Send + 'static,
) -> Result<T> {
    let result = ctx.db.write(f).await;
    ctx.auth.clear();
    result
}

pub mod api;
