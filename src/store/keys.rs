//! API keys: stored by digest only. Authentication is one indexed lookup that also brings the
//! merchant and, for user-bound keys, the user's current role, branch and state.

use super::columns::columns;
use super::conn::{Conn, DbError, Row};
use crate::domain::access::{Actor, Role};
use crate::domain::id::{BranchId, KeyId, MerchantId, StoreId, UserId};
use crate::domain::tenancy::{ApiKey, KeyBinding};
use crate::domain::{Environment, Timestamp};
use crate::params;

columns! {
    /// The columns a key is read from, in row order.
    enum KeyCol {
        Id = "id", StoreId = "store_id", Environment = "environment", Name = "name", Prefix = "prefix",
        UserId = "user_id", Role = "role", BranchId = "branch_id", ExpiresAt = "expires_at",
        RevokedAt = "revoked_at", LastUsedAt = "last_used_at", CreatedAt = "created_at",
    }
}

const COLUMNS: &str = KeyCol::LIST;

fn from_row(r: &Row) -> Result<ApiKey, DbError> {
    use KeyCol as C;
    let binding = match (r.opt_text(C::UserId)?, r.opt_text(C::Role)?) {
        (Some(user), _) => KeyBinding::User(UserId::from_trusted(user)),
        (None, Some(role)) => KeyBinding::Role {
            role: Role::parse(&role).ok_or(DbError::decode(C::Role))?,
            branch_id: r.opt_text(C::BranchId)?.map(BranchId::from_trusted),
        },
        (None, None) => return Err(DbError::decode(C::UserId)),
    };
    Ok(ApiKey {
        id: KeyId::from_trusted(r.text(C::Id)?),
        store_id: StoreId::from_trusted(r.text(C::StoreId)?),
        environment: Environment::parse(&r.text(C::Environment)?).ok_or(DbError::decode(C::Environment))?,
        name: r.text(C::Name)?,
        prefix: r.text(C::Prefix)?,
        binding,
        expires_at: r.opt_i64(C::ExpiresAt)?.map(Timestamp::from_micros),
        revoked_at: r.opt_i64(C::RevokedAt)?.map(Timestamp::from_micros),
        last_used_at: r.opt_i64(C::LastUsedAt)?.map(Timestamp::from_micros),
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
    })
}

/// Inserts a key record with the digest of its secret.
pub fn insert(c: &mut dyn Conn, k: &ApiKey, digest: &str, created_by: Option<&str>) -> Result<(), DbError> {
    let (user, role, branch) = match &k.binding {
        KeyBinding::User(u) => (Some(u.as_str()), None, None),
        KeyBinding::Role { role, branch_id } => (None, Some(role.as_str()), branch_id.as_ref().map(|b| b.as_str())),
    };
    let sql = "INSERT INTO api_keys (id, store_id, environment, name, digest, prefix, user_id, role, branch_id, expires_at, \
               revoked_at, last_used_at, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, NULL, ?11, ?12)";
    let values = params![
        k.id.as_str(),
        k.store_id.as_str(),
        k.environment.as_str(),
        k.name.as_str(),
        digest,
        k.prefix.as_str(),
        user,
        role,
        branch,
        k.expires_at.map(|t| t.micros()),
        created_by,
        k.created_at.micros()
    ];
    c.execute(sql, values).map(|_| ())
}

/// A key found by its digest, with what authentication needs to decide.
pub struct KeyLookup {
    pub actor: Actor,
    pub expires_at: Option<Timestamp>,
    pub revoked: bool,
    /// The bound user is disabled.
    pub user_disabled: bool,
}

columns! {
    /// The columns of a key lookup: the key, its store's merchant and its bound user.
    enum LookupCol {
        Id = "k.id", StoreId = "k.store_id", Environment = "k.environment", Role = "k.role",
        BranchId = "k.branch_id", UserId = "k.user_id", ExpiresAt = "k.expires_at", RevokedAt = "k.revoked_at",
        MerchantId = "s.merchant_id", UserRole = "u.role", UserBranchId = "u.branch_id",
        UserDisabledAt = "u.disabled_at",
    }
    const BY_DIGEST = "SELECT " + COLUMNS + " FROM api_keys k JOIN stores s ON s.id = k.store_id \
        LEFT JOIN users u ON u.id = k.user_id WHERE k.digest = ?1";
    const BY_ID = "SELECT " + COLUMNS + " FROM api_keys k JOIN stores s ON s.id = k.store_id \
        LEFT JOIN users u ON u.id = k.user_id WHERE k.id = ?1";
}

