//! The link list query: scope, filters, search, sort, and keyset or page pagination. The first
//! page has no cursor predicate at all (SQLite plans it better), and ORDER BY columns are
//! qualified (PostgreSQL then walks the index instead of sorting).

use super::{COLUMNS, from_row, search};
use crate::domain::access::{Owned, Visibility};
use crate::domain::id::{LinkId, StoreId};
use crate::domain::link::{Link, LinkStatus};
use crate::domain::{Environment, Timestamp};
use crate::store::columns::Only;
use crate::store::conn::{Conn, DbError, Value};
use crate::store::keyset::Page;

/// The column a list is sorted by (ties broken by id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    CreatedAt,
    Amount,
    Title,
    Status,
}

impl SortKey {
    fn column(self) -> &'static str {
        match self {
            SortKey::CreatedAt => "payment_links.created_at",
            SortKey::Amount => "payment_links.amount_minor",
            SortKey::Title => "payment_links.title",
            SortKey::Status => "payment_links.status",
        }
    }

    fn value_of(self, l: &Link) -> Value {
        match self {
            SortKey::CreatedAt => l.created_at.micros().into(),
            SortKey::Amount => l.amount.minor().into(),
            SortKey::Title => l.title.as_str().into(),
            SortKey::Status => l.status.as_str().into(),
        }
    }
}

/// How the caller pages through results.
#[derive(Clone, Debug)]
pub enum Paging {
    /// Keyset: rows after this link in sort order.
    After(Option<LinkId>),
    /// 1-based page number (counts the total too).
    Page(i64),
    /// Rows after skipping this many (counts the total too).
    Offset(i64),
}

/// A fully checked list request.
#[derive(Clone, Debug)]
pub struct Query {
    pub store_id: StoreId,
    pub environment: Environment,
    pub visibility: Visibility,
    pub now: Timestamp,
    /// Links in any of these statuses (as read at `now`); empty: every status.
    pub statuses: Vec<LinkStatus>,
    pub branch_id: Option<String>,
    /// Only links with (`true`) or without (`false`) a branch.
    pub has_branch: Option<bool>,
    /// Only links whose latest payment attempt failed (`true`) or did not (`false`).
    pub latest_attempt_failed: Option<bool>,
    pub created_by: Option<String>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub currency: Option<String>,
    /// Lower-cased search text.
    pub search: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    pub limit: i64,
    pub paging: Paging,
}

/// Why a list could not run.
#[derive(Debug)]
pub enum ListError {
    /// The `starting_after` link is not in this list's scope.
    BadCursor,
    Db(DbError),
}

impl From<DbError> for ListError {
    fn from(e: DbError) -> Self {
        ListError::Db(e)
    }
}

struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn bind(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        format!("?{}", self.values.len())
    }

    fn and(&mut self, clause: String) {
        self.text.push_str(" AND ");
        self.text.push_str(&clause);
    }
}

fn filters(q: &Query) -> Sql {
    let mut s =
        Sql { text: String::from("payment_links.store_id = ?1 AND payment_links.environment = ?2"), values: vec![] };
    s.values.push(q.store_id.as_str().into());
    s.values.push(q.environment.as_str().into());
    scope(&mut s, &q.visibility);
    if !q.statuses.is_empty() {
        let clauses: Vec<String> = q.statuses.iter().map(|st| status_clause(&mut s, *st, q.now)).collect();
        s.and(format!("({})", clauses.join(" OR ")));
    }
    if let Some(has) = q.has_branch {
        s.and(format!("payment_links.branch_id IS {}NULL", if has { "NOT " } else { "" }));
    }
    if let Some(failed) = q.latest_attempt_failed {
        s.and(latest_attempt_clause(failed));
    }
    let optional: [(&str, Option<Value>); 7] = [
        ("payment_links.branch_id = ", q.branch_id.clone().map(Value::Text)),
        ("payment_links.created_by = ", q.created_by.clone().map(Value::Text)),
        ("payment_links.created_at >= ", q.created_from.map(|t| Value::Int(t.micros()))),
        ("payment_links.created_at < ", q.created_to.map(|t| Value::Int(t.micros()))),
        ("payment_links.amount_minor >= ", q.amount_min.map(Value::Int)),
        ("payment_links.amount_minor <= ", q.amount_max.map(Value::Int)),
        ("payment_links.currency = ", q.currency.clone().map(Value::Text)),
    ];
    for (clause, value) in optional {
        if let Some(v) = value {
            let p = s.bind(v);
            s.and(format!("{clause}{p}"));
        }
    }
    if let Some(text) = &q.search {
        let p = s.bind(search::like_pattern(text));
        s.and(format!("payment_links.search_text LIKE {p} ESCAPE '\\'"));
    }
    s
}

