//! Reading the audit log: one merchant's entries, newest first, filtered, in one environment plus
//! the entries that have none (users belong to both).

use super::super::conn::{Conn, DbError, Value};
use super::super::keyset::Page;
use super::{COLUMNS, StoredAudit, from_row};
use crate::domain::audit::AuditId;
use crate::domain::id::MerchantId;
use crate::domain::{Environment, Timestamp};
use crate::params;

/// A checked audit log request.
#[derive(Clone, Debug)]
pub struct Query {
    pub merchant_id: MerchantId,
    pub environment: Environment,
    pub action: Option<String>,
    pub object_id: Option<String>,
    /// A principal (`usr_…`, `key_…`, `cli`) or the key it acted with.
    pub actor: Option<String>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    pub limit: i64,
    pub starting_after: Option<AuditId>,
}

const SCOPE: &str = "merchant_id = ?1 AND (environment = ?2 OR environment IS NULL)";

/// One page of entries, newest first; `None` when the cursor is not an entry of this log.
pub fn run(c: &mut dyn Conn, q: &Query) -> Result<Option<Page<StoredAudit>>, DbError> {
    let mut values: Vec<Value> = vec![q.merchant_id.as_str().into(), q.environment.as_str().into()];
    let mut sql = format!("SELECT {COLUMNS} FROM audit_log WHERE {SCOPE}");
    let filters: [(&str, Option<Value>); 4] = [
        ("action = ?", q.action.clone().map(Value::Text)),
        ("object_id = ?", q.object_id.clone().map(Value::Text)),
        ("created_at >= ?", q.created_from.map(|t| Value::Int(t.micros()))),
        ("created_at < ?", q.created_to.map(|t| Value::Int(t.micros()))),
    ];
    for (clause, value) in filters.into_iter().filter_map(|(c, v)| v.map(|v| (c, v))) {
        values.push(value);
        sql.push_str(&format!(" AND {clause}{}", values.len()));
    }
    if let Some(actor) = &q.actor {
        values.push(actor.as_str().into());
        let n = values.len();
        sql.push_str(&format!(" AND (actor_id = ?{n} OR actor_key_id = ?{n})"));
    }
    if let Some(cursor) = &q.starting_after {
        let Some(anchor) = get(c, &q.merchant_id, q.environment, cursor)? else { return Ok(None) };
        values.push(anchor.entry.created_at.micros().into());
        values.push(anchor.entry.id.as_str().into());
        sql.push_str(&format!(" AND (created_at, id) < (?{}, ?{})", values.len() - 1, values.len()));
    }
    values.push((q.limit + 1).into());
    sql.push_str(&format!(" ORDER BY created_at DESC, id DESC LIMIT ?{}", values.len()));
    let entries = c.query(&sql, &values)?.into_iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Page::of_one_more(entries, q.limit)))
}

/// One entry of a merchant, in an environment (or without one).
pub fn get(
    c: &mut dyn Conn,
    merchant: &MerchantId,
    env: Environment,
    id: &AuditId,
) -> Result<Option<StoredAudit>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE {SCOPE} AND id = ?3");
    c.query_opt(&sql, params![merchant.as_str(), env.as_str(), id.as_str()])?.map(from_row).transpose()
}
