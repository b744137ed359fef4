//! Executes the table's cells and compares; every disagreement becomes one line of the report.

use super::objects::{self, Home, Of, actor_home};
use super::table::{self, Expect, Kind, Row, Section};
use super::world::{CUSTOMER_NAME, LINK_AMOUNT, TITLE, World, describe};
use crate::helpers::{Resp, TestApp};
use paylink::service::secrets::base62;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const NEW_TITLE: &str = "renamed";
const NEW_NAME: &str = "Renamed customer";
/// What a PATCH of the refund policy sets: approving at once what is below 0.01, i.e. nothing.
const POLICY_PROBE: &str = "0.01";

/// Where a cell's failure is reported.
fn at(s: &Section, row: &Row, what: &str) -> String {
    format!("roles.table:{} {} {} {} {what}", row.line, row.actor, s.method, s.path)
}

/// The cell's disagreement with the response, if any.
fn mismatch(r: &Resp, e: &Expect) -> Option<String> {
    if r.status != e.status {
        return Some(format!("expected {}, got {}", e.status, describe(r)));
    }
    let code = e.code.as_deref()?;
    let names = if code.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        r.body["error_code"] == code
    } else {
        r.body["details"].get(code).is_some()
    };
    (!names).then(|| format!("expected {} {code}, got {} {}", e.status, describe(r), r.body["details"]))
}

/// Runs every cell of the table; returns the disagreements and the number of cells run.
pub async fn run_table(app: &TestApp, world: &World, sections: &[Section]) -> (Vec<String>, usize) {
    let mut failures = Vec::new();
    let mut cells = 0;
    // Reads and lists first, on the pristine objects; then everything that writes, in file order.
    let reads = sections.iter().filter(|s| s.method == "GET");
    for s in reads.chain(sections.iter().filter(|s| s.method != "GET")) {
        for row in &s.rows {
            if let Kind::List(of) = s.kind {
                list_cell(app, world, s, of, row, &mut failures).await;
                cells += 1;
                continue;
            }
            for (column, cell) in s.columns.iter().zip(&row.cells) {
                let Some(expect) = table::expect(cell, row.line) else { continue };
                match s.kind {
                    Kind::Object(of) => object_cell(app, world, s, of, row, column, &expect, &mut failures).await,
                    Kind::Create => create_cell(app, world, s, row, column, &expect, &mut failures).await,
                    _ => setting_cell(app, world, s, row, &expect, &mut failures).await,
                }
                cells += 1;
            }
        }
    }
    (failures, cells)
}

/// The state a write cell may change, read back by someone who sees the object.
async fn state(app: &TestApp, world: &World, s: &Section, of: Of, column: &str, actor: &str, id: &str) -> Value {
    let (key, path, field) = match of {
        Of::Link => {
            let creator = objects::link_obj(column).creator;
            let field = if s.path.ends_with("{id}") { "title" } else { "status" };
            (world.key(creator), format!("/v1/payment_links/{id}"), field)
        }
        Of::Refund => (Some(world.owner_of(world.refund_home(column, actor))), format!("/v1/refunds/{id}"), "status"),
        _ => (world.key(objects::customer_obj(column).creator), format!("/v1/customers/{id}"), "name"),
    };
    let r = app.call("GET", &path, key, None).await;
    if r.status == 200 { r.body[field].clone() } else { json!(format!("unreadable: {}", r.text)) }
}

/// Whether a write was applied, judged from the state before and after: (changed, as asked).
fn applied(s: &Section, before: &Value, after: &Value) -> (bool, bool) {
    let changed = before != after;
    let right = match s.path.rsplit('/').next().unwrap_or_default() {
        "{id}" if s.path.starts_with("/v1/customers") => after == NEW_NAME,
        "{id}" => after == NEW_TITLE,
        "cancel" => after == "cancelled",
        "record_payment" => after == "paid",
        "approve" => after == "approved" || after == "succeeded",
        "reject" => after == "rejected",
        other => unreachable!("a write to {other}"),
    };
    (changed, right)
}

