//! Substring search over links (`q`), backed by a trigram index on each backend. A common term
//! is found fastest by walking the sort index and testing each row (matches are dense); a rare
//! term by asking the trigram index for its few candidates. PostgreSQL's planner makes that choice
//! itself when the query is planned with the actual pattern; SQLite's cannot, so we count the
//! index's candidates up to a cap first and drive the query from the index below it.

use crate::store::columns::Only;
use crate::store::conn::{Backend, Conn, DbError, Value};

/// Below this many trigram candidates, SQLite drives the query from the index.
const RARE_CANDIDATES: i64 = 100;

/// The `LIKE` pattern for a lower-cased search term (`%`, `_` and `\` matched literally).
pub fn like_pattern(term: &str) -> String {
    let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// On SQLite, for a rare term, the extra condition restricting rows to the index's candidates
/// (with its parameter); `None` when walking the sort index is better or the index cannot help.
pub fn rare_term_clause(c: &mut dyn Conn, term: &str, placeholder: usize) -> Result<Option<(String, Value)>, DbError> {
    // The trigram index needs three characters, and its LIKE takes no ESCAPE clause.
    let indexable = term.chars().count() >= 3 && !term.contains(['%', '_', '\\']);
    if c.backend() != Backend::Sqlite || !indexable {
        return Ok(None);
    }
    let pattern = format!("%{term}%");
    let sql = "SELECT count(*) FROM (SELECT 1 FROM payment_links_search WHERE search_text LIKE ?1 LIMIT ?2)";
    let candidates =
        c.query_opt(sql, &[pattern.clone().into(), (RARE_CANDIDATES + 1).into()])?.map_or(Ok(0), |r| r.i64(Only))?;
    if candidates > RARE_CANDIDATES {
        return Ok(None);
    }
    let clause =
        format!("payment_links.num IN (SELECT rowid FROM payment_links_search WHERE search_text LIKE ?{placeholder})");
    Ok(Some((clause, pattern.into())))
}
