//! Merchants, stores, branches and users.

use super::columns::{Only, columns};
use super::conn::{Conn, DbError, Row};
use crate::domain::Timestamp;
use crate::domain::access::Role;
use crate::domain::id::{BranchId, MerchantId, StoreId, UserId};
use crate::domain::link::Language;
use crate::domain::money::Currency;
use crate::domain::tenancy::{Branch, Store, User};
use crate::params;

/// Inserts a merchant.
pub fn insert_merchant(c: &mut dyn Conn, id: &MerchantId, name: &str, now: Timestamp) -> Result<(), DbError> {
    c.execute(
        "INSERT INTO merchants (id, name, created_at) VALUES (?1, ?2, ?3)",
        params![id.as_str(), name, now.micros()],
    )
    .map(|_| ())
}

/// Inserts a store.
pub fn insert_store(c: &mut dyn Conn, s: &Store) -> Result<(), DbError> {
    let sql = "INSERT INTO stores (id, merchant_id, name, currency, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    c.execute(
        sql,
        params![s.id.as_str(), s.merchant_id.as_str(), s.name.as_str(), s.currency.code(), s.created_at.micros()],
    )
    .map(|_| ())
}

columns! {
    /// The columns a store is read from.
    enum StoreCol {
        Id = "id", MerchantId = "merchant_id", Name = "name", Currency = "currency", CreatedAt = "created_at",
    }
    const STORE_BY_ID = "SELECT " + COLUMNS + " FROM stores WHERE id = ?1";
}

/// Reads a store.
pub fn get_store(c: &mut dyn Conn, id: &StoreId) -> Result<Option<Store>, DbError> {
    use StoreCol as C;
    let Some(r) = c.query_opt(STORE_BY_ID, params![id.as_str()])? else { return Ok(None) };
    Ok(Some(Store {
        id: StoreId::from_trusted(r.text(C::Id)?),
        merchant_id: MerchantId::from_trusted(r.text(C::MerchantId)?),
        name: r.text(C::Name)?,
        currency: Currency::parse(&r.text(C::Currency)?).map_err(|_| DbError::decode(C::Currency))?,
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
    }))
}

/// Whether any merchant exists (first start detection).
pub fn any_merchant(c: &mut dyn Conn) -> Result<bool, DbError> {
    Ok(c.query_opt("SELECT id FROM merchants LIMIT 1", &[])?.is_some())
}

columns! {
    /// The columns a branch is read from.
    enum BranchCol {
        Id = "id", StoreId = "store_id", Code = "code", Name = "name", DisabledAt = "disabled_at",
        CreatedAt = "created_at", UpdatedAt = "updated_at",
    }
}

const BRANCH_COLUMNS: &str = BranchCol::LIST;

fn branch_from_row(r: &Row) -> Result<Branch, DbError> {
    use BranchCol as C;
    Ok(Branch {
        id: BranchId::from_trusted(r.text(C::Id)?),
        store_id: StoreId::from_trusted(r.text(C::StoreId)?),
        code: r.text(C::Code)?,
        name: r.text(C::Name)?,
        disabled_at: r.opt_i64(C::DisabledAt)?.map(Timestamp::from_micros),
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        updated_at: Timestamp::from_micros(r.i64(C::UpdatedAt)?),
    })
}

/// Inserts a branch (a duplicate code in the store raises `Unique`).
pub fn insert_branch(c: &mut dyn Conn, b: &Branch) -> Result<(), DbError> {
    let sql = "INSERT INTO branches (id, store_id, code, name, disabled_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?5)";
    c.execute(sql, params![b.id.as_str(), b.store_id.as_str(), b.code.as_str(), b.name.as_str(), b.created_at.micros()])
        .map(|_| ())
}

/// Finds a branch of a store by id or by code.
pub fn find_branch(c: &mut dyn Conn, store: &StoreId, id_or_code: &str) -> Result<Option<Branch>, DbError> {
    let sql = format!("SELECT {BRANCH_COLUMNS} FROM branches WHERE store_id = ?1 AND (id = ?2 OR code = ?2)");
    c.query_opt(&sql, params![store.as_str(), id_or_code])?.as_ref().map(branch_from_row).transpose()
}

/// Lists a store's branches by code.
pub fn list_branches(c: &mut dyn Conn, store: &StoreId) -> Result<Vec<Branch>, DbError> {
    let sql = format!("SELECT {BRANCH_COLUMNS} FROM branches WHERE store_id = ?1 ORDER BY code");
    c.query(&sql, params![store.as_str()])?.iter().map(branch_from_row).collect()
}

/// Renames or disables / re-enables a branch.
pub fn update_branch(c: &mut dyn Conn, b: &Branch) -> Result<(), DbError> {
    let sql = "UPDATE branches SET name = ?2, disabled_at = ?3, updated_at = ?4 WHERE id = ?1";
    c.execute(sql, params![b.id.as_str(), b.name.as_str(), b.disabled_at.map(|t| t.micros()), b.updated_at.micros()])
        .map(|_| ())
}

columns! {
    /// The columns a user is read from.
    pub(crate) enum UserCol {
        Id = "id", MerchantId = "merchant_id", Email = "email", Name = "name", Role = "role",
        BranchId = "branch_id", DisabledAt = "disabled_at", CreatedAt = "created_at", UpdatedAt = "updated_at",
        MustChangePassword = "must_change_password", Language = "language", TotpEnabledAt = "totp_enabled_at",
    }
}

pub(crate) const USER_COLUMNS: &str = UserCol::LIST;

