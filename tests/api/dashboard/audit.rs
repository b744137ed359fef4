//! Audit log pages: OWNER, ADMIN and ACCOUNTING read their merchant's entries (the API's rule),
//! others get 403; another merchant's entry is 404; the filters narrow like the API's; the CSV
//! holds what `/v1/audit_log` lists; the chain check needs the session's token and reports an
//! intact chain; snapshots are escaped.

use super::client::Staff;
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

/// The ids `/v1/audit_log` lists for `query`, newest first (one page of 100).
async fn api_ids(app: &TestApp, query: &str) -> Vec<String> {
    let r = app.get(&app.owner_key, &format!("/v1/audit_log?limit=100{query}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let data = r.body["data"].as_array().unwrap();
    data.iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect()
}

/// A new link through the API and its id.
async fn link(app: &TestApp, title: &str) -> String {
    let link = app.create_link(&app.owner_key, json!({"amount": "5.00", "title": title})).await;
    link["id"].as_str().unwrap().to_owned()
}

/// The first column of each record of a CSV file (its header left out).
fn csv_ids(text: &str) -> Vec<String> {
    let text = text.trim_start_matches('\u{feff}');
    text.split("\r\n").skip(1).filter(|l| !l.is_empty()).map(|l| l.split(',').next().unwrap().to_owned()).collect()
}

both!(an_admin_sees_the_link_and_user_changes_made_through_the_api, |app: Arc<TestApp>| async move {
    let id = link(&app, "Audited tea").await;
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    let page = admin.get("/dashboard/audit").await;
    assert_eq!(page.status, 200, "{}", page.text);
    for shown in ["<code dir=\"ltr\">payment_link.create</code>", "<code dir=\"ltr\">user.create</code>", id.as_str()] {
        assert!(page.text.contains(shown), "{shown} listed: {}", page.text);
    }
    assert!(page.text.contains(&format!("href=\"/dashboard/links/{id}\"")), "the link's page is linked");
    assert!(page.text.contains("href=\"/dashboard/audit\""), "in the navigation");
    let entry = &api_ids(&app, &format!("&object_id={id}")).await[0];
    let shown = admin.get(&format!("/dashboard/audit/{entry}")).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert!(shown.text.contains("Audited tea") && shown.text.contains("<pre class=\"audit-json\" dir=\"ltr\">"));
});

both!(a_cashier_is_refused_the_list_an_entry_the_csv_and_the_check, |app: Arc<TestApp>| async move {
    link(&app, "Not for cashiers").await;
    let entry = api_ids(&app, "").await[0].clone();
    let mut cashier = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id)).await;
    for path in ["/dashboard/audit".to_owned(), format!("/dashboard/audit/{entry}"), "/dashboard/audit.csv".into()] {
        let r = cashier.get(&path).await;
        assert_eq!(r.status, 403, "{path}: {}", r.text);
    }
    assert!(!cashier.get("/dashboard").await.text.contains("href=\"/dashboard/audit\""), "not in the navigation");
    let r = cashier.post("/dashboard", "/dashboard/audit/verify", &[]).await;
    assert_eq!(r.status, 403, "{}", r.text);
});

both!(an_entry_of_another_merchant_is_not_found, |app: Arc<TestApp>| async move {
    let foreign = app.foreign_key().await;
    app.create_link(&foreign, json!({"amount": "5.00", "title": "Theirs"})).await;
    let r = app.get(&foreign, "/v1/audit_log").await;
    let theirs = r.body["data"][0]["id"].as_str().unwrap().to_owned();
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    let page = admin.get(&format!("/dashboard/audit/{theirs}")).await;
    assert_eq!(page.status, 404, "{}", page.text);
    assert!(!admin.get("/dashboard/audit").await.text.contains(&theirs));
    assert_eq!(admin.get("/dashboard/audit/aud_nonsense").await.status, 404);
});

both!(the_action_filter_narrows_the_list_and_keeps_its_value, |app: Arc<TestApp>| async move {
    let id = link(&app, "Filtered").await;
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    let page = admin.get("/dashboard/audit?action=payment_link.create").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains(&id) && !page.text.contains("<code dir=\"ltr\">user.create</code>"), "{}", page.text);
    assert!(page.text.contains("value=\"payment_link.create\""), "the form keeps the filter");
    let bad = admin.get("/dashboard/audit?created_from=yesterday").await;
    assert_eq!(bad.status, 400, "{}", bad.text);
});

both!(the_csv_holds_the_entries_the_api_lists_for_the_same_filters, |app: Arc<TestApp>| async move {
    for title in ["One", "Two", "Three"] {
        link(&app, title).await;
    }
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    for query in ["", "action=payment_link.create"] {
        let r = admin.get(&format!("/dashboard/audit.csv?{query}")).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert!(r.text.trim_start_matches('\u{feff}').starts_with("id,created_at,actor_id,actor_role,action,"));
        let expected = api_ids(&app, &format!("&{query}")).await;
        assert!(!expected.is_empty());
        assert_eq!(csv_ids(&r.text), expected, "{query}");
    }
});

