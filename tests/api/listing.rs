//! Listing links (`GET /v1/payment_links`: filters, search, sort, cursor and page pagination) and
//! managing branches, users and API keys through `/v1`.

use crate::both;
use crate::helpers::{Resp, TestApp};
use paylink::domain::Timestamp;
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;

/// `GET /v1/payment_links` as `key` with the query pairs URL-encoded.
async fn list(app: &TestApp, key: &str, query: &[(&str, &str)]) -> Resp {
    let url = format!("{}/v1/payment_links", app.base);
    app.send(app.client.get(url).bearer_auth(key).query(query)).await
}

/// The ids of a successful list response, in order.
fn ids(r: &Resp) -> Vec<String> {
    assert_eq!(r.status, 200, "list: {}", r.text);
    r.body["data"].as_array().expect("data").iter().map(id).collect()
}

/// The owner's list for `query`, as ids.
async fn listed(app: &TestApp, query: &[(&str, &str)]) -> Vec<String> {
    ids(&list(app, &app.owner_key, query).await)
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_owned()
}

/// Creates a link as the owner, then moves the clock one second on (so creation order is strict).
async fn create_then_tick(app: &TestApp, body: Value) -> Value {
    let link = app.create_link(&app.owner_key, body).await;
    app.ctx.clock.advance_secs(1);
    link
}

async fn cancel(app: &TestApp, link: &Value) {
    let r = app.post(&app.owner_key, &format!("/v1/payment_links/{}/cancel", id(link)), json!({})).await;
    assert_eq!(r.status, 200, "cancel: {}", r.text);
}

fn assert_400_on(r: &Resp, field: &str) {
    assert_eq!(r.status, 400, "expected 400 on {field}: {}", r.text);
    assert!(r.body["details"][field].is_string(), "details should name {field}: {}", r.text);
}

both!(filtering_by_status_returns_only_links_in_that_status, |app: Arc<TestApp>| async move {
    let open = create_then_tick(&app, json!({"amount": 10, "title": "open"})).await;
    let cancelled = create_then_tick(&app, json!({"amount": 10, "title": "cancelled"})).await;
    cancel(&app, &cancelled).await;
    assert_eq!(listed(&app, &[("status", "open")]).await, [id(&open)]);
    assert_eq!(listed(&app, &[("status", "cancelled")]).await, [id(&cancelled)]);
    assert!(listed(&app, &[("status", "paid")]).await.is_empty());
    assert!(listed(&app, &[("status", "expired")]).await.is_empty());
    assert_400_on(&list(&app, &app.owner_key, &[("status", "pending")]).await, "status");
});

both!(an_open_link_past_its_expiry_is_listed_as_expired_and_no_longer_as_open, |app: Arc<TestApp>| async move {
    let expires = Timestamp::from_micros(app.ctx.clock.now().micros() + 60_000_000).to_rfc3339();
    let expiring = create_then_tick(&app, json!({"amount": 10, "title": "soon", "expires_at": expires})).await;
    let lasting = create_then_tick(&app, json!({"amount": 10, "title": "never"})).await;
    assert_eq!(listed(&app, &[("status", "open")]).await, [id(&lasting), id(&expiring)]);
    app.ctx.clock.advance_secs(61);
    assert_eq!(listed(&app, &[("status", "open")]).await, [id(&lasting)]);
    let expired = list(&app, &app.owner_key, &[("status", "expired")]).await;
    assert_eq!(ids(&expired), [id(&expiring)]);
    assert_eq!(expired.body["data"][0]["status"], "expired");
});

both!(filtering_by_branch_returns_only_that_branchs_links, |app: Arc<TestApp>| async move {
    let north = app.branch("NORTH-01").await;
    let in_north = create_then_tick(&app, json!({"amount": 10, "title": "n", "branch": "NORTH-01"})).await;
    let in_main = create_then_tick(&app, json!({"amount": 10, "title": "m", "branch": app.branch_id})).await;
    create_then_tick(&app, json!({"amount": 10, "title": "none"})).await;
    assert_eq!(in_north["branch_id"], north.as_str());
    assert_eq!(listed(&app, &[("branch", &north)]).await, [id(&in_north)]);
    assert_eq!(listed(&app, &[("branch", &app.branch_id)]).await, [id(&in_main)]);
});

