//! When links were paid: the completion time of each link's latest succeeded payment, for a page
//! of links in one query (the export's `paid_at` column; links keep no such column).

use crate::domain::Timestamp;
use crate::domain::id::LinkId;
use crate::store::conn::{Conn, DbError, Value};
use std::collections::HashMap;

/// The latest succeeded payment's completion time of each of `links` that has one, by link id.
pub fn paid_at(c: &mut dyn Conn, links: &[LinkId]) -> Result<HashMap<String, Timestamp>, DbError> {
    if links.is_empty() {
        return Ok(HashMap::new());
    }
    let marks: Vec<String> = (1..=links.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "SELECT link_id, MAX(COALESCE(completed_at, updated_at)) FROM payments \
         WHERE status = 'succeeded' AND link_id IN ({}) GROUP BY link_id",
        marks.join(", ")
    );
    let values: Vec<Value> = links.iter().map(|l| l.as_str().into()).collect();
    let rows = c.query(&sql, &values)?;
    rows.iter().map(|r| Ok((r.text(0usize)?, Timestamp::from_micros(r.i64(1usize)?)))).collect()
}