both!(the_chain_check_needs_the_sessions_form_token, |app: Arc<TestApp>| async move {
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    let missing = admin.post_raw("/dashboard/audit/verify", &[]).await;
    assert_eq!(missing.status, 403, "{}", missing.text);
    let forged = admin.post_raw("/dashboard/audit/verify", &[("csrf", "forged")]).await;
    assert_eq!(forged.status, 403, "{}", forged.text);
});

both!(the_chain_check_reports_an_intact_chain_with_its_number_of_entries, |app: Arc<TestApp>| async move {
    link(&app, "Chained").await;
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    paylink::worker::run_pending(&app.ctx).await;
    let entries = api_ids(&app, "").await.len();
    let r = admin.post("/dashboard/audit", "/dashboard/audit/verify", &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains(&format!("سجل التدقيق سليم: تم فحص {entries} من السجلات.")), "{}", r.text);
});

both!(a_script_in_a_link_title_shows_escaped_in_the_entry, |app: Arc<TestApp>| async move {
    let id = link(&app, "<script>alert(1)</script>").await;
    let cancel = app.post(&app.owner_key, &format!("/v1/payment_links/{id}/cancel"), json!({})).await;
    assert_eq!(cancel.status, 200, "{}", cancel.text);
    let entry = &api_ids(&app, &format!("&object_id={id}&action=payment_link.cancel")).await[0];
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    let page = admin.get(&format!("/dashboard/audit/{entry}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(!page.text.contains("<script>alert"), "{}", page.text);
    assert_eq!(page.text.matches("&#60;script&#62;alert(1)&#60;/script&#62;").count(), 2, "before and after");
});

/// The entry ids a list page shows, in order.
fn page_ids(html: &str) -> Vec<String> {
    let mut ids: Vec<String> = html
        .split("href=\"/dashboard/audit/aud_")
        .skip(1)
        .map(|rest| format!("aud_{}", &rest[..rest.find('"').unwrap()]))
        .collect();
    ids.dedup();
    ids
}

/// The address of the pager's link marked `rel`.
fn pager(html: &str, rel: &str) -> Option<String> {
    let end = html.find(&format!("\" rel=\"{rel}\""))?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(html[start..end].replace("&amp;", "&").replace("&#38;", "&"))
}

both!(next_and_previous_walk_the_keyset_pages_the_api_lists, |app: Arc<TestApp>| async move {
    for title in ["A", "B", "C", "D", "E"] {
        link(&app, title).await;
    }
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    let all = api_ids(&app, "&action=payment_link.create").await;
    let first = admin.get("/dashboard/audit?action=payment_link.create&limit=2").await;
    assert_eq!(page_ids(&first.text), all[..2], "{}", first.text);
    assert_eq!(pager(&first.text, "prev"), None, "no previous page on the first");
    let second = admin.get(&pager(&first.text, "next").unwrap()).await;
    assert_eq!(page_ids(&second.text), all[2..4]);
    let third = admin.get(&pager(&second.text, "next").unwrap()).await;
    assert_eq!(page_ids(&third.text), all[4..]);
    assert_eq!(pager(&third.text, "next"), None, "no next page on the last");
    assert!(third.text.contains("value=\"payment_link.create\""), "the filters are kept");
    let back = admin.get(&pager(&third.text, "prev").unwrap()).await;
    assert_eq!(page_ids(&back.text), all[2..4]);
    let back = admin.get(&pager(&back.text, "prev").unwrap()).await;
    assert_eq!(page_ids(&back.text), all[..2]);
});

both!(the_chain_check_names_the_first_altered_entry_of_the_merchant_only, |app: Arc<TestApp>| async move {
    let id = link(&app, "Altered later").await;
    let foreign = app.foreign_key().await;
    app.create_link(&foreign, json!({"amount": "5.00", "title": "Theirs"})).await;
    let theirs = app.get(&foreign, "/v1/audit_log").await.body["data"][0]["id"].as_str().unwrap().to_owned();
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    paylink::worker::run_pending(&app.ctx).await;
    let tamper = |entry: &str| format!("UPDATE audit_log SET action = 'payment_link.cancel' WHERE id = '{entry}'");
    crate::audit::tamper::sql(&app.ctx, &tamper(&theirs)).await;
    let r = admin.post("/dashboard/audit", "/dashboard/audit/verify", &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("تعذّر إكمال الفحص") && !r.text.contains(&theirs), "another merchant's break: {}", r.text);
    let ours = &api_ids(&app, &format!("&object_id={id}")).await[0];
    crate::audit::tamper::sql(&app.ctx, &tamper(ours)).await;
    let r = admin.post("/dashboard/audit", "/dashboard/audit/verify", &[]).await;
    assert!(r.text.contains("تم العبث بسجل التدقيق") && r.text.contains(ours.as_str()), "{}", r.text);
});