both!(filtering_by_creator_returns_only_the_links_that_principal_created, |app: Arc<TestApp>| async move {
    let (cashier, cashier_key) = app.staff(Role::Cashier, Some("MAIN-001")).await;
    let by_cashier = app.create_link(&cashier_key, json!({"amount": 10, "title": "c"})).await;
    app.ctx.clock.advance_secs(1);
    let by_owner = create_then_tick(&app, json!({"amount": 10, "title": "o"})).await;
    assert_eq!(by_cashier["created_by"], cashier.as_str());
    assert_eq!(listed(&app, &[("created_by", &cashier)]).await, [id(&by_cashier)]);
    let owner = by_owner["created_by"].as_str().unwrap();
    assert_eq!(listed(&app, &[("created_by", owner)]).await, [id(&by_owner)]);
    assert!(listed(&app, &[("created_by", "usr_nobody")]).await.is_empty());
});

both!(filtering_by_creation_time_includes_the_start_and_excludes_the_end, |app: Arc<TestApp>| async move {
    let first = create_then_tick(&app, json!({"amount": 10, "title": "1"})).await;
    app.ctx.clock.advance_secs(10);
    let second = create_then_tick(&app, json!({"amount": 10, "title": "2"})).await;
    app.ctx.clock.advance_secs(10);
    let third = create_then_tick(&app, json!({"amount": 10, "title": "3"})).await;
    let at = |l: &Value| l["created_at"].as_str().unwrap().to_owned();
    assert_eq!(listed(&app, &[("created_from", &at(&second))]).await, [id(&third), id(&second)]);
    assert_eq!(listed(&app, &[("created_to", &at(&second))]).await, [id(&first)]);
    assert_eq!(listed(&app, &[("created_from", &at(&second)), ("created_to", &at(&third))]).await, [id(&second)]);
    assert_eq!(listed(&app, &[("created_from", "2000-01-01")]).await.len(), 3);
    assert!(listed(&app, &[("created_to", "2000-01-01")]).await.is_empty());
    assert_400_on(&list(&app, &app.owner_key, &[("created_from", "yesterday")]).await, "created_from");
    assert_400_on(&list(&app, &app.owner_key, &[("created_to", "2025-13-01")]).await, "created_to");
});

both!(filtering_by_amount_range_is_inclusive_at_both_ends, |app: Arc<TestApp>| async move {
    let ten = create_then_tick(&app, json!({"amount": "10", "title": "10"})).await;
    let mid = create_then_tick(&app, json!({"amount": "20.50", "title": "20.50"})).await;
    let thirty = create_then_tick(&app, json!({"amount": "30", "title": "30"})).await;
    assert_eq!(listed(&app, &[("amount_min", "20.50")]).await, [id(&thirty), id(&mid)]);
    assert_eq!(listed(&app, &[("amount_max", "20.50")]).await, [id(&mid), id(&ten)]);
    assert_eq!(listed(&app, &[("amount_min", "15"), ("amount_max", "25")]).await, [id(&mid)]);
    assert!(listed(&app, &[("amount_min", "30.01")]).await.is_empty());
    assert_400_on(&list(&app, &app.owner_key, &[("amount_min", "ten")]).await, "amount_min");
    assert_400_on(&list(&app, &app.owner_key, &[("amount_max", "1.234")]).await, "amount_max");
});

both!(filtering_by_currency_returns_only_links_in_that_currency, |app: Arc<TestApp>| async move {
    let sar = create_then_tick(&app, json!({"amount": "12.34", "title": "sar"})).await;
    let usd = create_then_tick(&app, json!({"amount": "10", "currency": "USD", "title": "usd"})).await;
    let kwd = create_then_tick(&app, json!({"amount": "1.234", "currency": "KWD", "title": "kwd"})).await;
    assert_eq!(listed(&app, &[("currency", "SAR")]).await, [id(&sar)]);
    assert_eq!(listed(&app, &[("currency", "USD")]).await, [id(&usd)]);
    // The amount range is read in the filter's currency: 1.234 KWD is 1234 minor units.
    assert_eq!(listed(&app, &[("currency", "KWD"), ("amount_min", "1.234")]).await, [id(&kwd)]);
    assert!(listed(&app, &[("currency", "KWD"), ("amount_min", "1.235")]).await.is_empty());
    assert_400_on(&list(&app, &app.owner_key, &[("currency", "XXX")]).await, "currency");
});