#[allow(clippy::too_many_arguments)]
async fn object_cell(
    app: &TestApp,
    world: &World,
    s: &Section,
    of: Of,
    row: &Row,
    column: &str,
    expect: &Expect,
    failures: &mut Vec<String>,
) {
    let at = at(s, row, &format!("on {column}"));
    let actor = row.actor.as_str();
    let id = if s.method == "GET" {
        world.id(column).to_owned()
    } else {
        let copy = match of {
            Of::Link => Ok(world.make_link(app, column).await),
            Of::Refund => world.make_refund(app, column, actor).await,
            _ => world.make_customer(app, column).await,
        };
        match copy {
            Ok(id) => id,
            Err(e) => return failures.push(format!("{at}: setting up the copy: {e}")),
        }
    };
    let before = if s.method == "GET" { Value::Null } else { state(app, world, s, of, column, actor, &id).await };
    let body = match (s.method.as_str(), of) {
        ("GET", _) => None,
        ("PATCH", Of::Link) => Some(json!({"title": NEW_TITLE})),
        ("PATCH", _) => Some(json!({"name": NEW_NAME})),
        _ if s.path.ends_with("/record_payment") => Some(json!({"method": "cash", "amount": LINK_AMOUNT})),
        _ => Some(json!({})),
    };
    let r = app.call(&s.method, &s.path.replace("{id}", &id), world.key(actor), body).await;
    if let Some(m) = mismatch(&r, expect) {
        failures.push(format!("{at}: {m}"));
    }
    if s.method != "GET" {
        let after = state(app, world, s, of, column, actor, &id).await;
        let (changed, right) = applied(s, &before, &after);
        let accepted = (200..300).contains(&r.status);
        if accepted != changed || (accepted && !right) {
            let state = if changed { "changed" } else { "unchanged" };
            failures.push(format!("{at}: answered {} but the object is {state} ({before} → {after})", r.status));
        }
    }
}

/// What the payment's refunds reserve, read by its home's owner.
async fn reserved(app: &TestApp, world: &World, payment: &str) -> Value {
    let key = world.owner_of(world.payment_home(payment));
    app.get(key, &format!("/v1/payments/{}", world.id(payment))).await.body["refund_reserved_minor"].clone()
}

async fn create_cell(
    app: &TestApp,
    world: &World,
    s: &Section,
    row: &Row,
    column: &str,
    expect: &Expect,
    failures: &mut Vec<String>,
) {
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
        ("/v1/refunds", payment) => json!({"payment_id": world.id(payment), "amount": "0.01", "reason": "role table"}),
        ("/v1/customers", "default") => json!({"name": CUSTOMER_NAME}),
        ("/v1/customers", "branch=A") => json!({"name": CUSTOMER_NAME, "branch": a}),
        ("/v1/customers", "branch=B") => json!({"name": CUSTOMER_NAME, "branch": b}),
        _ => panic!("roles.table:{}: unknown variant {column} of {} {}", s.line, s.method, s.path),
    };
    let at = at(s, row, &format!("({column})"));
    let refund = s.path == "/v1/refunds";
    let before = if refund { reserved(app, world, column).await } else { Value::Null };
    let r = app.call(&s.method, &s.path, world.key(&row.actor), Some(body)).await;
    if refund {
        // A request reserves its amount on the payment; a refused one reserves nothing.
        let after = reserved(app, world, column).await;
        let grew = before.as_i64().zip(after.as_i64()).map(|(b, a)| a - b);
        if grew != Some(if r.status == 201 { 1 } else { 0 }) {
            failures.push(format!("{at}: answered {} but the reservation went {before} → {after}", r.status));
        }
    }
    if let Some(m) = mismatch(&r, expect) {
        return failures.push(format!("{at}: {m}"));
    }
    if let (Some(branch), 201) = (&expect.branch, r.status) {
        let want = match branch.as_str() {
            "-" => Value::Null,
            name => {
                json!(world.branches.get(name).unwrap_or_else(|| panic!("roles.table:{}: branch {name}", row.line)))
            }
        };
        if r.body["branch_id"] != want {
            let got = world.name_in_list("/v1/branches", Of::Branch, &json!({"id": r.body["branch_id"]}));
            let got = got.unwrap_or("-");
            failures
                .push(format!("{at}: the new object is in branch {got} ({}), expected {branch}", r.body["branch_id"]));
        }
    }
}

