//! Per-key request allowances per one-minute window, shared by every instance through the
//! database.

use super::columns::Only;
use super::conn::{Conn, DbError};
use crate::params;

/// Claims `n` requests of `key_id`'s allowance in the window starting at `window_start`
/// (seconds); `Some(used)` when the window had room for all `n` (one guarded upsert, so
/// concurrent claims never take the window past `limit`), `None` when it had not.
pub fn claim(c: &mut dyn Conn, key_id: &str, window_start: i64, n: i64, limit: i64) -> Result<Option<i64>, DbError> {
    let sql = "INSERT INTO rate_limits (key_id, window_start, used) VALUES (?1, ?2, ?3) \
               ON CONFLICT (key_id, window_start) DO UPDATE SET used = rate_limits.used + excluded.used \
               WHERE rate_limits.used + excluded.used <= ?4 RETURNING used";
    if n > limit {
        return Ok(None);
    }
    let used = c.query_opt(sql, params![key_id, window_start, n, limit])?.map(|r| r.i64(Only)).transpose()?;
    if used == Some(n) {
        // The window's first claim: the key's older windows are of no further use.
        c.execute("DELETE FROM rate_limits WHERE key_id = ?1 AND window_start < ?2", params![key_id, window_start])?;
    }
    Ok(used)
}