both!(search_matches_each_searched_field_case_insensitively, |app: Arc<TestApp>| async move {
    let bodies = [
        ("zEbRa", json!({"amount": 1, "title": "Zebra crossing"})),
        ("QUOKKA", json!({"amount": 1, "title": "t", "description": "A quokka smiles"})),
        ("narwhal-7", json!({"amount": 1, "title": "t", "reference_id": "REF-Narwhal-7"})),
        ("axolotl", json!({"amount": 1, "title": "t", "customer": {"first_name": "AXOLOTL"}})),
        ("pangolin", json!({"amount": 1, "title": "t", "customer": {"last_name": "Pangolin"}})),
        ("501234567", json!({"amount": 1, "title": "t", "customer": {"phone": "+966501234567"}})),
        ("okapi.keeper@", json!({"amount": 1, "title": "t", "customer": {"email": "Okapi.Keeper@Example.com"}})),
    ];
    let mut expected = Vec::new();
    for (q, body) in bodies {
        expected.push((q, id(&create_then_tick(&app, body).await)));
    }
    create_then_tick(&app, json!({"amount": 1, "title": "t", "metadata": {"note": "walrus"}})).await;
    for (q, link) in &expected {
        assert_eq!(listed(&app, &[("q", q)]).await, std::slice::from_ref(link), "q={q}");
    }
    assert!(listed(&app, &[("q", "walrus")]).await.is_empty(), "metadata is not searched");
    assert_eq!(listed(&app, &[("q", "  ")]).await.len(), 8, "a blank q does not filter");
    assert_400_on(&list(&app, &app.owner_key, &[("q", &"x".repeat(101))]).await, "q");
});

both!(percent_and_underscore_in_a_search_are_matched_literally, |app: Arc<TestApp>| async move {
    let percent = create_then_tick(&app, json!({"amount": 1, "title": "100% off"})).await;
    create_then_tick(&app, json!({"amount": 1, "title": "1000 off"})).await;
    let underscore = create_then_tick(&app, json!({"amount": 1, "title": "a_b"})).await;
    create_then_tick(&app, json!({"amount": 1, "title": "axb"})).await;
    let backslash = create_then_tick(&app, json!({"amount": 1, "title": "c\\d"})).await;
    assert_eq!(listed(&app, &[("q", "100%")]).await, [id(&percent)]);
    assert_eq!(listed(&app, &[("q", "%")]).await, [id(&percent)]);
    assert_eq!(listed(&app, &[("q", "a_b")]).await, [id(&underscore)]);
    assert_eq!(listed(&app, &[("q", "_")]).await, [id(&underscore)]);
    assert_eq!(listed(&app, &[("q", "\\")]).await, [id(&backslash)]);
});

