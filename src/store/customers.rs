//! Customer rows, and a customer's most recent links and payments. Every read is bounded by the
//! caller's scope in SQL (store, environment, branch), so an object outside it is never loaded.
//! Search (`q`) is a LIKE over a lower-cased `search_text` column: a store's customers are far
//! fewer than its links, so the (store, environment) index and, on PostgreSQL, a trigram index
//! suffice without the links' candidate counting.

use super::columns::{Only, columns};
use super::conn::{Conn, DbError, Row, Value};
use super::keyset::Page;
use crate::domain::access::Visibility;
use crate::domain::customer::{Customer, Details};
use crate::domain::id::{BranchId, CustomerId, StoreId};
use crate::domain::link::Link;
use crate::domain::payment::Payment;
use crate::domain::{Environment, Timestamp};
use crate::params;

columns! {
    /// The columns a customer is read from, in row order (and written in, by [`insert`]).
    enum CustomerCol {
        Id = "id", StoreId = "store_id", Environment = "environment", BranchId = "branch_id",
        CreatedBy = "created_by", Name = "name", Email = "email", Phone = "phone", Metadata = "metadata",
        CreatedAt = "created_at", UpdatedAt = "updated_at",
    }
}

const COLUMNS: &str = CustomerCol::LIST;

fn from_row(mut r: Row) -> Result<Customer, DbError> {
    use CustomerCol as C;
    Ok(Customer {
        id: CustomerId::from_trusted(r.take_text(C::Id)?),
        store_id: StoreId::from_trusted(r.take_text(C::StoreId)?),
        environment: Environment::parse(&r.take_text(C::Environment)?).ok_or(DbError::decode(C::Environment))?,
        branch_id: r.take_opt_text(C::BranchId)?.map(BranchId::from_trusted),
        created_by: r.take_text(C::CreatedBy)?,
        details: Details {
            name: r.take_text(C::Name)?,
            email: r.take_opt_text(C::Email)?,
            phone: r.take_opt_text(C::Phone)?,
            metadata: r.take_text(C::Metadata)?,
        },
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        updated_at: Timestamp::from_micros(r.i64(C::UpdatedAt)?),
    })
}

/// Inserts a new customer.
pub fn insert(c: &mut dyn Conn, cu: &Customer) -> Result<(), DbError> {
    let sql = format!(
        "INSERT INTO customers ({COLUMNS}, search_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
    );
    let d = &cu.details;
    let values = params![
        cu.id.as_str(),
        cu.store_id.as_str(),
        cu.environment.as_str(),
        cu.branch_id.as_ref().map(BranchId::as_str),
        cu.created_by.as_str(),
        d.name.as_str(),
        d.email.as_deref(),
        d.phone.as_deref(),
        d.metadata.as_str(),
        cu.created_at.micros(),
        cu.updated_at.micros(),
        d.search_text()
    ];
    c.execute(&sql, values).map(|_| ())
}

/// Where a scope's rows are: the store, the environment and, for a branch reach, the branch.
/// `None` when the scope holds nothing. Binds from `?{values.len() + 1}` on.
fn scope_clause(v: &Visibility, values: &mut Vec<Value>, branch: &str, creator: &str) -> Option<String> {
    let mut bind = |v: &str| {
        values.push(v.into());
        format!("?{}", values.len())
    };
    match v {
        Visibility::All => Some(String::new()),
        Visibility::Branch(b) => Some(format!(" AND {branch} = {}", bind(b.as_str()))),
        Visibility::Own { branch_id, principal } => {
            let (b, p) = (bind(branch_id.as_str()), bind(principal.as_str()));
            Some(format!(" AND {branch} = {b} AND {creator} = {p}"))
        }
        Visibility::Nothing => None,
    }
}

/// Reads a customer of the store and environment inside `scope`. With `lock` it takes the row
/// lock first (a no-op UPDATE of a non-key column, so links may still reference the customer
/// meanwhile): a concurrent PATCH waits and then reads this one's result instead of overwriting
/// it with stale fields. On SQLite the single writer already serialises writes.
pub fn get(
    c: &mut dyn Conn,
    (store, env): (&StoreId, Environment),
    scope: &Visibility,
    id: &CustomerId,
    lock: bool,
) -> Result<Option<Customer>, DbError> {
    let mut values: Vec<Value> = vec![id.as_str().into(), store.as_str().into(), env.as_str().into()];
    let Some(clause) = scope_clause(scope, &mut values, "branch_id", "created_by") else { return Ok(None) };
    let filter = format!("id = ?1 AND store_id = ?2 AND environment = ?3{clause}");
    let sql = match lock {
        true => format!("UPDATE customers SET updated_at = updated_at WHERE {filter} RETURNING {COLUMNS}"),
        false => format!("SELECT {COLUMNS} FROM customers WHERE {filter}"),
    };
    c.query_opt(&sql, &values)?.map(from_row).transpose()
}

/// Writes a customer's details and `updated_at`.
pub fn update(c: &mut dyn Conn, cu: &Customer) -> Result<(), DbError> {
    let sql = "UPDATE customers SET name = ?2, email = ?3, phone = ?4, metadata = ?5, search_text = ?6, \
               updated_at = ?7 WHERE id = ?1";
    let d = &cu.details;
    let values = params![
        cu.id.as_str(),
        d.name.as_str(),
        d.email.as_deref(),
        d.phone.as_deref(),
        d.metadata.as_str(),
        d.search_text(),
        cu.updated_at.micros()
    ];
    c.execute(sql, values).map(|_| ())
}

