//! The role truth table: `tests/roles.table`, written by hand from DESIGN §4, executed cell by cell
//! over HTTP. The table's header explains its format and the order the cells run in; this file only
//! builds its actors and objects and compares. Every disagreement is reported in one message.

use crate::both;
use crate::helpers::{Resp, TestApp};
use paylink::domain::Environment;
use paylink::domain::access::Role;
use paylink::service::secrets::base62;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

const TABLE: &str = include_str!("../roles.table");

/// Every actor of the table; each section has one line per actor.
const ACTORS: [&str; 12] = [
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

/// The named links: (name, creator, branch named at creation, cancelled by OWNER afterwards).
const OBJECTS: [(&str, &str, Option<&str>, bool); 8] = [
    ("link_a1", "CASHIER_A1", None, false),
    ("link_a2", "CASHIER_A2", None, false),
    ("link_b1", "CASHIER_B1", None, false),
    ("link_owner", "OWNER", None, false),
    ("link_owner_a", "OWNER", Some("A"), false),
    ("done_a1", "CASHIER_A1", None, true),
    ("link_prod", "PRODUCTION", None, false),
    ("link_foreign", "FOREIGN", None, false),
];

/// The named branches.
const BRANCHES: [&str; 3] = ["A", "B", "MAIN"];

const TITLE: &str = "Role table";
const NEW_TITLE: &str = "renamed";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Columns are objects; cells are statuses.
    Object,
    /// Columns are request variants; cells are statuses (with the new link's branch).
    Create,
    /// `status` and the exact visible set.
    List,
}

struct Section {
    line: usize,
    method: String,
    path: String,
    kind: Kind,
    columns: Vec<String>,
    rows: Vec<Row>,
}

struct Row {
    line: usize,
    actor: String,
    cells: Vec<String>,
}

fn kind_of(method: &str, path: &str) -> Option<Kind> {
    if let Some((list, _query)) = path.split_once('?') {
        return (method == "GET" && list == "/v1/payment_links").then_some(Kind::List);
    }
    match (method, path) {
        ("GET" | "PATCH", "/v1/payment_links/{id}") | ("POST", "/v1/payment_links/{id}/cancel") => Some(Kind::Object),
        ("POST", "/v1/payment_links" | "/v1/branches" | "/v1/users" | "/v1/api_keys") => Some(Kind::Create),
        ("GET", "/v1/payment_links" | "/v1/branches" | "/v1/users" | "/v1/api_keys") => Some(Kind::List),
        _ => None,
    }
}

/// Parses the table; a malformed table is a bug in the table and panics with its line.
fn parse(text: &str) -> Vec<Section> {
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
            if section.kind == Kind::List {
                assert_eq!(tokens, ["actor", "status", "visible"], "roles.table:{line}: list columns");
            }
            section.columns = tokens[1..].to_vec();
            expect_columns = false;
            continue;
        }
        let actor = tokens[0].clone();
        assert!(ACTORS.contains(&actor.as_str()), "roles.table:{line}: unknown actor {actor}");
        let cells = tokens[1..].to_vec();
        match section.kind {
            Kind::List => assert!(cells.len() >= 2, "roles.table:{line}: a status and a visible set (`-` for none)"),
            _ => assert_eq!(cells.len(), section.columns.len(), "roles.table:{line}: one cell per column"),
        }
        section.rows.push(Row { line, actor, cells });
    }
    for s in &sections {
        let listed: Vec<&str> = s.rows.iter().map(|r| r.actor.as_str()).collect();
        for actor in ACTORS {
            let n = listed.iter().filter(|a| **a == actor).count();
            assert_eq!(n, 1, "roles.table:{}: section {} {} lists {actor} {n} times", s.line, s.method, s.path);
        }
        if s.kind == Kind::Object {
            for c in &s.columns {
                assert!(OBJECTS.iter().any(|o| o.0 == c), "roles.table:{}: unknown object {c}", s.line);
            }
        }
    }
    sections
}

fn object(name: &str) -> (&'static str, &'static str, Option<&'static str>, bool) {
    *OBJECTS.iter().find(|o| o.0 == name).unwrap_or_else(|| panic!("roles.table: unknown object {name}"))
}

fn status(cell: &str, line: usize) -> u16 {
    cell.parse().unwrap_or_else(|_| panic!("roles.table:{line}: `{cell}` is not a status"))
}

/// What a response says, for a failure message.
fn describe(r: &Resp) -> String {
    match r.body["error_code"].as_str() {
        Some(code) => format!("{} {code} ({})", r.status, r.body["error"].as_str().unwrap_or_default()),
        None => r.status.to_string(),
    }
}

