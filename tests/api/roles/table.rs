//! The table's format: sections, rows and cells, checked against the named objects of `objects`.
//! What each object is, and why the cells are what they are, is in the header of `tests/roles.table`.

use super::objects::{Of, REFUNDS, names};

pub const TABLE: &str = include_str!("../../roles.table");

/// Every actor of the table; each section has one line per actor.
pub const ACTORS: [&str; 12] = [
    "OWNER",
    "ADMIN",
    "OPERATION",
    "ACCOUNTING",
    "SUPERVISOR_A",
    "CASHIER_A1",
    "CASHIER_A2",
    "CASHIER_B1",
    "FOREIGN",
    "PRODUCTION",
    "NOKEY",
    "BADKEY",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Columns are objects of one kind; cells are statuses.
    Object(Of),
    /// Columns are request variants; cells are statuses (with a new object's branch).
    Create,
    /// `status` and the exact visible set.
    List(Of),
    /// One column, `store`: a setting of the actor's store.
    Setting,
}

pub struct Section {
    pub line: usize,
    pub method: String,
    pub path: String,
    pub kind: Kind,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

pub struct Row {
    pub line: usize,
    pub actor: String,
    pub cells: Vec<String>,
}

/// What a list path lists.
pub fn list_of(path: &str) -> Option<Of> {
    Some(match path {
        "/v1/payment_links" => Of::Link,
        "/v1/branches" => Of::Branch,
        "/v1/users" | "/v1/api_keys" => Of::User,
        "/v1/refunds" => Of::Refund,
        "/v1/customers" => Of::Customer,
        "/v1/audit_log" => Of::Audit,
        _ => return None,
    })
}

fn kind_of(method: &str, path: &str) -> Option<Kind> {
    if let Some((list, _query)) = path.split_once('?') {
        return if method == "GET" { list_of(list).map(Kind::List) } else { None };
    }
    let links = "/v1/payment_links/{id}";
    Some(match (method, path) {
        ("GET" | "PATCH", p) if p == links => Kind::Object(Of::Link),
        ("POST", "/v1/payment_links/{id}/cancel" | "/v1/payment_links/{id}/record_payment") => Kind::Object(Of::Link),
        ("GET", "/v1/refunds/{id}") | ("POST", "/v1/refunds/{id}/approve" | "/v1/refunds/{id}/reject") => {
            Kind::Object(Of::Refund)
        }
        ("GET" | "PATCH", "/v1/customers/{id}") => Kind::Object(Of::Customer),
        ("GET", "/v1/audit_log/{id}") => Kind::Object(Of::Audit),
        (
            "POST",
            "/v1/payment_links" | "/v1/branches" | "/v1/users" | "/v1/api_keys" | "/v1/refunds" | "/v1/customers",
        ) => Kind::Create,
        ("GET" | "PATCH", "/v1/store/refund_policy") => Kind::Setting,
        ("GET", list) => Kind::List(list_of(list)?),
        _ => return None,
    })
}

/// A cell: the status, and optionally the error code (`403:SELF_APPROVAL`), the field the error
/// names (`400:payment_id`) or the branch of a created object (`201@A`).
pub struct Expect {
    pub status: u16,
    pub code: Option<String>,
    pub branch: Option<String>,
}

/// The cell's expectation; `None` for `-` (the actor has no such object: not run).
pub fn expect(cell: &str, line: usize) -> Option<Expect> {
    if cell == "-" {
        return None;
    }
    let (rest, branch) = match cell.split_once('@') {
        Some((rest, branch)) => (rest, Some(branch.to_owned())),
        None => (cell, None),
    };
    let (status, code) = match rest.split_once(':') {
        Some((status, code)) => (status, Some(code.to_owned())),
        None => (rest, None),
    };
    let status = status.parse().unwrap_or_else(|_| panic!("roles.table:{line}: `{cell}` is not a status"));
    Some(Expect { status, code, branch })
}

/// Parses the table; a malformed table is a bug in the table and panics with its line.
pub fn parse(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut expect_columns = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = raw.split('#').next().unwrap_or_default().trim();
        if content.is_empty() {
            continue;
        }
        if let Some(head) = content.strip_prefix('[') {
            let head = head.strip_suffix(']').unwrap_or_else(|| panic!("roles.table:{line}: unclosed section header"));
            let (method, path) = head.split_once(' ').unwrap_or_else(|| panic!("roles.table:{line}: `[METHOD /path]`"));
            let kind = kind_of(method, path).unwrap_or_else(|| panic!("roles.table:{line}: unknown section {head}"));
            sections.push(Section {
                line,
                method: method.to_owned(),
                path: path.to_owned(),
                kind,
                columns: Vec::new(),
                rows: Vec::new(),
            });
            expect_columns = true;
            continue;
        }
        let section = sections.last_mut().unwrap_or_else(|| panic!("roles.table:{line}: a row outside any section"));
        let tokens: Vec<String> = content.split_whitespace().map(str::to_owned).collect();
        if expect_columns {
            assert_eq!(tokens[0], "actor", "roles.table:{line}: the column line starts with `actor`");
            match section.kind {
                Kind::List(_) => assert_eq!(tokens, ["actor", "status", "visible"], "roles.table:{line}: list columns"),
                Kind::Setting => assert_eq!(tokens, ["actor", "store"], "roles.table:{line}: setting columns"),
                _ => {}
            }
            section.columns = tokens[1..].to_vec();
            expect_columns = false;
            continue;
        }
        let actor = tokens[0].clone();
        assert!(ACTORS.contains(&actor.as_str()), "roles.table:{line}: unknown actor {actor}");
        let cells = tokens[1..].to_vec();
        match section.kind {
            Kind::List(_) => assert!(cells.len() >= 2, "roles.table:{line}: a status and a visible set (`-` for none)"),
            _ => assert_eq!(cells.len(), section.columns.len(), "roles.table:{line}: one cell per column"),
        }
        if !matches!(section.kind, Kind::List(_)) {
            for (column, cell) in section.columns.iter().zip(&cells) {
                assert!(cell != "-" || column == "own", "roles.table:{line}: `-` only in the `own` column");
            }
        }
        section.rows.push(Row { line, actor, cells });
    }
    for s in &sections {
        check_section(s);
    }
    sections
}

fn check_section(s: &Section) {
    let listed: Vec<&str> = s.rows.iter().map(|r| r.actor.as_str()).collect();
    for actor in ACTORS {
        let n = listed.iter().filter(|a| **a == actor).count();
        assert_eq!(n, 1, "roles.table:{}: section {} {} lists {actor} {n} times", s.line, s.method, s.path);
    }
    match s.kind {
        Kind::Object(of) => {
            for c in &s.columns {
                let known = match of {
                    // Reads see the pristine refunds; write cells act on fresh copies of any refund.
                    Of::Refund if s.method != "GET" => REFUNDS.iter().any(|o| o.name == c),
                    _ => names(of).contains(&c.as_str()),
                };
                assert!(known, "roles.table:{}: {c} is not a named object of {}", s.line, s.path);
            }
        }
        Kind::Create if s.path == "/v1/refunds" => {
            for c in &s.columns {
                assert!(names(Of::Payment).contains(&c.as_str()), "roles.table:{}: unknown payment {c}", s.line);
            }
        }
        _ => {}
    }
}