both!(sorting_by_each_key_orders_ascending_and_descending, |app: Arc<TestApp>| async move {
    let charlie = id(&create_then_tick(&app, json!({"amount": 20, "title": "Charlie"})).await);
    let alpha_link = create_then_tick(&app, json!({"amount": 30, "title": "Alpha"})).await;
    cancel(&app, &alpha_link).await;
    let alpha = id(&alpha_link);
    let bravo = id(&create_then_tick(&app, json!({"amount": 10, "title": "Bravo"})).await);
    let cases: [(&str, [&String; 3]); 4] = [
        ("created_at", [&charlie, &alpha, &bravo]),
        ("amount", [&bravo, &charlie, &alpha]),
        ("title", [&alpha, &bravo, &charlie]),
        // cancelled < open; ties (the two open links) broken by id, which follows creation.
        ("status", [&alpha, &charlie, &bravo]),
    ];
    for (key, ascending) in cases {
        let asc: Vec<String> = ascending.iter().map(|s| (*s).clone()).collect();
        let desc: Vec<String> = asc.iter().rev().cloned().collect();
        assert_eq!(listed(&app, &[("sort", key), ("order", "asc")]).await, asc, "sort={key} asc");
        assert_eq!(listed(&app, &[("sort", key), ("order", "desc")]).await, desc, "sort={key} desc");
        assert_eq!(listed(&app, &[("sort", key)]).await, desc, "sort={key} defaults to desc");
    }
    assert_eq!(listed(&app, &[]).await, [bravo, alpha, charlie], "newest first by default");
    assert_400_on(&list(&app, &app.owner_key, &[("sort", "reference_id")]).await, "sort");
    assert_400_on(&list(&app, &app.owner_key, &[("order", "up")]).await, "order");
});

/// Follows `next_cursor` from the first page to the last; checks `has_more` on each page.
async fn walk(app: &TestApp, query: &[(&str, &str)]) -> Vec<String> {
    let (mut all, mut cursor) = (Vec::new(), None::<String>);
    for _ in 0..100 {
        let mut q = query.to_vec();
        if let Some(c) = &cursor {
            q.push(("starting_after", c));
        }
        let page = list(app, &app.owner_key, &q).await;
        let page_ids = ids(&page);
        assert!(page.body["total"].is_null(), "cursor mode has no total: {}", page.text);
        all.extend(page_ids.iter().cloned());
        if page.body["has_more"] != true {
            assert!(page.body["next_cursor"].is_null(), "no cursor on the last page: {}", page.text);
            return all;
        }
        assert_eq!(page.body["next_cursor"].as_str(), page_ids.last().map(String::as_str));
        cursor = page_ids.last().cloned();
    }
    panic!("the cursor walk did not end");
}

both!(walking_cursor_pages_returns_every_link_exactly_once_in_order, |app: Arc<TestApp>| async move {
    let mut created = Vec::new();
    for n in 0..45 {
        created.push(id(&create_then_tick(&app, json!({"amount": 1 + n, "title": format!("link {n}")})).await));
    }
    let first = list(&app, &app.owner_key, &[("limit", "20")]).await;
    assert_eq!((ids(&first).len(), &first.body["has_more"]), (20, &json!(true)));
    let newest_first: Vec<String> = created.iter().rev().cloned().collect();
    assert_eq!(walk(&app, &[("limit", "20")]).await, newest_first);
    assert_eq!(walk(&app, &[("limit", "20"), ("order", "asc")]).await, created);
    assert_eq!(walk(&app, &[("limit", "20"), ("sort", "amount"), ("order", "asc")]).await, created);
    assert_eq!(walk(&app, &[("limit", "100")]).await, newest_first, "one page when the limit covers all");
});

both!(cursor_pages_break_ties_in_the_sort_key_by_id, |app: Arc<TestApp>| async move {
    let mut made = Vec::new();
    for title in ["B", "A", "B", "A", "C", "A"] {
        made.push((title, id(&create_then_tick(&app, json!({"amount": 5, "title": title})).await)));
    }
    let mut asc = made.clone();
    asc.sort();
    let asc: Vec<String> = asc.into_iter().map(|(_, i)| i).collect();
    let desc: Vec<String> = asc.iter().rev().cloned().collect();
    assert_eq!(walk(&app, &[("limit", "2"), ("sort", "title"), ("order", "asc")]).await, asc);
    assert_eq!(walk(&app, &[("limit", "2"), ("sort", "title"), ("order", "desc")]).await, desc);
    let by_amount: Vec<String> = made.iter().rev().map(|(_, i)| i.clone()).collect();
    assert_eq!(walk(&app, &[("limit", "4"), ("sort", "amount")]).await, by_amount, "all amounts equal: id decides");
});