/// The actors, branches and named links of one run.
struct World {
    /// Secret by actor (NOKEY has none).
    keys: HashMap<&'static str, String>,
    /// User id by actor (actors with a user of the demo merchant).
    users: HashMap<&'static str, String>,
    /// Branch id by name.
    branches: HashMap<&'static str, String>,
    /// Link id by object name (the pristine objects).
    links: HashMap<&'static str, String>,
}

impl World {
    async fn build(app: &TestApp) -> World {
        let (a, b) = (app.branch("ROLES-A").await, app.branch("ROLES-B").await);
        let mut keys = HashMap::from([("OWNER", app.owner_key.clone())]);
        let mut users = HashMap::new();
        let staff: [(&'static str, Role, Option<&str>, Environment); 8] = [
            ("ADMIN", Role::Admin, None, Environment::Sandbox),
            ("OPERATION", Role::Operation, None, Environment::Sandbox),
            ("ACCOUNTING", Role::Accounting, None, Environment::Sandbox),
            ("SUPERVISOR_A", Role::Supervisor, Some(&a), Environment::Sandbox),
            ("CASHIER_A1", Role::Cashier, Some(&a), Environment::Sandbox),
            ("CASHIER_A2", Role::Cashier, Some(&a), Environment::Sandbox),
            ("CASHIER_B1", Role::Cashier, Some(&b), Environment::Sandbox),
            ("PRODUCTION", Role::Owner, None, Environment::Production),
        ];
        for (actor, role, branch, env) in staff {
            let (user, key) = app.staff_in(role, branch, env).await;
            users.insert(actor, user);
            keys.insert(actor, key);
        }
        let merchant = app.merchant_id.clone();
        let owner = app
            .ctx
            .db
            .read(move |c| paylink::store::tenancy::find_user(c, &merchant, "owner@example.com"))
            .await
            .expect("read the demo owner")
            .expect("the demo owner exists");
        users.insert("OWNER", owner.id.to_string());
        keys.insert("FOREIGN", app.foreign_key().await);
        keys.insert("BADKEY", format!("sk_test_{}", base62(32)));
        let branches = HashMap::from([("A", a), ("B", b), ("MAIN", app.branch_id.clone())]);
        let mut world = World { keys, users, branches, links: HashMap::new() };
        for (name, ..) in OBJECTS {
            let id = world.make_link(app, name).await;
            world.links.insert(name, id);
        }
        world
    }

    fn key(&self, actor: &str) -> Option<&str> {
        self.keys.get(actor).map(String::as_str)
    }

    fn user(&self, actor: &str) -> &str {
        self.users.get(actor).unwrap_or_else(|| panic!("{actor} has no user"))
    }

    /// Creates a link in the state of the named object, by its creator; returns its id.
    async fn make_link(&self, app: &TestApp, name: &str) -> String {
        let (_, creator, branch, cancelled) = object(name);
        let mut body = json!({"amount": 10, "title": TITLE});
        if let Some(b) = branch {
            body["branch"] = json!(self.branches[b]);
        }
        let link = app.create_link(&self.keys[creator], body).await;
        let id = link["id"].as_str().expect("link id").to_owned();
        if cancelled {
            let r = app.post(&self.keys["OWNER"], &format!("/v1/payment_links/{id}/cancel"), json!({})).await;
            assert_eq!(r.status, 200, "setting up {name}: cancel: {}", r.text);
        }
        id
    }

    /// The table name of a listed object, if it is a named one.
    fn name_in_list(&self, path: &str, item: &Value) -> Option<&'static str> {
        let find = |map: &HashMap<&'static str, String>, id: &Value| {
            map.iter().find(|(_, v)| id.as_str() == Some(v.as_str())).map(|(k, _)| *k)
        };
        match path {
            "/v1/payment_links" => find(&self.links, &item["id"]),
            "/v1/branches" => find(&self.branches, &item["id"]),
            "/v1/users" => find(&self.users, &item["id"]),
            "/v1/api_keys" => find(&self.users, &item["user_id"]),
            _ => unreachable!("list path {path}"),
        }
    }

    /// The request for a list section: `{NAME}` in the query becomes branch NAME's id or actor NAME's
    /// user id; a link list without paging parameters asks for one page of 100.
    fn list_request(&self, path: &str, line: usize) -> String {
        let mut out = path.to_owned();
        while let Some(start) = out.find('{') {
            let end = out[start..].find('}').map(|e| start + e).unwrap_or_else(|| panic!("roles.table:{line}: `{{`"));
            let name = &out[start + 1..end];
            let value = match self.branches.get(name) {
                Some(id) => id.clone(),
                None => self.users.get(name).unwrap_or_else(|| panic!("roles.table:{line}: unknown {name}")).clone(),
            };
            out.replace_range(start..=end, &value);
        }
        if out.starts_with("/v1/payment_links") && !out.contains("page") {
            out.push_str(if out.contains('?') { "&limit=100" } else { "?limit=100" });
        }
        out
    }

    /// Whether `name` is a named object of the list at `path`.
    fn names_in(&self, path: &str, name: &str) -> bool {
        match path {
            "/v1/payment_links" => self.links.contains_key(name),
            "/v1/branches" => BRANCHES.contains(&name),
            _ => self.users.contains_key(name),
        }
    }
}