/// A store setting: GET reads it; PATCH sets `auto_approve_below` to a probe value, which the
/// owner of the actor's store then reads back (and puts back).
async fn setting_cell(app: &TestApp, world: &World, s: &Section, row: &Row, e: &Expect, failures: &mut Vec<String>) {
    let at = at(s, row, "");
    let writes = s.method != "GET";
    let home = if actor_home(&row.actor) == Home::Foreign { Home::Foreign } else { Home::Sandbox };
    let owner = world.owner_of(home);
    let probe = || async { app.get(owner, &s.path).await.body["auto_approve_below"].clone() };
    let before = if writes { probe().await } else { Value::Null };
    let body = writes.then(|| json!({"auto_approve_below": POLICY_PROBE}));
    let r = app.call(&s.method, &s.path, world.key(&row.actor), body).await;
    if let Some(m) = mismatch(&r, e) {
        failures.push(format!("{at}: {m}"));
    }
    if writes {
        let after = probe().await;
        if (r.status == 200) != (after != before && after == POLICY_PROBE) {
            failures.push(format!("{at}: answered {} but the policy went {before} → {after}", r.status));
        }
        let undo = app.call("PATCH", &s.path, Some(owner), Some(json!({"auto_approve_below": "0"}))).await;
        assert_eq!(undo.status, 200, "restoring the refund policy: {}", undo.text);
    }
}

/// Every item of the list (following `next_cursor` where the list has one), or the failure.
async fn fetch(app: &TestApp, world: &World, s: &Section, row: &Row, e: &Expect) -> Result<(Vec<Value>, Resp), String> {
    let first = world.list_request(&s.path, s.line);
    let cursor = ["/v1/refunds", "/v1/customers", "/v1/audit_log"].iter().any(|p| first.starts_with(p));
    let (mut items, mut url) = (Vec::new(), first.clone());
    loop {
        let r = app.call("GET", &url, world.key(&row.actor), None).await;
        if let Some(m) = mismatch(&r, e) {
            return Err(m);
        }
        if r.status != 200 {
            return Ok((items, r));
        }
        let Some(page) = r.body["data"].as_array() else { return Err(format!("no `data` array in {}", r.text)) };
        items.extend(page.iter().cloned());
        match r.body["next_cursor"].as_str() {
            Some(next) if cursor && r.body["has_more"] == true && items.len() < 10_000 => {
                url = format!("{first}&starting_after={next}");
            }
            _ => return Ok((items, r)),
        }
    }
}

async fn list_cell(app: &TestApp, world: &World, s: &Section, of: Of, row: &Row, failures: &mut Vec<String>) {
    let Some(expect) = table::expect(&row.cells[0], row.line) else { panic!("roles.table:{}: a status", row.line) };
    let list = s.path.split('?').next().unwrap_or_default();
    let (mut exact, mut unspecified) = (BTreeSet::new(), BTreeSet::new());
    for token in row.cells[1..].iter().filter(|t| *t != "-") {
        let (set, name) = match token.strip_prefix('?') {
            Some(name) => (&mut unspecified, name),
            None => (&mut exact, token.as_str()),
        };
        assert!(world.names_in(of, name), "roles.table:{}: {name} is not a named object of {list}", row.line);
        set.insert(name.to_owned());
    }
    let at = at(s, row, "");
    let (items, last) = match fetch(app, world, s, row, &expect).await {
        Ok((_, r)) if r.status != 200 => return,
        Ok(found) => found,
        Err(m) => return failures.push(format!("{at}: {m}")),
    };
    // Only named links, refunds and customers exist while lists run: any other is a leak.
    let strict = matches!(of, Of::Link | Of::Refund | Of::Customer);
    let (mut seen, mut unnamed) = (BTreeSet::new(), Vec::new());
    for item in &items {
        match world.name_in_list(list, of, item) {
            Some(name) => {
                seen.insert(name.to_owned());
            }
            None if strict => unnamed.push(item["id"].to_string()),
            None => {}
        }
    }
    let missing: Vec<&String> = exact.difference(&seen).collect();
    let extra: Vec<&String> = seen.iter().filter(|n| !exact.contains(*n) && !unspecified.contains(*n)).collect();
    if !missing.is_empty() || !extra.is_empty() || !unnamed.is_empty() || last.body["has_more"] == true {
        failures.push(format!(
            "{at}: missing {missing:?}, not expected {extra:?}, unnamed {unnamed:?}, has_more {}",
            last.body["has_more"]
        ));
    }
    // A count is in the actor's scope too: with everything on one page, it is the number listed.
    let page_mode = s.path.contains("page=");
    if last.body["total"].as_u64().map_or(page_mode, |total| total != items.len() as u64) {
        failures.push(format!("{at}: total {} but {} items listed", last.body["total"], items.len()));
    }
}
