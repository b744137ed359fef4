//! Reading the event log: newest first, filtered, in the actor's scope. Events carry no branch of
//! their own; a branch role sees the events about links (and payments and refunds of links, and
//! customers of its branch) in its scope.

use super::conn::{Conn, DbError, Value};
use super::events::stored_from_row as from_row;
use super::keyset::Page;
use crate::domain::access::Visibility;
use crate::domain::event::Event;
use crate::domain::id::{EventId, StoreId};
use crate::domain::{Environment, Timestamp};
use crate::params;

const COLUMNS: &str = super::events::EventCol::LIST;

/// A checked event list request.
#[derive(Clone, Debug)]
pub struct Query {
    pub store_id: StoreId,
    pub environment: Environment,
    pub visibility: Visibility,
    pub kind: Option<String>,
    pub object_id: Option<String>,
    /// Events of this link, of its payments and of their refunds.
    pub payment_link_id: Option<String>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    pub limit: i64,
    pub starting_after: Option<EventId>,
}

/// The scope clause: events about links, payments and refunds of links, and customers, the
/// actor can see (a CASHIER sees no customers).
fn scope(v: &Visibility, values: &mut Vec<Value>) -> Option<String> {
    let (links, of_links, customers) = match v {
        Visibility::All => return Some(String::new()),
        Visibility::Nothing => return None,
        Visibility::Branch(b) => {
            values.push(b.as_str().into());
            let p = values.len();
            let branch = format!("branch_id = ?{p}");
            (branch.clone(), branch.clone(), Some(branch))
        }
        Visibility::Own { branch_id, principal } => {
            values.push(branch_id.as_str().into());
            values.push(principal.as_str().into());
            let (b, u) = (values.len() - 1, values.len());
            (
                format!("branch_id = ?{b} AND created_by = ?{u}"),
                format!("branch_id = ?{b} AND link_created_by = ?{u}"),
                None,
            )
        }
    };
    let customers =
        customers.map(|c| format!(" OR object_id IN (SELECT id FROM customers WHERE {c})")).unwrap_or_default();
    Some(format!(
        " AND (object_id IN (SELECT id FROM payment_links WHERE {links}) \
         OR object_id IN (SELECT id FROM payments WHERE {of_links}) \
         OR object_id IN (SELECT id FROM refunds WHERE {of_links}){customers})"
    ))
}

/// The filter clauses of a list request.
fn filters(q: &Query, values: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    let filters: [(&str, Option<Value>); 4] = [
        ("type", q.kind.clone().map(Value::Text)),
        ("object_id", q.object_id.clone().map(Value::Text)),
        ("created_at >=", q.created_from.map(|t| Value::Int(t.micros()))),
        ("created_at <", q.created_to.map(|t| Value::Int(t.micros()))),
    ];
    for (column, value) in filters.into_iter().filter_map(|(c, v)| v.map(|v| (c, v))) {
        values.push(value);
        let op = if column.contains(' ') { "" } else { " =" };
        sql.push_str(&format!(" AND {column}{op} ?{}", values.len()));
    }
    if let Some(link) = &q.payment_link_id {
        values.push(link.as_str().into());
        sql.push_str(&link_family(values.len()));
    }
    sql
}

/// Events about a link, its payments and their refunds (the link's whole story); `?p` is the link
/// id. The subqueries follow `payments_by_link` and `refunds_by_payment`.
fn link_family(p: usize) -> String {
    format!(
        " AND (object_id = ?{p} \
         OR object_id IN (SELECT id FROM payments WHERE link_id = ?{p}) \
         OR object_id IN (SELECT id FROM refunds WHERE payment_id IN (SELECT id FROM payments WHERE link_id = ?{p})))"
    )
}

/// One page of events, newest first; `None` when the cursor is not an event of this list.
pub fn run(c: &mut dyn Conn, q: &Query) -> Result<Option<Page<Event>>, DbError> {
    let mut values: Vec<Value> = vec![q.store_id.as_str().into(), q.environment.as_str().into()];
    let Some(scope) = scope(&q.visibility, &mut values) else { return Ok(Some(Page::empty())) };
    let mut sql = format!("SELECT {COLUMNS} FROM events WHERE store_id = ?1 AND environment = ?2{scope}");
    sql.push_str(&filters(q, &mut values));
    if let Some(cursor) = &q.starting_after {
        let Some(anchor) = get(c, &q.store_id, q.environment, cursor)? else { return Ok(None) };
        values.push(anchor.created_at.micros().into());
        values.push(anchor.id.as_str().into());
        sql.push_str(&format!(" AND (created_at, id) < (?{}, ?{})", values.len() - 1, values.len()));
    }
    values.push((q.limit + 1).into());
    sql.push_str(&format!(" ORDER BY created_at DESC, id DESC LIMIT ?{}", values.len()));
    let events = c.query(&sql, &values)?.into_iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Page::of_one_more(events, q.limit)))
}

/// One event of a store and environment (scope is checked by the caller, through its object).
pub fn get(c: &mut dyn Conn, store: &StoreId, env: Environment, id: &EventId) -> Result<Option<Event>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM events WHERE id = ?1 AND store_id = ?2 AND environment = ?3");
    c.query_opt(&sql, params![id.as_str(), store.as_str(), env.as_str()])?.map(from_row).transpose()
}

/// Whether the actor's scope holds the event's object (see [`scope`]).
pub fn in_scope(c: &mut dyn Conn, v: &Visibility, object_id: &str) -> Result<bool, DbError> {
    let mut values: Vec<Value> = vec![object_id.into()];
    let Some(scope) = scope(v, &mut values) else { return Ok(false) };
    if scope.is_empty() {
        return Ok(true);
    }
    let sql = format!("SELECT 1 FROM (SELECT CAST(?1 AS TEXT) AS object_id) o WHERE 1 = 1{scope}");
    Ok(c.query_opt(&sql, &values)?.is_some())
}