/// Runs every cell of the table; returns the disagreements and the number of cells run.
async fn run_table(app: &TestApp, world: &World, sections: &[Section]) -> (Vec<String>, usize) {
    let mut failures = Vec::new();
    let mut cells = 0;
    // Reads and lists first, on the pristine objects; then everything that writes, in file order.
    let reads = sections.iter().filter(|s| s.method == "GET");
    for s in reads.chain(sections.iter().filter(|s| s.method != "GET")) {
        for row in &s.rows {
            match s.kind {
                Kind::Object => {
                    for (column, cell) in s.columns.iter().zip(&row.cells) {
                        object_cell(app, world, s, row, column, cell, &mut failures).await;
                        cells += 1;
                    }
                }
                Kind::Create => {
                    for (column, cell) in s.columns.iter().zip(&row.cells) {
                        create_cell(app, world, s, row, column, cell, &mut failures).await;
                        cells += 1;
                    }
                }
                Kind::List => {
                    list_cell(app, world, s, row, &mut failures).await;
                    cells += 1;
                }
            }
        }
    }
    (failures, cells)
}

async fn object_cell(
    app: &TestApp,
    world: &World,
    s: &Section,
    row: &Row,
    column: &str,
    cell: &str,
    failures: &mut Vec<String>,
) {
    let expected = status(cell, row.line);
    let (name, creator, _, cancelled) = object(column);
    let writes = s.method != "GET";
    let id = if writes { world.make_link(app, name).await } else { world.links[name].clone() };
    let body = match s.method.as_str() {
        "PATCH" => Some(json!({"title": NEW_TITLE})),
        "POST" => Some(json!({})),
        _ => None,
    };
    let r = app.call(&s.method, &s.path.replace("{id}", &id), world.key(&row.actor), body).await;
    let at = format!("roles.table:{} {} {} {} on {name}", row.line, row.actor, s.method, s.path);
    if r.status != expected {
        failures.push(format!("{at}: expected {expected}, got {}", describe(&r)));
    }
    if writes {
        let after = app.get(&world.keys[creator], &format!("/v1/payment_links/{id}")).await;
        let changed = if s.path.ends_with("/cancel") {
            after.body["status"] != if cancelled { "cancelled" } else { "open" }
        } else {
            after.body["title"] == NEW_TITLE
        };
        let accepted = (200..300).contains(&r.status);
        if accepted != changed {
            let state = if changed { "changed" } else { "unchanged" };
            failures.push(format!("{at}: answered {} but the link is {state} ({})", r.status, after.text));
        }
    }
}

