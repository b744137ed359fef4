//! Payment method rows.

use super::columns::{Only, columns};
use super::conn::{Conn, DbError, Row};
use crate::domain::id::StoreId;
use crate::domain::method::{MethodKind, PaymentMethod};
use crate::domain::{Environment, Timestamp};
use crate::params;

columns! {
    /// The columns a payment method is read from, in row order.
    pub(crate) enum MethodCol {
        Id = "id", StoreId = "store_id", Environment = "environment", Kind = "kind", Name = "name",
        Connector = "connector", Enabled = "enabled", CreatedAt = "created_at", UpdatedAt = "updated_at",
    }
}

/// The payment method columns, comma-separated.
pub(crate) const COLUMNS: &str = MethodCol::LIST;

/// Decodes a row selected with [`COLUMNS`].
pub(crate) fn from_row(mut r: Row) -> Result<PaymentMethod, DbError> {
    use MethodCol as C;
    Ok(PaymentMethod {
        id: r.i64(C::Id)?,
        store_id: StoreId::from_trusted(r.take_text(C::StoreId)?),
        environment: Environment::parse(&r.take_text(C::Environment)?).ok_or(DbError::decode(C::Environment))?,
        kind: MethodKind::parse(&r.take_text(C::Kind)?).ok_or(DbError::decode(C::Kind))?,
        name: r.take_text(C::Name)?,
        connector: r.take_text(C::Connector)?,
        enabled: r.bool(C::Enabled)?,
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        updated_at: Timestamp::from_micros(r.i64(C::UpdatedAt)?),
    })
}

/// Adds an enabled method; returns it with its assigned id.
pub fn insert(
    c: &mut dyn Conn,
    store: &StoreId,
    env: Environment,
    kind: MethodKind,
    connector: &str,
    now: Timestamp,
) -> Result<PaymentMethod, DbError> {
    let sql = format!(
        "INSERT INTO payment_methods (store_id, environment, kind, name, connector, enabled, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING {COLUMNS}"
    );
    let values =
        params![store.as_str(), env.as_str(), kind.as_str(), kind.sandbox_name(), connector, true, now.micros()];
    c.query_opt(&sql, values)?.map(from_row).ok_or(DbError::Other("insert returned no row".into()))?
}

/// The store's method for payments recorded at the branch of this kind, created on first use.
/// It is disabled: payers never see it and links cannot offer it.
pub fn ensure_offline(
    c: &mut dyn Conn,
    store: &StoreId,
    env: Environment,
    kind: MethodKind,
    now: Timestamp,
) -> Result<i64, DbError> {
    let name = if kind == MethodKind::Cash { "Cash at the counter" } else { "Card terminal" };
    c.execute(
        "INSERT INTO payment_methods (store_id, environment, kind, name, connector, enabled, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, 'offline', ?5, ?6, ?6) \
         ON CONFLICT (store_id, environment, kind) WHERE connector = 'offline' DO NOTHING",
        params![store.as_str(), env.as_str(), kind.as_str(), name, false, now.micros()],
    )?;
    let sql = "SELECT id FROM payment_methods WHERE store_id = ?1 AND environment = ?2 AND kind = ?3 AND connector = 'offline'";
    c.query_opt(sql, params![store.as_str(), env.as_str(), kind.as_str()])?
        .ok_or_else(|| DbError::Other("offline method vanished".into()))?
        .i64(Only)
}

/// The methods of a store in one environment, by id.
pub fn list(c: &mut dyn Conn, store: &StoreId, env: Environment) -> Result<Vec<PaymentMethod>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM payment_methods WHERE store_id = ?1 AND environment = ?2 ORDER BY id");
    c.query(&sql, params![store.as_str(), env.as_str()])?.into_iter().map(from_row).collect()
}

/// One method of a store in one environment.
pub fn get(c: &mut dyn Conn, store: &StoreId, env: Environment, id: i64) -> Result<Option<PaymentMethod>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM payment_methods WHERE id = ?1 AND store_id = ?2 AND environment = ?3");
    c.query_opt(&sql, params![id, store.as_str(), env.as_str()])?.map(from_row).transpose()
}

/// Writes a method's name and enabled flag.
pub fn update(c: &mut dyn Conn, m: &PaymentMethod) -> Result<(), DbError> {
    let sql = "UPDATE payment_methods SET name = ?2, enabled = ?3, updated_at = ?4 WHERE id = ?1";
    c.execute(sql, params![m.id, m.name.as_str(), m.enabled, m.updated_at.micros()]).map(|_| ())
}
