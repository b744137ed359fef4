//! The page every list returns, and the list query shared by the objects that live in a link's
//! scope (payments, refunds, notifications): `store_id = ?1 AND environment = ?2`, the links'
//! role scope over their `branch_id` / `link_created_by` columns, optional filters, and a
//! newest-first keyset page on `(created_at, id)`.

use super::columns::Only;
use super::conn::{Conn, DbError, Row, Value};
use crate::domain::Environment;
use crate::domain::Timestamp;
use crate::domain::access::Visibility;
use crate::domain::id::StoreId;

/// One page of a list, whatever it lists.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The rows of this page, in list order.
    pub items: Vec<T>,
    /// Whether more rows follow this page.
    pub has_more: bool,
    /// How many rows match in all (page and offset paging only: counting costs a query).
    pub total: Option<i64>,
}

impl<T> Page<T> {
    /// A page of nothing (a scope that holds nothing).
    pub fn empty() -> Self {
        Page { items: Vec::new(), has_more: false, total: None }
    }

    /// The page in `rows`, read with `LIMIT limit + 1`: the extra row only tells that more follow.
    pub fn of_one_more(mut rows: Vec<T>, limit: i64) -> Self {
        let has_more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        Page { items: rows, has_more, total: None }
    }

    /// The page in `rows`, read from row `offset` of `total` matching rows.
    pub fn counted(rows: Vec<T>, offset: i64, total: i64) -> Self {
        let has_more = offset.saturating_add(rows.len() as i64) < total;
        Page { items: rows, has_more, total: Some(total) }
    }
}

/// A `SELECT … WHERE …` being built, with numbered placeholders.
pub struct ScopedList {
    sql: String,
    values: Vec<Value>,
}

impl ScopedList {
    /// `SELECT {columns} FROM {table}` in one store and environment, narrowed to what
    /// `visibility` allows; `None` when it allows nothing.
    pub fn new(
        columns: &str,
        table: &str,
        (store, env): (&StoreId, Environment),
        visibility: &Visibility,
    ) -> Option<Self> {
        Self::with_creator(columns, table, (store, env), visibility, "link_created_by")
    }

    /// [`ScopedList::new`] for a table whose creator column is `creator` (`payment_links` names
    /// it `created_by`).
    pub fn with_creator(
        columns: &str,
        table: &str,
        (store, env): (&StoreId, Environment),
        visibility: &Visibility,
        creator: &str,
    ) -> Option<Self> {
        let sql = format!("SELECT {columns} FROM {table} WHERE store_id = ?1 AND environment = ?2");
        let mut list = ScopedList { sql, values: vec![store.as_str().into(), env.as_str().into()] };
        match visibility {
            Visibility::All => {}
            Visibility::Branch(b) => list.and(" AND branch_id = #", b.as_str().into()),
            Visibility::Own { branch_id, principal } => {
                list.and(" AND branch_id = #", branch_id.as_str().into());
                list.and(&format!(" AND {creator} = #"), principal.as_str().into());
            }
            Visibility::Nothing => return None,
        }
        Some(list)
    }

    /// Appends `clause`, its `#` standing for `value`'s placeholder.
    pub fn and(&mut self, clause: &str, value: Value) {
        self.values.push(value);
        self.sql.push_str(&clause.replace('#', &format!("?{}", self.values.len())));
    }

    /// Appends each clause whose value is present.
    pub fn filters<const N: usize>(&mut self, filters: [(&str, Option<Value>); N]) {
        for (clause, value) in filters {
            if let Some(v) = value {
                self.and(clause, v);
            }
        }
    }

    /// Starts the page after the row `(created_at, id)` (the cursor).
    pub fn after(&mut self, created_at: Timestamp, id: &str) {
        self.and(" AND (created_at, id) < (#", created_at.micros().into());
        self.and(", #)", id.into());
    }

    /// Runs it as built (an aggregate such as `SUM`), with `tail` (a `GROUP BY`) appended.
    pub fn rows(self, c: &mut dyn Conn, tail: &str) -> Result<Vec<Row>, DbError> {
        c.query(&format!("{}{tail}", self.sql), &self.values)
    }

    /// Runs it newest first: up to `limit` rows, and whether more follow.
    pub fn page<T>(
        mut self,
        c: &mut dyn Conn,
        limit: i64,
        decode: impl Fn(Row) -> Result<T, DbError>,
    ) -> Result<Page<T>, DbError> {
        self.values.push((limit + 1).into());
        let sql = format!("{} ORDER BY created_at DESC, id DESC LIMIT ?{}", self.sql, self.values.len());
        let rows = c.query(&sql, &self.values)?.into_iter().map(decode).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::of_one_more(rows, limit))
    }

    /// Runs it newest first skipping `offset` rows (limit/offset paging, for dialects that page so):
    /// up to `limit` rows, with how many rows match in all.
    pub fn offset_page<T>(
        mut self,
        c: &mut dyn Conn,
        limit: i64,
        offset: i64,
        decode: impl Fn(Row) -> Result<T, DbError>,
    ) -> Result<Page<T>, DbError> {
        let counted = format!("SELECT COUNT(*) FROM ({}) AS matching", self.sql);
        let total = c.query_opt(&counted, &self.values)?.map(|r| r.i64(Only)).transpose()?.unwrap_or(0);
        self.values.push(limit.into());
        self.values.push(offset.into());
        let n = self.values.len();
        let sql = format!("{} ORDER BY created_at DESC, id DESC LIMIT ?{} OFFSET ?{n}", self.sql, n - 1);
        let rows = c.query(&sql, &self.values)?.into_iter().map(decode).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::counted(rows, offset, total))
    }
}