async fn create_cell(
    app: &TestApp,
    world: &World,
    s: &Section,
    row: &Row,
    column: &str,
    cell: &str,
    failures: &mut Vec<String>,
) {
    let (code, branch) = match cell.split_once('@') {
        Some((code, branch)) => (code, Some(branch)),
        None => (cell, None),
    };
    let expected = status(code, row.line);
    let email = || format!("{}@example.com", base62(12).to_lowercase());
    let (a, b) = (&world.branches["A"], &world.branches["B"]);
    let body = match (s.path.as_str(), column) {
        ("/v1/payment_links", "default") => json!({"amount": 10, "title": TITLE}),
        ("/v1/payment_links", "branch=A") => json!({"amount": 10, "title": TITLE, "branch": a}),
        ("/v1/payment_links", "branch=B") => json!({"amount": 10, "title": TITLE, "branch": b}),
        ("/v1/branches", "new") => json!({"code": format!("T-{}", base62(10)), "name": "Branch"}),
        ("/v1/users", "ACCOUNTING") => json!({"email": email(), "name": "Staff", "role": "ACCOUNTING"}),
        ("/v1/users", "CASHIER@A") => json!({"email": email(), "name": "Staff", "role": "CASHIER", "branch": a}),
        ("/v1/users", "OWNER") => json!({"email": email(), "name": "Staff", "role": "OWNER"}),
        ("/v1/api_keys", "role=ACCOUNTING") => json!({"name": "k", "role": "ACCOUNTING"}),
        ("/v1/api_keys", "role=CASHIER@A") => json!({"name": "k", "role": "CASHIER", "branch": a}),
        ("/v1/api_keys", "role=OWNER") => json!({"name": "k", "role": "OWNER"}),
        ("/v1/api_keys", "user=CASHIER_A1") => json!({"name": "k", "user": world.user("CASHIER_A1")}),
        ("/v1/api_keys", "user=OWNER") => json!({"name": "k", "user": world.user("OWNER")}),
        _ => panic!("roles.table:{}: unknown variant {column} of {} {}", s.line, s.method, s.path),
    };
    let r = app.call(&s.method, &s.path, world.key(&row.actor), Some(body)).await;
    let at = format!("roles.table:{} {} {} {} ({column})", row.line, row.actor, s.method, s.path);
    if r.status != expected {
        failures.push(format!("{at}: expected {expected}, got {}", describe(&r)));
        return;
    }
    if let (Some(branch), 201) = (branch, r.status) {
        let want = match branch {
            "-" => Value::Null,
            name => {
                json!(world.branches.get(name).unwrap_or_else(|| panic!("roles.table:{}: branch {name}", row.line)))
            }
        };
        if r.body["branch_id"] != want {
            let got = world.name_in_list("/v1/branches", &json!({"id": r.body["branch_id"]})).unwrap_or("-");
            failures
                .push(format!("{at}: the new link is in branch {got} ({}), expected {branch}", r.body["branch_id"]));
        }
    }
}

async fn list_cell(app: &TestApp, world: &World, s: &Section, row: &Row, failures: &mut Vec<String>) {
    let expected = status(&row.cells[0], row.line);
    let list = s.path.split('?').next().unwrap_or_default();
    let (mut exact, mut unspecified) = (BTreeSet::new(), BTreeSet::new());
    for token in row.cells[1..].iter().filter(|t| *t != "-") {
        let (set, name) = match token.strip_prefix('?') {
            Some(name) => (&mut unspecified, name),
            None => (&mut exact, token.as_str()),
        };
        assert!(world.names_in(list, name), "roles.table:{}: {name} is not a named object of {list}", row.line);
        set.insert(name.to_owned());
    }
    let r = app.call("GET", &world.list_request(&s.path, s.line), world.key(&row.actor), None).await;
    let at = format!("roles.table:{} {} GET {}", row.line, row.actor, s.path);
    if r.status != expected {
        failures.push(format!("{at}: expected {expected}, got {}", describe(&r)));
        return;
    }
    if r.status != 200 {
        return;
    }
    let Some(items) = r.body["data"].as_array() else {
        failures.push(format!("{at}: no `data` array in {}", r.text));
        return;
    };
    let (mut seen, mut unnamed) = (BTreeSet::new(), Vec::new());
    for item in items {
        match world.name_in_list(list, item) {
            Some(name) => {
                seen.insert(name.to_owned());
            }
            None if list == "/v1/payment_links" => unnamed.push(item["id"].to_string()),
            None => {}
        }
    }
    let missing: Vec<&String> = exact.difference(&seen).collect();
    let extra: Vec<&String> = seen.iter().filter(|n| !exact.contains(*n) && !unspecified.contains(*n)).collect();
    if !missing.is_empty() || !extra.is_empty() || !unnamed.is_empty() || r.body["has_more"] == true {
        failures.push(format!(
            "{at}: missing {missing:?}, not expected {extra:?}, unnamed links {unnamed:?}, has_more {}",
            r.body["has_more"]
        ));
    }
    // A count is in the actor's scope too: with everything on one page, it is the number listed.
    let page_mode = s.path.contains("page=");
    if r.body["total"].as_u64().map_or(page_mode, |total| total != items.len() as u64) {
        failures.push(format!("{at}: total {} but {} links listed", r.body["total"], items.len()));
    }
}

#[test]
fn the_role_table_names_every_actor_once_in_every_section() {
    let sections = parse(TABLE);
    assert!(sections.len() >= 11, "the table has {} sections", sections.len());
}

both!(every_actor_gets_exactly_the_access_the_role_table_gives, |app: Arc<TestApp>| async move {
    let sections = parse(TABLE);
    let world = World::build(&app).await;
    let (failures, cells) = run_table(&app, &world, &sections).await;
    assert!(
        failures.is_empty(),
        "{} of {cells} role-table cells disagree with the server on {:?}:\n{}",
        failures.len(),
        app.backend,
        failures.join("\n")
    );
});
