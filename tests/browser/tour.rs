//! Every dashboard page, photographed in Arabic and English at 412, 768 and 1280 px with real
//! data in it (a paid link with a customer, a refund waiting for approval, an open link), each
//! checked at each width for foreign requests and horizontal overflow.

use crate::desk::Desk;
use serde_json::json;

/// A store with something to show: (link, refund, customer) ids.
async fn a_day_of_work(d: &Desk) -> (String, String, String) {
    let app = &d.app;
    let body = json!({"name": "سارة الحربي", "phone": "+966501234567", "email": "sara@example.com"});
    let customer =
        app.post(&app.owner_key, "/v1/customers", body).await.body["id"].as_str().expect("customer").to_owned();
    let body = json!({"amount": "249.00", "title": "عباية سوداء", "customer_id": customer, "description": "مقاس M"});
    let link = app.create_link(&app.owner_key, body).await["id"].as_str().expect("link").to_owned();
    let paid = app
        .post(
            &app.owner_key,
            &format!("/v1/payment_links/{link}/record_payment"),
            json!({"method": "cash", "amount": "249.00"}),
        )
        .await;
    let payment = paid.body["id"].as_str().unwrap_or_else(|| panic!("paid: {}", paid.text)).to_owned();
    let body = json!({"payment_id": payment, "amount": "49.00", "reason": "Returned the belt"});
    let refund = app.post(&app.owner_key, "/v1/refunds", body).await.body["id"].as_str().expect("refund").to_owned();
    app.create_link(&app.owner_key, json!({"amount": "1200.50", "title": "Wedding order — deposit"})).await;
    (link, refund, customer)
}

/// Filters the links by status through the form, as staff would, and photographs the result.
async fn filter_the_links(d: &Desk) {
    d.open("/dashboard/links").await;
    d.choose("status", "paid").await;
    d.submit().await;
    assert!(d.path().await.contains("status=paid"), "{}", d.path().await);
    let rows = d.js("return document.querySelectorAll('main table tbody tr').length").await;
    assert_eq!(rows.as_u64(), Some(1), "only the paid link: {}", d.text().await);
    d.shots("links-filtered").await;
    d.switch_language().await;
    assert!(d.path().await.contains("status=paid"), "the language switch keeps the filters: {}", d.path().await);
    d.switch_language().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_in_arabic_and_english_on_a_phone_a_tablet_and_a_desktop() {
    let Some(d) = Desk::start().await else { return };
    let (link, refund, customer) = a_day_of_work(&d).await;
    d.signed_in("ADMIN", None).await;
    let pages = [
        ("home", "/dashboard".to_owned()),
        ("links", "/dashboard/links".to_owned()),
        ("link-new", "/dashboard/links/new".to_owned()),
        ("link-detail-paid", format!("/dashboard/links/{link}")),
        ("counter-paid", format!("/dashboard/links/{link}/counter")),
        ("refunds", "/dashboard/refunds".to_owned()),
        ("refund-approve", format!("/dashboard/refunds/{refund}")),
        ("customers", "/dashboard/customers".to_owned()),
        ("customer-new", "/dashboard/customers/new".to_owned()),
        ("customer", format!("/dashboard/customers/{customer}")),
        ("customer-edit", format!("/dashboard/customers/{customer}/edit")),
        ("not-found", "/dashboard/links/plink_00000000000000000000000000".to_owned()),
    ];
    for round in 0..2 {
        for (name, path) in &pages {
            d.open(path).await;
            d.shots(name).await;
        }
        filter_the_links(&d).await;
        if round == 0 {
            d.open("/dashboard").await;
            d.switch_language().await;
        }
    }
    d.finish().await;
}