/// A checked list request.
#[derive(Clone, Debug)]
pub struct Query {
    pub store_id: StoreId,
    pub environment: Environment,
    pub scope: Visibility,
    /// Lower-cased search text.
    pub search: Option<String>,
    pub limit: i64,
    pub starting_after: Option<CustomerId>,
}

/// Lists customers newest first; `None` when `starting_after` is not a customer in this list's
/// scope.
pub fn list(c: &mut dyn Conn, q: &Query) -> Result<Option<Page<Customer>>, DbError> {
    let mut values: Vec<Value> = vec![q.store_id.as_str().into(), q.environment.as_str().into()];
    let Some(clause) = scope_clause(&q.scope, &mut values, "branch_id", "created_by") else {
        return Ok(Some(Page::empty()));
    };
    let mut sql = format!("SELECT {COLUMNS} FROM customers WHERE store_id = ?1 AND environment = ?2{clause}");
    if let Some(term) = &q.search {
        values.push(super::links::search::like_pattern(term).into());
        sql.push_str(&format!(" AND search_text LIKE ?{} ESCAPE '\\'", values.len()));
    }
    if let Some(cursor) = &q.starting_after {
        let Some(anchor) = get(c, (&q.store_id, q.environment), &q.scope, cursor, false)? else { return Ok(None) };
        values.push(anchor.created_at.micros().into());
        values.push(anchor.id.as_str().into());
        sql.push_str(&format!(" AND (created_at, id) < (?{}, ?{})", values.len() - 1, values.len()));
    }
    values.push((q.limit + 1).into());
    sql.push_str(&format!(" ORDER BY created_at DESC, id DESC LIMIT ?{}", values.len()));
    // Planned with the actual pattern, so PostgreSQL can choose the trigram index for a rare term.
    let rows = if q.search.is_some() { c.query_planned(&sql, &values)? } else { c.query(&sql, &values)? };
    let customers = rows.into_iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Page::of_one_more(customers, q.limit)))
}

/// Lists customers newest first skipping `offset` of them (limit/offset paging, for dialects
/// that page so; `starting_after` is not used): the page, with how many match in all.
pub fn list_offset(c: &mut dyn Conn, q: &Query, offset: i64) -> Result<Page<Customer>, DbError> {
    let mut values: Vec<Value> = vec![q.store_id.as_str().into(), q.environment.as_str().into()];
    let Some(clause) = scope_clause(&q.scope, &mut values, "branch_id", "created_by") else {
        return Ok(Page::counted(Vec::new(), offset, 0));
    };
    let mut filter = format!("store_id = ?1 AND environment = ?2{clause}");
    if let Some(term) = &q.search {
        values.push(super::links::search::like_pattern(term).into());
        filter.push_str(&format!(" AND search_text LIKE ?{} ESCAPE '\\'", values.len()));
    }
    let counted = format!("SELECT COUNT(*) FROM customers WHERE {filter}");
    let total = c.query_opt(&counted, &values)?.map_or(Ok(0), |r| r.i64(Only))?;
    values.push(q.limit.into());
    values.push(offset.into());
    let n = values.len();
    let sql = format!(
        "SELECT {COLUMNS} FROM customers WHERE {filter} ORDER BY created_at DESC, id DESC LIMIT ?{} OFFSET ?{n}",
        n - 1
    );
    let rows = if q.search.is_some() { c.query_planned(&sql, &values)? } else { c.query(&sql, &values)? };
    Ok(Page::counted(rows.into_iter().map(from_row).collect::<Result<Vec<_>, _>>()?, offset, total))
}

/// The customer's `limit` most recent links inside the links' scope `v`, newest first.
pub fn links_of(c: &mut dyn Conn, id: &CustomerId, v: &Visibility, limit: i64) -> Result<Vec<Link>, DbError> {
    let mut values: Vec<Value> = vec![id.as_str().into(), limit.into()];
    let Some(clause) = scope_clause(v, &mut values, "branch_id", "created_by") else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT {} FROM payment_links WHERE customer_id = ?1{clause} ORDER BY created_at DESC, id DESC LIMIT ?2",
        super::links::COLUMNS
    );
    c.query(&sql, &values)?.into_iter().map(super::links::from_row).collect()
}

/// The `limit` most recent payments of the customer's links inside the links' scope `v`.
pub fn payments_of(c: &mut dyn Conn, id: &CustomerId, v: &Visibility, limit: i64) -> Result<Vec<Payment>, DbError> {
    let mut values: Vec<Value> = vec![id.as_str().into(), limit.into()];
    let Some(clause) = scope_clause(v, &mut values, "branch_id", "link_created_by") else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT {} FROM payments WHERE link_id IN (SELECT id FROM payment_links WHERE customer_id = ?1){clause} \
         ORDER BY created_at DESC, id DESC LIMIT ?2",
        super::payments::COLUMNS
    );
    c.query(&sql, &values)?.into_iter().map(super::payments::from_row).collect()
}