both!(page_mode_returns_the_requested_page_and_the_total, |app: Arc<TestApp>| async move {
    let mut created = Vec::new();
    for n in 0..25 {
        created.push(create_then_tick(&app, json!({"amount": 1 + n, "title": format!("p{n}")})).await);
    }
    for link in created.iter().step_by(5) {
        cancel(&app, link).await;
    }
    let newest_first: Vec<String> = created.iter().rev().map(id).collect();
    let mut seen = Vec::new();
    for (page, len, more) in [("1", 10, true), ("2", 10, true), ("3", 5, false), ("4", 0, false)] {
        let r = list(&app, &app.owner_key, &[("page", page), ("page_size", "10")]).await;
        assert_eq!(ids(&r).len(), len, "page {page}");
        assert_eq!((&r.body["total"], &r.body["has_more"]), (&json!(25), &json!(more)), "page {page}: {}", r.text);
        seen.extend(ids(&r));
    }
    assert_eq!(seen, newest_first);
    let cancelled = list(&app, &app.owner_key, &[("status", "cancelled"), ("page", "1"), ("page_size", "2")]).await;
    assert_eq!((ids(&cancelled).len(), &cancelled.body["total"]), (2, &json!(5)), "the total follows the filters");
    let default_size = list(&app, &app.owner_key, &[("page", "1")]).await;
    assert_eq!((ids(&default_size).len(), &default_size.body["total"]), (20, &json!(25)));
});

both!(page_sizes_and_limits_above_100_or_below_1_answer_400, |app: Arc<TestApp>| async move {
    create_then_tick(&app, json!({"amount": 1, "title": "t"})).await;
    for (field, value) in [("limit", "101"), ("limit", "0"), ("page_size", "101"), ("page_size", "0"), ("page", "0")] {
        assert_400_on(&list(&app, &app.owner_key, &[(field, value)]).await, field);
    }
    assert_eq!(listed(&app, &[("limit", "100")]).await.len(), 1);
    assert_eq!(listed(&app, &[("page", "1"), ("page_size", "100")]).await.len(), 1);
    let mixed = list(&app, &app.owner_key, &[("page", "1"), ("starting_after", "plink_x")]).await;
    assert_eq!(mixed.status, 400, "page and cursor together: {}", mixed.text);
});

both!(starting_after_an_id_not_in_the_list_answers_400, |app: Arc<TestApp>| async move {
    let owners = create_then_tick(&app, json!({"amount": 1, "title": "owner's, no branch"})).await;
    let foreign_key = app.foreign_key().await;
    let foreign = app.create_link(&foreign_key, json!({"amount": 1, "title": "elsewhere"})).await;
    let (ms, rnd) = paylink::service::secrets::id_parts(app.ctx.clock.now());
    let unknown = paylink::domain::id::LinkId::generate(ms, rnd).to_string();
    for cursor in [id(&foreign), unknown, "plink_not-an-id".to_owned(), "usr_01JD0000000000000000000000".to_owned()] {
        let r = list(&app, &app.owner_key, &[("starting_after", &cursor)]).await;
        assert_400_on(&r, "starting_after");
        assert_eq!(r.body["error_code"], "INVALID_REQUEST", "{cursor}");
    }
    let (_, cashier_key) = app.staff(Role::Cashier, Some("MAIN-001")).await;
    let hidden = list(&app, &cashier_key, &[("starting_after", &id(&owners))]).await;
    assert_400_on(&hidden, "starting_after");
    assert_eq!(listed(&app, &[("starting_after", &id(&owners))]).await, Vec::<String>::new());
});

// --- branches, users and keys ----------------------------------------------------------------

