//! `/dashboard/reports`: the chart's bars are the days of the range with the API's figures, in
//! each role's scope; a cashier's day shows what was taken online and at the branch; the CSV
//! exports hold the rows behind the figures and are refused to a cashier; another branch's
//! person is 404 to a supervisor.

use super::client::Staff;
use crate::both;
use crate::helpers::TestApp;
use crate::refunds::paid;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

const CARD: &str = "4242424242424242";

/// The bars of the page's chart: (day, minor units).
fn bars(html: &str) -> Vec<(String, i64)> {
    let attr = |tag: &str, name: &str| {
        let at = tag.find(&format!("{name}=\"")).expect("the attribute") + name.len() + 2;
        tag[at..at + tag[at..].find('"').unwrap()].to_owned()
    };
    html.split("<rect class=\"bar\"")
        .skip(1)
        .map(|t| (attr(t, "data-day"), attr(t, "data-minor").parse().unwrap()))
        .collect()
}

/// The API's daily rows as (day, collected minor units).
async fn api_days(app: &TestApp, key: &str) -> Vec<(String, i64)> {
    let r = app.get(key, "/v1/reports/daily").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rows = r.body["data"].as_array().unwrap().clone();
    rows.iter().map(|d| (d["key"].as_str().unwrap().to_owned(), d["collected_minor"].as_i64().unwrap())).collect()
}

/// A key acting as the signed-in user `s`.
async fn key_of(app: &TestApp, s: &Staff<'_>) -> String {
    let key = app.post(&app.owner_key, "/v1/api_keys", json!({"name": "own", "user": s.email})).await;
    assert_eq!(key.status, 201, "{}", key.text);
    key.body["secret"].as_str().unwrap().to_owned()
}

both!(the_chart_has_a_bar_per_day_with_the_apis_figures_in_each_scope, |app: Arc<TestApp>| async move {
    paid(&app, &app.owner_key, "12.50", CARD).await;
    // A day later (sessions made before would have ended: sign in afterwards).
    app.ctx.clock.advance_secs(86_400);
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let mut cashier = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id)).await;
    let ckey = key_of(&app, &cashier).await;
    paid(&app, &ckey, "7.25", CARD).await;
    for (s, key) in [(&mut owner, app.owner_key.clone()), (&mut cashier, ckey.clone())] {
        let page = s.get("/dashboard/reports").await;
        assert_eq!(page.status, 200, "{}", page.text);
        let drawn = bars(&page.text);
        assert_eq!(drawn.len(), 31, "a bar for each of the 31 days");
        assert_eq!(drawn, api_days(&app, &key).await);
    }
    let owner_total: i64 = bars(&owner.get("/dashboard/reports").await.text).iter().map(|b| b.1).sum();
    let cashier_total: i64 = bars(&cashier.get("/dashboard/reports").await.text).iter().map(|b| b.1).sum();
    assert_eq!((owner_total, cashier_total), (1975, 725), "the cashier sees only their own links' money");
});

both!(a_cashiers_day_shows_money_taken_online_and_at_the_branch, |app: Arc<TestApp>| async move {
    let mut cashier = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id)).await;
    let ckey = key_of(&app, &cashier).await;
    paid(&app, &ckey, "10.00", CARD).await;
    let link = app.create_link(&ckey, json!({"amount": "4.50", "title": "Till"})).await;
    let path = format!("/v1/payment_links/{}/record_payment", link["id"].as_str().unwrap());
    assert_eq!(app.post(&ckey, &path, json!({"method": "cash", "amount": "4.50"})).await.status, 201);
    let r = cashier.post("/dashboard", "/dashboard/language", &[("language", "en"), ("back", "/dashboard")]).await;
    assert_eq!(r.status, 303);
    let day = cashier.get("/dashboard/reports/cashier").await;
    assert_eq!(day.status, 200, "{}", day.text);
    assert!(day.text.contains("<dd class=\"num\" id=\"at-branch\">1 · SAR 4.50</dd>"), "{}", day.text);
    assert!(day.text.contains("SAR 14.50"), "the day's net: {}", day.text);
    assert!(day.text.contains("data-print"), "printable");

    let other = app.branch("FAR").await;
    let far = Staff::signed_in(&app, Role::Cashier, Some(&other)).await;
    let far_id = app.get(&app.owner_key, "/v1/users?limit=100").await.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == far.email.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut supervisor = Staff::signed_in(&app, Role::Supervisor, Some(&app.branch_id)).await;
    assert_eq!(supervisor.get(&format!("/dashboard/reports/cashier?user={far_id}")).await.status, 404);
    assert_eq!(cashier.get(&format!("/dashboard/reports/cashier?user={far_id}")).await.status, 404);
    assert_eq!(supervisor.get("/dashboard/reports/cashier?day=not-a-day").await.status, 400);
});

both!(the_exports_hold_the_rows_behind_the_figures_and_are_refused_to_a_cashier, |app: Arc<TestApp>| async move {
    let first = paid(&app, &app.owner_key, "3.00", CARD).await;
    let second = paid(&app, &app.owner_key, "4.00", CARD).await;
    let refund = app.post(&app.owner_key, "/v1/refunds", json!({"payment_id": first, "amount": "1.00"})).await;
    assert_eq!(refund.status, 201, "{}", refund.text);
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let csv = owner.get("/dashboard/reports/payments.csv").await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert!(
        csv.text.starts_with("\u{feff}id,completed_at,payment_link_id,amount,currency,method,place"),
        "{}",
        csv.text
    );
    assert!(csv.text.contains(&format!("{first},")) && csv.text.contains(&format!("{second},")), "{}", csv.text);
    assert!(csv.text.contains(",3.00,SAR,card,online,"), "{}", csv.text);
    assert_eq!(csv.text.lines().count(), 3, "a header and two payments");
    let refunds = owner.get("/dashboard/reports/refunds.csv").await;
    assert_eq!(refunds.status, 200);
    assert!(refunds.text.starts_with("\u{feff}id,completed_at,payment_id"), "{}", refunds.text);
    let mut cashier = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id)).await;
    assert_eq!(cashier.get("/dashboard/reports/payments.csv").await.status, 403);
    let bad = owner.get("/dashboard/reports/payments.csv?from=2026-12-09&to=2026-12-01").await;
    assert_eq!(bad.status, 400, "{}", bad.text);
});