fn scope(s: &mut Sql, v: &Visibility) {
    match v {
        Visibility::All => {}
        Visibility::Branch(b) => {
            let p = s.bind(b.as_str());
            s.and(format!("payment_links.branch_id = {p}"));
        }
        Visibility::Own { branch_id, principal } => {
            let (b, u) = (s.bind(branch_id.as_str()), s.bind(principal.as_str()));
            s.and(format!("payment_links.branch_id = {b} AND payment_links.created_by = {u}"));
        }
        Visibility::Nothing => s.and("1 = 0".to_owned()),
    }
}

/// Open and expired depend on `now` (an open link past its expiry reads expired); the other
/// statuses bind nothing: an unused `$n = $n` parameter is typed `text` by PostgreSQL and an
/// integer bound to it fails.
fn status_clause(s: &mut Sql, status: LinkStatus, now: Timestamp) -> String {
    let clause = match status {
        LinkStatus::Open => format!(
            "payment_links.status = 'open' AND (payment_links.expires_at IS NULL OR payment_links.expires_at > {})",
            s.bind(now.micros())
        ),
        LinkStatus::Expired => format!(
            "(payment_links.status = 'expired' OR (payment_links.status = 'open' AND payment_links.expires_at <= {}))",
            s.bind(now.micros())
        ),
        other => format!("payment_links.status = '{}'", other.as_str()),
    };
    format!("({clause})")
}

/// Whether the link's latest payment attempt (by creation, then id) failed; same SQL on both
/// backends.
fn latest_attempt_clause(failed: bool) -> String {
    let latest = "(SELECT payments.status FROM payments WHERE payments.link_id = payment_links.id \
        ORDER BY payments.created_at DESC, payments.id DESC LIMIT 1)";
    if failed { format!("{latest} = 'failed'") } else { format!("COALESCE({latest}, '') <> 'failed'") }
}

/// Runs a list query (`total` is counted in page and offset modes).
pub fn run(c: &mut dyn Conn, q: &Query) -> Result<Page<Link>, ListError> {
    let mut s = filters(q);
    if let Some(term) = &q.search {
        if let Some((clause, value)) = search::rare_term_clause(c, term, s.values.len() + 1)? {
            s.values.push(value);
            s.and(clause);
        }
    }
    let (col, dir, cmp) =
        (q.sort.column(), if q.descending { "DESC" } else { "ASC" }, if q.descending { "<" } else { ">" });
    let total = match q.paging {
        Paging::Page(_) | Paging::Offset(_) => Some(count(c, &s)?),
        Paging::After(_) => None,
    };
    if let Paging::After(Some(cursor)) = &q.paging {
        let anchor = cursor_row(c, q, cursor)?;
        let (pv, pi) = (s.bind(q.sort.value_of(&anchor)), s.bind(anchor.id.as_str()));
        // A row-value comparison is one index range on both backends; the equivalent OR form is
        // applied as a filter by PostgreSQL and degrades with depth.
        s.and(format!("({col}, payment_links.id) {cmp} ({pv}, {pi})"));
    }
    let limit = s.bind(q.limit + 1);
    let mut sql = format!(
        "SELECT {COLUMNS} FROM payment_links WHERE {} ORDER BY {col} {dir}, payment_links.id {dir} LIMIT {limit}",
        s.text
    );
    let skip = match q.paging {
        Paging::Page(page) => Some((page - 1).saturating_mul(q.limit)),
        Paging::Offset(n) => Some(n),
        Paging::After(_) => None,
    };
    if let Some(skip) = skip {
        let offset = s.bind(skip);
        sql.push_str(&format!(" OFFSET {offset}"));
    }
    let rows = if q.search.is_some() { c.query_planned(&sql, &s.values)? } else { c.query(&sql, &s.values)? };
    let links = rows.into_iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(Page { total, ..Page::of_one_more(links, q.limit) })
}

/// How many links match a query's scope and filters (its sort and paging aside).
pub fn count_matching(c: &mut dyn Conn, q: &Query) -> Result<i64, DbError> {
    count(c, &filters(q))
}

fn count(c: &mut dyn Conn, s: &Sql) -> Result<i64, DbError> {
    let sql = format!("SELECT COUNT(*) FROM payment_links WHERE {}", s.text);
    c.query_planned(&sql, &s.values)?.first().map_or(Ok(0), |r| r.i64(Only))
}

fn cursor_row(c: &mut dyn Conn, q: &Query, cursor: &LinkId) -> Result<Link, ListError> {
    let link = super::get(c, &q.store_id, q.environment, cursor)?.ok_or(ListError::BadCursor)?;
    let owned = Owned { branch_id: link.branch_id.as_ref(), created_by: &link.created_by };
    if q.visibility.allows(owned) { Ok(link) } else { Err(ListError::BadCursor) }
}
