//! The invoice page `/invoice/{invoiceId}` and the invoice as the rest of Paylink sees it: an
//! ordinary single-use link in English whose success and cancel URLs are the page's redirects.

use super::{create_invoice, link_of, read_invoice, seed_example};
use crate::both;
use crate::helpers::TestApp;
use crate::paying::PageSession;
use crate::sandbox::method_id;
use serde_json::json;
use std::sync::Arc;

both!(the_invoice_page_shows_the_header_as_its_title, |app: Arc<TestApp>| async move {
    let data = create_invoice(&app, seed_example()).await;
    let page = app.client.get(data["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<h1 dir=\"auto\">Invoice header to display on the payment page</h1>"), "{html}");
    assert!(html.contains("<html lang=\"en\""), "the invoice's language is English");
    // The page answers to the link's native id as well, and to no unknown invoice.
    let link = link_of(&app, data["invoiceId"].as_str().unwrap()).await;
    assert_eq!(app.client.get(format!("{}/invoice/{link}", app.base)).send().await.unwrap().status(), 200);
    let unknown = app.client.get(format!("{}/invoice/ffffffffffffffffffffffff", app.base)).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
});

both!(the_native_api_sees_an_invoice_as_an_ordinary_link, |app: Arc<TestApp>| async move {
    let data = create_invoice(&app, json!({"amount": "5", "header": "Basket 12", "description": "Two items"})).await;
    let link = link_of(&app, data["invoiceId"].as_str().unwrap()).await;
    let l = app.get(&app.owner_key, &format!("/v1/payment_links/{link}")).await;
    assert_eq!(l.status, 200, "{}", l.text);
    let l = l.body;
    assert_eq!((l["title"].as_str(), l["description"].as_str()), (Some("Basket 12"), Some("Two items")));
    assert_eq!(
        (l["amount"].as_str(), l["currency"].as_str(), l["status"].as_str()),
        (Some("5.00"), Some("SAR"), Some("open"))
    );
    assert_eq!((l["single_use"].as_bool(), l["language"].as_str()), (Some(true), Some("en")));
    assert_eq!((l["send_sms"].as_bool(), l["send_email"].as_bool()), (Some(false), Some(false)));
    let events = app.get(&app.owner_key, &format!("/v1/events?object_id={link}")).await;
    assert_eq!(events.body["data"][0]["type"], "payment_link.created", "{}", events.text);
    // Cancelled natively, the invoice reads status 4.
    assert_eq!(app.post(&app.owner_key, &format!("/v1/payment_links/{link}/cancel"), json!({})).await.status, 200);
    assert_eq!(read_invoice(&app, data["invoiceId"].as_str().unwrap()).await.body["data"]["status"], 4);
});

both!(the_success_and_cancel_urls_are_the_pages_redirects, |app: Arc<TestApp>| async move {
    let method = method_id(&app, "card").await;
    let urls = json!({"amount": 5, "header": "Redirects", "successUrl": "https://shop.example/ok",
        "cancelUrl": "https://shop.example/back"});
    let paid = create_invoice(&app, urls.clone()).await;
    let link = link_of(&app, paid["invoiceId"].as_str().unwrap()).await;
    let page = PageSession::open(&app, &link).await;
    let r = page.pay_card(&app, &link, method, "4242424242424242").await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert!(r.headers["location"].to_str().unwrap().starts_with("https://shop.example/ok?"), "{:?}", r.headers);
    let left = create_invoice(&app, urls).await;
    let other = link_of(&app, left["invoiceId"].as_str().unwrap()).await;
    let r = PageSession::open(&app, &other).await.post(&app, &format!("/pay/{other}/cancel"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert!(r.headers["location"].to_str().unwrap().starts_with("https://shop.example/back?"), "{:?}", r.headers);
    // Paid, the invoice reads status 2 with the paying payment and its time.
    let read = read_invoice(&app, paid["invoiceId"].as_str().unwrap()).await.body["data"].clone();
    assert_eq!((read["status"].as_i64(), read["paid"].as_bool()), (Some(2), Some(true)));
    assert!(read["paymentSessionId"].as_str().unwrap().starts_with("pay_"), "{read}");
    assert!(read["paidAt"].as_str().unwrap().ends_with('Z'), "{read}");
});