both!(an_owner_creates_lists_reads_renames_disables_and_reenables_branches, |app: Arc<TestApp>| async move {
    let key = app.owner_key.as_str();
    let made = app.post(key, "/v1/branches", json!({"code": "RIYADH-001", "name": "Riyadh"})).await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(
        (&made.body["object"], &made.body["code"], &made.body["disabled"]),
        (&json!("branch"), &json!("RIYADH-001"), &json!(false))
    );
    let branch = id(&made.body);
    let codes: Vec<Value> =
        app.get(key, "/v1/branches").await.body["data"].as_array().unwrap().iter().map(|b| b["code"].clone()).collect();
    assert!(codes.contains(&json!("MAIN-001")) && codes.contains(&json!("RIYADH-001")), "{codes:?}");
    assert_eq!(app.get(key, &format!("/v1/branches/{branch}")).await.body, made.body);
    assert_eq!(app.get(key, "/v1/branches/RIYADH-001").await.body, made.body, "a branch is found by code too");
    let path = format!("/v1/branches/{branch}");
    let renamed = app.call("PATCH", &path, Some(key), Some(json!({"name": "Riyadh North"}))).await;
    assert_eq!((renamed.status, &renamed.body["name"]), (200, &json!("Riyadh North")));
    let disabled = app.post(key, &format!("{path}/disable"), json!({})).await;
    assert_eq!((disabled.status, &disabled.body["disabled"]), (200, &json!(true)));
    assert_eq!(app.get(key, &path).await.body["disabled"], true);
    let enabled = app.call("PATCH", &path, Some(key), Some(json!({"disabled": false}))).await;
    assert_eq!((enabled.status, &enabled.body["disabled"]), (200, &json!(false)));
    assert_eq!(app.get(key, "/v1/branches/NOPE-9").await.status, 404);
    let bad = app.post(key, "/v1/branches", json!({"code": "has space", "name": "x"})).await;
    assert_400_on(&bad, "code");
});

both!(a_duplicate_branch_code_answers_409_duplicate_branch_code, |app: Arc<TestApp>| async move {
    let first = app.post(&app.owner_key, "/v1/branches", json!({"code": "JEDDAH-001", "name": "Jeddah"})).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = app.post(&app.owner_key, "/v1/branches", json!({"code": "JEDDAH-001", "name": "Other"})).await;
    assert_eq!(
        (again.status, again.body["error_code"].as_str()),
        (409, Some("DUPLICATE_BRANCH_CODE")),
        "{}",
        again.text
    );
    let demo = app.post(&app.owner_key, "/v1/branches", json!({"code": "MAIN-001", "name": "Main again"})).await;
    assert_eq!((demo.status, demo.body["error_code"].as_str()), (409, Some("DUPLICATE_BRANCH_CODE")));
});

both!(an_owner_creates_lists_reads_updates_and_disables_users, |app: Arc<TestApp>| async move {
    let key = app.owner_key.as_str();
    let body = json!({"email": "Cashier.One@Example.com", "name": "Noura", "role": "CASHIER", "branch": "MAIN-001"});
    let made = app.post(key, "/v1/users", body).await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!((&made.body["object"], &made.body["role"]), (&json!("user"), &json!("CASHIER")));
    assert_eq!(
        (&made.body["email"], &made.body["branch_id"]),
        (&json!("cashier.one@example.com"), &json!(app.branch_id))
    );
    let password = made.body["password"].as_str().expect("a generated password").to_owned();
    assert!(password.len() >= 12, "a strong password: {password}");
    let user = id(&made.body);
    let listed = app.get(key, "/v1/users").await;
    assert!(listed.body["data"].as_array().unwrap().iter().any(|u| u["id"] == user.as_str()));
    let path = format!("/v1/users/{user}");
    let read = app.get(key, &path).await;
    assert_eq!((read.status, &read.body["email"]), (200, &json!("cashier.one@example.com")));
    assert_eq!(app.get(key, "/v1/users/cashier.one@example.com").await.body["id"], user.as_str());
    assert!(!read.text.contains(&password) && !listed.text.contains(&password), "the password is shown once");
    let promoted = app.call("PATCH", &path, Some(key), Some(json!({"role": "SUPERVISOR", "name": "Noura A."}))).await;
    assert_eq!(
        (promoted.status, &promoted.body["role"], &promoted.body["name"]),
        (200, &json!("SUPERVISOR"), &json!("Noura A."))
    );
    let disabled = app.post(key, &format!("{path}/disable"), json!({})).await;
    assert_eq!((disabled.status, &disabled.body["disabled"]), (200, &json!(true)));
    assert_eq!(app.get(key, "/v1/users/usr_01JD0000000000000000000000").await.status, 404);
});

