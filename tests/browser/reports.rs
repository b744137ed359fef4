//! Reports in the browser: an owner reads a month of figures — the SVG chart has a bar for each
//! day carrying the API's amount — and a cashier's day; a cashier reads their own report. In
//! Arabic and English, photographed at every width.

use crate::desk::Desk;
use paylink::service::pay::{self, InstrumentForm, PayRequest, PayerForm};
use serde_json::json;

/// A link made with `key` and paid by card.
async fn paid(d: &Desk, key: &str, amount: &str, method: i64) {
    let link = d.app.create_link(key, json!({"amount": amount, "title": "Sale"})).await;
    let card = InstrumentForm::Card { number: "4242424242424242".into(), expiry: "12/34".into(), cvv: "123".into() };
    let req = PayRequest { method_id: method, instrument: card, payer: PayerForm::default(), client: None };
    let p = pay::pay(&d.app.ctx, link["id"].as_str().unwrap(), req).await.expect("paid");
    assert_eq!(p.status.as_str(), "succeeded");
}

/// A few days of sales, refunds and a cash payment by the cashier whose key is `cashier`.
async fn some_days(d: &Desk, cashier: &str) {
    let methods = d.app.get(&d.app.owner_key, "/v1/payment_methods").await.body["data"].clone();
    let card = methods.as_array().unwrap().iter().find(|m| m["kind"] == "card").unwrap()["id"].as_i64().unwrap();
    for (day, amounts) in [["120.00", "35.50"], ["80.00", "0.75"], ["260.00", "44.00"]].iter().enumerate() {
        for a in amounts {
            paid(d, if day == 1 { cashier } else { &d.app.owner_key }, a, card).await;
        }
        d.app.ctx.clock.advance_secs(26 * 3600);
    }
    let link = d.app.create_link(cashier, json!({"amount": "15.00", "title": "Counter"})).await;
    let path = format!("/v1/payment_links/{}/record_payment", link["id"].as_str().unwrap());
    assert_eq!(d.app.post(cashier, &path, json!({"method": "cash", "amount": "15.00"})).await.status, 201);
}

/// The chart's bars as (day, minor units), read from the page.
async fn bars(d: &Desk) -> Vec<(String, i64)> {
    let script = "return [...document.querySelectorAll('#report-chart rect.bar')].map(r => [r.dataset.day, Number(r.dataset.minor)])";
    let v = d.js(script).await;
    v.as_array().unwrap().iter().map(|b| (b[0].as_str().unwrap().to_owned(), b[1].as_i64().unwrap())).collect()
}

async fn api_days(d: &Desk, key: &str) -> Vec<(String, i64)> {
    let r = d.app.get(key, "/v1/reports/daily").await;
    let rows = r.body["data"].as_array().unwrap().clone();
    rows.iter().map(|x| (x["key"].as_str().unwrap().to_owned(), x["collected_minor"].as_i64().unwrap())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_reads_a_month_and_a_cashiers_day_and_a_cashier_reads_their_own() {
    let Some(d) = Desk::start().await else { return };
    let (cashier_email, cashier_password) = d.user("CASHIER", Some(&d.app.branch_id)).await;
    let key = d.app.post(&d.app.owner_key, "/v1/api_keys", json!({"name": "till", "user": cashier_email})).await;
    let cashier_key = key.body["secret"].as_str().expect("a key").to_owned();
    some_days(&d, &cashier_key).await;
    d.signed_in("OWNER", None).await;
    for round in 0..2 {
        d.open("/dashboard/reports").await;
        let drawn = bars(&d).await;
        assert_eq!(drawn.len(), 31, "one bar per day");
        assert_eq!(drawn, api_days(&d, &d.app.owner_key).await);
        assert_eq!(drawn.iter().filter(|b| b.1 > 0).count(), 4, "three days of card sales and the cash day");
        d.shots("reports").await;
        d.follow("main a[href='/dashboard/reports/cashier']").await;
        d.choose("user", &cashier_user_id(&d, &cashier_email).await).await;
        d.submit().await;
        assert!(d.has("#at-branch").await, "{}", d.text().await);
        d.shots("reports-cashier").await;
        if round == 0 {
            d.switch_language().await;
        }
    }
    d.sign_out().await;
    d.sign_in(&cashier_email, &cashier_password).await;
    d.choose_password("a long enough till password").await;
    d.open("/dashboard/reports").await;
    assert_eq!(bars(&d).await, api_days(&d, &cashier_key).await, "the cashier's own figures");
    d.shots("reports-cashier-own").await;
    d.finish().await;
}

async fn cashier_user_id(d: &Desk, email: &str) -> String {
    let users = d.app.get(&d.app.owner_key, "/v1/users?limit=100").await.body["data"].clone();
    let user = users.as_array().unwrap().iter().find(|u| u["email"] == email).expect("the cashier").clone();
    user["id"].as_str().unwrap().to_owned()
}