pub(crate) fn user_from_row(r: &Row) -> Result<User, DbError> {
    use UserCol as C;
    Ok(User {
        id: UserId::from_trusted(r.text(C::Id)?),
        merchant_id: MerchantId::from_trusted(r.text(C::MerchantId)?),
        email: r.text(C::Email)?,
        name: r.text(C::Name)?,
        role: Role::parse(&r.text(C::Role)?).ok_or(DbError::decode(C::Role))?,
        branch_id: r.opt_text(C::BranchId)?.map(BranchId::from_trusted),
        disabled_at: r.opt_i64(C::DisabledAt)?.map(Timestamp::from_micros),
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        updated_at: Timestamp::from_micros(r.i64(C::UpdatedAt)?),
        must_change_password: r.bool(C::MustChangePassword)?,
        language: Language::parse(&r.text(C::Language)?).ok_or(DbError::decode(C::Language))?,
        two_factor_since: r.opt_i64(C::TotpEnabledAt)?.map(Timestamp::from_micros),
    })
}

/// Inserts a user with a password hash (a duplicate e-mail in the merchant raises `Unique`).
pub fn insert_user(c: &mut dyn Conn, u: &User, password_hash: &str) -> Result<(), DbError> {
    let sql = "INSERT INTO users (id, merchant_id, email, name, role, branch_id, password_hash, disabled_at, created_at, \
               updated_at, must_change_password, language) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, ?8, ?8, ?9, ?10)";
    let branch = u.branch_id.as_ref().map(|b| b.as_str());
    let values = params![
        u.id.as_str(),
        u.merchant_id.as_str(),
        u.email.as_str(),
        u.name.as_str(),
        u.role.as_str(),
        branch,
        password_hash,
        u.created_at.micros(),
        u.must_change_password,
        u.language.as_str()
    ];
    c.execute(sql, values).map(|_| ())
}

/// Reads a user of a merchant by id or e-mail.
pub fn find_user(c: &mut dyn Conn, merchant: &MerchantId, id_or_email: &str) -> Result<Option<User>, DbError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE merchant_id = ?1 AND (id = ?2 OR email = ?2)");
    c.query_opt(&sql, params![merchant.as_str(), id_or_email])?.as_ref().map(user_from_row).transpose()
}

/// Lists a merchant's users by e-mail.
pub fn list_users(c: &mut dyn Conn, merchant: &MerchantId) -> Result<Vec<User>, DbError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE merchant_id = ?1 ORDER BY email");
    c.query(&sql, params![merchant.as_str()])?.iter().map(user_from_row).collect()
}

/// Writes a user's name, role, branch and disabled state.
pub fn update_user(c: &mut dyn Conn, u: &User) -> Result<(), DbError> {
    let sql = "UPDATE users SET name = ?2, role = ?3, branch_id = ?4, disabled_at = ?5, updated_at = ?6 WHERE id = ?1";
    let branch = u.branch_id.as_ref().map(|b| b.as_str());
    c.execute(
        sql,
        params![
            u.id.as_str(),
            u.name.as_str(),
            u.role.as_str(),
            branch,
            u.disabled_at.map(|t| t.micros()),
            u.updated_at.micros()
        ],
    )
    .map(|_| ())
}

/// Whether a merchant exists.
pub fn merchant_exists(c: &mut dyn Conn, id: &MerchantId) -> Result<bool, DbError> {
    Ok(c.query_opt("SELECT id FROM merchants WHERE id = ?1", params![id.as_str()])?.is_some())
}

/// The merchant's oldest store.
pub fn first_store(c: &mut dyn Conn, merchant: &MerchantId) -> Result<Option<StoreId>, DbError> {
    let row = c.query_opt(
        "SELECT id FROM stores WHERE merchant_id = ?1 ORDER BY created_at, id LIMIT 1",
        params![merchant.as_str()],
    )?;
    row.map(|r| r.text(Only).map(StoreId::from_trusted)).transpose()
}

/// The merchant's stores that have a branch with this id or code, oldest first.
pub fn stores_with_branch(c: &mut dyn Conn, merchant: &MerchantId, id_or_code: &str) -> Result<Vec<StoreId>, DbError> {
    let sql = "SELECT s.id FROM stores s JOIN branches b ON b.store_id = s.id \
               WHERE s.merchant_id = ?1 AND (b.id = ?2 OR b.code = ?2) ORDER BY s.created_at, s.id";
    c.query(sql, params![merchant.as_str(), id_or_code])?
        .iter()
        .map(|r| r.text(Only).map(StoreId::from_trusted))
        .collect()
}

/// The store a branch belongs to.
pub fn branch_store(c: &mut dyn Conn, branch: &BranchId) -> Result<Option<StoreId>, DbError> {
    let row = c.query_opt("SELECT store_id FROM branches WHERE id = ?1", params![branch.as_str()])?;
    row.map(|r| r.text(Only).map(StoreId::from_trusted)).transpose()
}

/// Whether a store requires a second factor of its OWNER and ADMIN users at sign-in.
pub fn requires_second_factor(c: &mut dyn Conn, store: &StoreId) -> Result<bool, DbError> {
    let row = c.query_opt("SELECT require_2fa_admins FROM stores WHERE id = ?1", params![store.as_str()])?;
    row.map_or(Ok(false), |r| r.bool(Only))
}

/// Sets whether a store requires a second factor of its OWNER and ADMIN users.
pub fn set_requires_second_factor(c: &mut dyn Conn, store: &StoreId, required: bool) -> Result<(), DbError> {
    c.execute("UPDATE stores SET require_2fa_admins = ?2 WHERE id = ?1", params![store.as_str(), required]).map(|_| ())
}
