//! `/dashboard/links` and its CSV export: the same links as the API's list for the same filters,
//! keyset pages both ways, the role's scope, escaped titles, and filters that keep their values.

use super::client::Staff;
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::Environment;
use paylink::domain::access::{Actor, Role};
use paylink::service::links::export;
use paylink::service::links::list::ListInput;
use serde_json::json;
use std::sync::Arc;

/// The ids of the API's list for `query` (one page of up to 100).
async fn api_ids(app: &TestApp, key: &str, query: &str) -> Vec<String> {
    let r = app.get(key, &format!("/v1/payment_links?limit=100&{query}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_owned()).collect()
}

/// The first column of each record of a CSV export (header and BOM dropped).
fn csv_ids(csv: &str) -> Vec<String> {
    let body = csv.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut lines = body.split("\r\n").filter(|l| !l.is_empty());
    assert!(lines.next().unwrap().starts_with("id,created_at,title,amount,currency,status,"));
    lines.map(|l| l.split(',').next().unwrap().to_owned()).collect()
}

/// The ids the list page links to, in order.
fn page_ids(html: &str) -> Vec<String> {
    html.split("href=\"/dashboard/links/plink_")
        .skip(1)
        .map(|s| format!("plink_{}", &s[..s.find('"').unwrap()]))
        .collect()
}

/// The `href` of the pager link `rel`, unescaped.
fn pager(html: &str, rel: &str) -> Option<String> {
    let at = html.find(&format!("rel=\"{rel}\" href=\""))? + rel.len() + 13;
    Some(html[at..at + html[at..].find('"')?].replace("&#38;", "&").replace("&amp;", "&"))
}

async fn links(app: &TestApp, key: &str, n: usize, title: &str) {
    for i in 0..n {
        app.create_link(key, json!({"amount": format!("{}.50", 10 + i), "title": format!("{title} {i}")})).await;
    }
}

fn owner(app: &TestApp) -> Actor {
    Actor {
        merchant_id: app.merchant_id.clone(),
        store_id: app.store_id.clone(),
        environment: Environment::Sandbox,
        role: Role::Owner,
        branch_id: None,
        user_id: None,
        key_id: None,
    }
}

both!(the_export_walks_small_pages_and_holds_exactly_the_apis_list_in_its_order, |app: Arc<TestApp>| async move {
    links(&app, &app.owner_key, 8, "Tea").await;
    links(&app, &app.owner_key, 2, "Coffee").await;
    let input = ListInput {
        q: Some("tea".into()),
        sort: Some("amount".into()),
        order: Some("asc".into()),
        ..Default::default()
    };
    let mut export = export::start(&app.ctx, &owner(&app), input, 3).await.unwrap();
    let (mut csv, mut pieces) = (String::new(), 0);
    while let Some(piece) = export.next(&app.ctx).await.unwrap() {
        csv.push_str(&piece);
        pieces += 1;
    }
    assert!(pieces >= 3, "{pieces} pieces");
    let expected = api_ids(&app, &app.owner_key, "q=tea&sort=amount&order=asc").await;
    assert_eq!(expected.len(), 8);
    assert_eq!(csv_ids(&csv), expected);
    assert!(csv.contains(",10.50,SAR,open,"), "{csv}");
});

both!(the_csv_download_is_an_attachment_with_the_lists_links_for_the_same_query, |app: Arc<TestApp>| async move {
    links(&app, &app.owner_key, 5, "Tea").await;
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    let r = s.get("/dashboard/links.csv?q=tea&status=open&branch=&sort=created_at&order=desc").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.headers["content-type"], "text/csv; charset=utf-8");
    let disposition = r.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"payment-links-2") && disposition.ends_with(".csv\""));
    assert_eq!(csv_ids(&r.text), api_ids(&app, &app.owner_key, "q=tea&status=open").await);
});

both!(a_cashier_lists_only_their_own_links_and_may_not_export, |app: Arc<TestApp>| async move {
    links(&app, &app.owner_key, 2, "Owner's").await;
    let mut s = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id)).await;
    let key = app.post(&app.owner_key, "/v1/api_keys", json!({"name": "till", "user": s.email})).await;
    assert_eq!(key.status, 201, "{}", key.text);
    let key = key.body["secret"].as_str().unwrap().to_owned();
    links(&app, &key, 2, "Cashier's").await;
    let page = s.get("/dashboard/links").await;
    assert_eq!(page.status, 200);
    assert_eq!(page_ids(&page.text), api_ids(&app, &key, "").await);
    assert_eq!(page_ids(&page.text).len(), 2);
    assert!(!page.text.contains("Owner&#39;s") && !page.text.contains("Owner's"));
    assert!(page.text.contains("href=\"/dashboard/links/new\""), "a cashier creates links in their branch");
    assert_eq!(s.get("/dashboard/links.csv").await.status, 403, "docs/roles.md: exports are not a cashier's");
    let mut supervisor = Staff::signed_in(&app, Role::Supervisor, Some(&app.branch_id)).await;
    let csv = supervisor.get("/dashboard/links.csv").await;
    assert_eq!(csv_ids(&csv.text), api_ids(&app, &key, "").await, "the branch's links only");
});

both!(hostile_titles_are_shown_as_text, |app: Arc<TestApp>| async move {
    for title in ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"] {
        app.create_link(&app.owner_key, json!({"amount": 5, "title": title})).await;
    }
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    let page = s.get("/dashboard/links").await;
    assert_eq!(page.status, 200);
    assert!(!page.text.contains("<script>alert") && !page.text.contains("<img src=x"), "{}", page.text);
    assert!(page.text.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{}", page.text);
    assert!(page.text.contains("&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"), "{}", page.text);
    assert!(page.text.contains("<td><a dir=\"auto\" href=\"/dashboard/links/plink_"));
});

both!(filters_keep_their_values_and_pages_go_forward_and_back_with_them, |app: Arc<TestApp>| async move {
    links(&app, &app.owner_key, 23, "Tea").await;
    links(&app, &app.owner_key, 2, "Coffee").await;
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    let first =
        s.get("/dashboard/links?q=tea&status=open&amount_min=5&created_from=2020-01-01&sort=amount&order=asc").await;
    assert_eq!(first.status, 200, "{}", first.text);
    for kept in [
        "value=\"tea\"",
        "<option value=\"open\" selected>",
        "value=\"5\"",
        "value=\"2020-01-01\"",
        "<option value=\"amount\" selected>",
        "<option value=\"asc\" selected>",
    ] {
        assert!(first.text.contains(kept), "{kept}");
    }
    let ids = page_ids(&first.text);
    assert_eq!(ids, api_ids(&app, &app.owner_key, "q=tea&status=open&sort=amount&order=asc").await[..20]);
    assert!(pager(&first.text, "prev").is_none());
    let next = pager(&first.text, "next").expect("a next page");
    assert!(next.contains("q=tea") && next.contains("sort=amount") && next.contains("starting_after="), "{next}");
    let second = s.get(&next).await;
    assert_eq!(page_ids(&second.text).len(), 3);
    assert!(pager(&second.text, "next").is_none());
    let back = s.get(&pager(&second.text, "prev").expect("a previous page")).await;
    assert_eq!(page_ids(&back.text), ids);
    assert!(pager(&back.text, "prev").is_none());
    let none = s.get("/dashboard/links?q=nothing-like-this").await;
    assert!(none.text.contains("class=\"empty\""));
    assert_eq!(s.get("/dashboard/links?amount_min=abc").await.status, 400);
});
