//! `/dashboard`: the figures of the day in the user's scope (an owner's store, a cashier's own
//! links), the refunds waiting for this user's approval, and the empty state.

use super::client::Staff;
use crate::both;
use crate::helpers::TestApp;
use crate::refunds::paid;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

const CARD: &str = "4242424242424242";

/// The values of the tile labelled `label`.
fn tile(html: &str, label: &str) -> Option<Vec<String>> {
    let at = html.find(&format!("<div class=\"label\">{label}</div>"))?;
    let rest = &html[at..];
    let end = rest[1..].find("class=\"tile\"").or_else(|| rest.find("</section>")).unwrap_or(rest.len());
    let values = rest[..end].split("<div class=\"value\">").skip(1);
    Some(values.map(|v| v[..v.find("</div>").unwrap()].to_owned()).collect())
}

/// A staff member reading in English, with a key of their own.
async fn staff<'a>(app: &'a TestApp, role: Role, branch: Option<&str>) -> (Staff<'a>, String) {
    let mut s = Staff::signed_in(app, role, branch).await;
    let r = s.post("/dashboard", "/dashboard/language", &[("language", "en"), ("back", "/dashboard")]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let key = app.post(&app.owner_key, "/v1/api_keys", json!({"name": "own", "user": s.email})).await;
    assert_eq!(key.status, 201, "{}", key.text);
    (s, key.body["secret"].as_str().unwrap().to_owned())
}

async fn open_link(app: &TestApp, key: &str) {
    app.create_link(key, json!({"amount": "5.00", "currency": "SAR", "title": "Open"})).await;
}

both!(the_home_figures_are_the_owners_store_and_the_cashiers_own_links, |app: Arc<TestApp>| async move {
    let (mut owner, okey) = staff(&app, Role::Owner, None).await;
    let (mut cashier, ckey) = staff(&app, Role::Cashier, Some(&app.branch_id)).await;
    let first = paid(&app, &okey, "12.50", CARD).await;
    let second = paid(&app, &okey, "7.25", CARD).await;
    paid(&app, &ckey, "3.00", CARD).await;
    open_link(&app, &okey).await;
    open_link(&app, &ckey).await;
    let (_, operation) = app.staff(Role::Operation, None).await;
    let refund = |key: String, payment: String| {
        let app = app.clone();
        async move { app.post(&key, "/v1/refunds", json!({"payment_id": payment, "amount": "1.00"})).await }
    };
    assert_eq!(refund(operation, first).await.body["status"], "pending_approval");
    assert_eq!(refund(okey.clone(), second).await.body["status"], "pending_approval", "the owner's own");

    let page = owner.get("/dashboard").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert_eq!(tile(&page.text, "Collected today").unwrap(), ["SAR 22.75"]);
    assert_eq!(tile(&page.text, "Collected this month").unwrap(), ["SAR 22.75"]);
    assert_eq!(tile(&page.text, "Payments today").unwrap(), ["3"]);
    assert_eq!(tile(&page.text, "Open links").unwrap(), ["2"]);
    assert_eq!(tile(&page.text, "Refunds awaiting your approval").unwrap(), ["1"], "not their own request");

    let page = cashier.get("/dashboard").await;
    assert_eq!(tile(&page.text, "Collected today").unwrap(), ["SAR 3.00"]);
    assert_eq!(tile(&page.text, "Payments today").unwrap(), ["1"]);
    assert_eq!(tile(&page.text, "Open links").unwrap(), ["1"]);
    assert!(tile(&page.text, "Refunds awaiting your approval").is_none(), "a cashier never decides refunds");
    assert_eq!(page.text.matches("href=\"/dashboard/links/plink_").count(), 2, "their own two links");
});

both!(a_store_without_links_says_so_and_offers_to_create_one, |app: Arc<TestApp>| async move {
    let (mut owner, _) = staff(&app, Role::Owner, None).await;
    let page = owner.get("/dashboard").await;
    assert!(page.text.contains("No payment links yet."), "{}", page.text);
    assert!(page.text.contains("href=\"/dashboard/links/new\""));
    assert_eq!(tile(&page.text, "Collected today").unwrap(), ["SAR 0.00"]);
    let (mut accounting, _) = staff(&app, Role::Accounting, None).await;
    let page = accounting.get("/dashboard").await;
    assert!(page.text.contains("No payment links yet.") && !page.text.contains("href=\"/dashboard/links/new\""));
});