both!(a_supervisor_or_cashier_without_a_branch_is_refused, |app: Arc<TestApp>| async move {
    for role in ["CASHIER", "SUPERVISOR"] {
        let r =
            app.post(&app.owner_key, "/v1/users", json!({"email": format!("{role}@example.com"), "role": role})).await;
        assert_400_on(&r, "branch");
    }
    let r = app
        .post(&app.owner_key, "/v1/users", json!({"email": "x@example.com", "role": "CASHIER", "branch": "NOPE"}))
        .await;
    assert_400_on(&r, "branch");
});

both!(a_duplicate_user_email_answers_409_duplicate_email, |app: Arc<TestApp>| async move {
    let body = |email: &str| json!({"email": email, "role": "OPERATION"});
    assert_eq!(app.post(&app.owner_key, "/v1/users", body("dup@example.com")).await.status, 201);
    for email in ["dup@example.com", "DUP@Example.com", "owner@example.com"] {
        let again = app.post(&app.owner_key, "/v1/users", body(email)).await;
        assert_eq!(
            (again.status, again.body["error_code"].as_str()),
            (409, Some("DUPLICATE_EMAIL")),
            "{email}: {}",
            again.text
        );
    }
});

both!(an_admin_manages_staff_but_cannot_create_or_touch_an_owner, |app: Arc<TestApp>| async move {
    let (_, admin) = app.staff(Role::Admin, None).await;
    let owner = app.create_link(&app.owner_key, json!({"amount": 1, "title": "t"})).await["created_by"]
        .as_str()
        .unwrap()
        .to_owned();
    let forbidden = app.post(&admin, "/v1/users", json!({"email": "boss@example.com", "role": "OWNER"})).await;
    assert_eq!(
        (forbidden.status, forbidden.body["error_code"].as_str()),
        (403, Some("FORBIDDEN")),
        "{}",
        forbidden.text
    );
    let cashier =
        app.post(&admin, "/v1/users", json!({"email": "c@example.com", "role": "CASHIER", "branch": "MAIN-001"})).await;
    assert_eq!(cashier.status, 201, "{}", cashier.text);
    let path = format!("/v1/users/{}", id(&cashier.body));
    assert_eq!(app.call("PATCH", &path, Some(&admin), Some(json!({"role": "OWNER"}))).await.status, 403);
    assert_eq!(app.post(&admin, &format!("/v1/users/{owner}/disable"), json!({})).await.status, 403);
    let owner_key = app.post(&admin, "/v1/api_keys", json!({"role": "OWNER"})).await;
    assert_eq!(owner_key.status, 403, "{}", owner_key.text);
    assert_eq!(app.get(&app.owner_key, &format!("/v1/users/{owner}")).await.body["disabled"], false);
    assert_eq!(app.post(&admin, "/v1/branches", json!({"code": "ADM-1", "name": "By admin"})).await.status, 201);
});

both!(staff_roles_below_admin_cannot_manage_branches_users_or_keys, |app: Arc<TestApp>| async move {
    for (role, branch) in [
        (Role::Operation, None),
        (Role::Accounting, None),
        (Role::Supervisor, Some("MAIN-001")),
        (Role::Cashier, Some("MAIN-001")),
    ] {
        let (_, key) = app.staff(role, branch).await;
        for path in ["/v1/branches", "/v1/users", "/v1/api_keys"] {
            let r = app.get(&key, path).await;
            assert_eq!((r.status, r.body["error_code"].as_str()), (403, Some("FORBIDDEN")), "{role:?} GET {path}");
        }
        let r = app.post(&key, "/v1/branches", json!({"code": "X-1", "name": "x"})).await;
        assert_eq!(r.status, 403, "{role:?} creates a branch: {}", r.text);
        let r = app.post(&key, "/v1/api_keys", json!({"role": "CASHIER", "branch": "MAIN-001"})).await;
        assert_eq!(r.status, 403, "{role:?} creates a key: {}", r.text);
    }
});

