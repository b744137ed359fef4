//! Seed 000's role rules through the Amwal list and details: ADMIN, OPERATION, OWNER and
//! ACCOUNTING see every link; SUPERVISOR the links of their branch; CASHIER the links they made
//! in their branch. A link outside the key's scope is 404 in details.

use super::{assert_amwal_error, create, create_path, details, list_path, post};
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::access::Role;
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The UUIDs the key's Amwal list shows (one page of 100).
async fn listed(app: &TestApp, key: &str) -> BTreeSet<String> {
    let r = post(app, key, &list_path(app), json!({"page_size": 100})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["results"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_owned()).collect()
}

/// Creates a link as `key` (in `branch`, if given); its UUID.
async fn link(app: &TestApp, key: &str, title: &str, branch: Option<&str>) -> String {
    let mut body = json!({"amount": 10, "title": title, "send_sms": false});
    if let Some(b) = branch {
        body["branch"] = json!(b);
    }
    create(app, key, body).await["payment_link_id"].as_str().unwrap().to_owned()
}

both!(each_of_the_six_roles_lists_and_reads_exactly_the_links_seed_000_gives_it, |app: Arc<TestApp>| async move {
    let (a, b) = (app.branch("BR-A").await, app.branch("BR-B").await);
    let (_, admin) = app.staff(Role::Admin, None).await;
    let (_, operation) = app.staff(Role::Operation, None).await;
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    let (_, supervisor_a) = app.staff(Role::Supervisor, Some(&a)).await;
    let (cashier_a1_id, cashier_a1) = app.staff(Role::Cashier, Some(&a)).await;
    let (_, cashier_a2) = app.staff(Role::Cashier, Some(&a)).await;
    let (_, cashier_b1) = app.staff(Role::Cashier, Some(&b)).await;
    let online = link(&app, &app.owner_key, "online", None).await;
    let owner_in_a = link(&app, &app.owner_key, "owner in A", Some("BR-A")).await;
    let by_a1 = link(&app, &cashier_a1, "by A1", None).await;
    let by_a2 = link(&app, &cashier_a2, "by A2", None).await;
    let by_b1 = link(&app, &cashier_b1, "by B1", None).await;
    let every: BTreeSet<String> = [&online, &owner_in_a, &by_a1, &by_a2, &by_b1].into_iter().cloned().collect();
    let set = |ids: &[&String]| ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    let expected = [
        ("OWNER", &app.owner_key, every.clone()),
        ("ADMIN", &admin, every.clone()),
        ("OPERATION", &operation, every.clone()),
        ("ACCOUNTING", &accounting, every.clone()),
        ("SUPERVISOR of A", &supervisor_a, set(&[&owner_in_a, &by_a1, &by_a2])),
        ("CASHIER A1", &cashier_a1, set(&[&by_a1])),
        ("CASHIER B1", &cashier_b1, set(&[&by_b1])),
    ];
    for (who, key, visible) in &expected {
        assert_eq!(&listed(&app, key).await, visible, "{who}'s Amwal list");
        for uuid in &every {
            let status = details(&app, key, uuid).await.status;
            let want = if visible.contains(uuid) { 200 } else { 404 };
            assert_eq!(status, want, "{who} reading {uuid}");
        }
    }
    let cashier_link = details(&app, &app.owner_key, &by_a1).await.body["payment_link"].clone();
    assert_eq!(cashier_link["cashier_id"], cashier_a1_id.as_str());
    assert_eq!(
        (cashier_link["branch"].as_str(), cashier_link["created_by_username"].as_str()),
        (Some("BR-A"), Some("Staff"))
    );
    assert!(cashier_link["created_by_email"].as_str().is_some_and(|e| e.ends_with("@example.com")), "{cashier_link}");
    let owner_link = details(&app, &app.owner_key, &online).await.body["payment_link"].clone();
    assert_eq!((&owner_link["cashier_id"], &owner_link["branch"]), (&json!(null), &json!(null)));
});

both!(accounting_may_read_but_not_create_and_a_cashier_only_in_its_branch, |app: Arc<TestApp>| async move {
    let (a, _) = (app.branch("BR-A").await, app.branch("BR-B").await);
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    let (_, cashier) = app.staff(Role::Cashier, Some(&a)).await;
    let body = json!({"amount": 10, "send_sms": false});
    let r = post(&app, &accounting, &create_path(&app), body.clone()).await;
    assert_amwal_error(&r, 403, None);
    let mut elsewhere = body.clone();
    elsewhere["branch"] = json!("BR-B");
    let r = post(&app, &cashier, &create_path(&app), elsewhere).await;
    assert_amwal_error(&r, 403, None);
    let own = create(&app, &cashier, body).await;
    let read = details(&app, &cashier, own["payment_link_id"].as_str().unwrap()).await;
    assert_eq!(read.body["payment_link"]["branch"], "BR-A", "a cashier's link lands in its branch");
});