/// Finds the key with this digest and the actor it stands for.
pub fn find_by_digest(c: &mut dyn Conn, digest: &str) -> Result<Option<KeyLookup>, DbError> {
    let Some(r) = c.query_opt(BY_DIGEST, params![digest])? else { return Ok(None) };
    lookup_from_row(&r).map(Some)
}

/// Finds a key by id and the actor it stands for (a dialect's auth token names its key by id).
pub fn find_by_id(c: &mut dyn Conn, id: &KeyId) -> Result<Option<KeyLookup>, DbError> {
    let Some(r) = c.query_opt(BY_ID, params![id.as_str()])? else { return Ok(None) };
    lookup_from_row(&r).map(Some)
}

fn lookup_from_row(r: &Row) -> Result<KeyLookup, DbError> {
    use LookupCol as C;
    let user_id = r.opt_text(C::UserId)?;
    let (role, branch) = match &user_id {
        Some(_) => (r.text(C::UserRole)?, r.opt_text(C::UserBranchId)?),
        None => (r.text(C::Role)?, r.opt_text(C::BranchId)?),
    };
    let actor = Actor {
        merchant_id: MerchantId::from_trusted(r.text(C::MerchantId)?),
        store_id: StoreId::from_trusted(r.text(C::StoreId)?),
        environment: Environment::parse(&r.text(C::Environment)?).ok_or(DbError::decode(C::Environment))?,
        role: Role::parse(&role).ok_or(DbError::decode(C::Role))?,
        branch_id: branch.map(BranchId::from_trusted),
        user_id: user_id.map(UserId::from_trusted),
        key_id: Some(KeyId::from_trusted(r.text(C::Id)?)),
    };
    Ok(KeyLookup {
        actor,
        expires_at: r.opt_i64(C::ExpiresAt)?.map(Timestamp::from_micros),
        revoked: r.opt_i64(C::RevokedAt)?.is_some(),
        user_disabled: r.opt_i64(C::UserDisabledAt)?.is_some(),
    })
}

/// Reads a key of a store.
pub fn get(c: &mut dyn Conn, store: &StoreId, id: &KeyId) -> Result<Option<ApiKey>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?1 AND store_id = ?2");
    c.query_opt(&sql, params![id.as_str(), store.as_str()])?.as_ref().map(from_row).transpose()
}

/// Reads a key by id alone (operator CLI).
pub fn get_any(c: &mut dyn Conn, id: &KeyId) -> Result<Option<ApiKey>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?1");
    c.query_opt(&sql, params![id.as_str()])?.as_ref().map(from_row).transpose()
}

/// Lists a store's keys in one environment, newest first.
pub fn list(c: &mut dyn Conn, store: &StoreId, env: Environment) -> Result<Vec<ApiKey>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM api_keys WHERE store_id = ?1 AND environment = ?2 ORDER BY created_at DESC, id DESC"
    );
    c.query(&sql, params![store.as_str(), env.as_str()])?.iter().map(from_row).collect()
}

/// Renames a key.
pub fn rename(c: &mut dyn Conn, id: &KeyId, name: &str) -> Result<(), DbError> {
    c.execute("UPDATE api_keys SET name = ?2 WHERE id = ?1", params![id.as_str(), name]).map(|_| ())
}

/// Revokes a key; false when it was already revoked.
pub fn revoke(c: &mut dyn Conn, id: &KeyId, now: Timestamp) -> Result<bool, DbError> {
    let sql = "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";
    Ok(c.execute(sql, params![id.as_str(), now.micros()])? == 1)
}

/// Records that a key was used (written at most once a minute per key by the caller).
pub fn touch(c: &mut dyn Conn, id: &KeyId, now: Timestamp) -> Result<(), DbError> {
    c.execute("UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1", params![id.as_str(), now.micros()]).map(|_| ())
}