both!(an_owner_creates_lists_reads_renames_and_revokes_keys, |app: Arc<TestApp>| async move {
    let key = app.owner_key.as_str();
    let made = app.post(key, "/v1/api_keys", json!({"name": "Ops service", "role": "OPERATION"})).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let secret = made.body["secret"].as_str().expect("the secret").to_owned();
    assert!(secret.starts_with("sk_test_"), "{secret}");
    assert_eq!(
        (&made.body["object"], &made.body["role"], &made.body["environment"]),
        (&json!("api_key"), &json!("OPERATION"), &json!("sandbox"))
    );
    assert_eq!(made.body["prefix"].as_str(), secret.get(..14));
    let key_id = id(&made.body);
    let path = format!("/v1/api_keys/{key_id}");
    assert_eq!(list(&app, &secret, &[]).await.status, 200, "the new key works");
    let listed = app.get(key, "/v1/api_keys").await;
    assert!(listed.body["data"].as_array().unwrap().iter().any(|k| k["id"] == key_id.as_str()));
    let read = app.get(key, &path).await;
    assert_eq!((read.status, &read.body["name"]), (200, &json!("Ops service")));
    let renamed = app.call("PATCH", &path, Some(key), Some(json!({"name": "Ops v2"}))).await;
    assert_eq!((renamed.status, &renamed.body["name"]), (200, &json!("Ops v2")));
    let revoked = app.post(key, &format!("{path}/revoke"), json!({})).await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert!(revoked.body["revoked_at"].is_string());
    let again = app.post(key, &format!("{path}/revoke"), json!({})).await;
    assert_eq!((again.status, again.body["error_code"].as_str()), (409, Some("ALREADY_REVOKED")));
    assert_eq!(app.get(key, "/v1/api_keys/key_01JD0000000000000000000000").await.status, 404);
});

both!(a_key_secret_appears_only_in_the_creation_response, |app: Arc<TestApp>| async move {
    let (user, _) = app.staff(Role::Operation, None).await;
    let made = app.post(&app.owner_key, "/v1/api_keys", json!({"name": "bound", "user": user})).await;
    assert_eq!((made.status, &made.body["user_id"]), (201, &json!(user)), "{}", made.text);
    let secret = made.body["secret"].as_str().unwrap().to_owned();
    let path = format!("/v1/api_keys/{}", id(&made.body));
    for r in [app.get(&app.owner_key, &path).await, app.get(&app.owner_key, "/v1/api_keys").await] {
        assert_eq!(r.status, 200);
        assert!(!r.text.contains(&secret), "the secret leaked: {}", r.text);
        assert!(!r.text.contains("\"secret\""), "no secret field outside creation: {}", r.text);
    }
});

both!(a_revoked_key_answers_401_on_its_next_request, |app: Arc<TestApp>| async move {
    let made = app.post(&app.owner_key, "/v1/api_keys", json!({"role": "ADMIN"})).await;
    let secret = made.body["secret"].as_str().unwrap().to_owned();
    assert_eq!(list(&app, &secret, &[]).await.status, 200, "used once, so it is in the key cache");
    let r = app.post(&app.owner_key, &format!("/v1/api_keys/{}/revoke", id(&made.body)), json!({})).await;
    assert_eq!(r.status, 200);
    let after = list(&app, &secret, &[]).await;
    assert_eq!((after.status, after.body["error_code"].as_str()), (401, Some("UNAUTHENTICATED")), "{}", after.text);
});

both!(a_disabled_users_key_answers_401_until_the_user_is_enabled_again, |app: Arc<TestApp>| async move {
    let (user, key) = app.staff(Role::Cashier, Some("MAIN-001")).await;
    assert_eq!(list(&app, &key, &[]).await.status, 200);
    let r = app.post(&app.owner_key, &format!("/v1/users/{user}/disable"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let refused = list(&app, &key, &[]).await;
    assert_eq!((refused.status, refused.body["error_code"].as_str()), (401, Some("UNAUTHENTICATED")));
    let path = format!("/v1/users/{user}");
    assert_eq!(app.call("PATCH", &path, Some(&app.owner_key), Some(json!({"disabled": false}))).await.status, 200);
    assert_eq!(list(&app, &key, &[]).await.status, 200, "re-enabled");
});
