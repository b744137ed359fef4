//! Developers → Webhooks in the browser: an OWNER makes an endpoint (its secret shown once, with
//! a working copy button), a real delivery reaches it, and the OWNER opens its delivery log and
//! one delivery's attempts, then sends it again — in Arabic, then in English, photographed at
//! every width.

use crate::desk::Desk;
use serde_json::json;

#[allow(dead_code)]
#[path = "../api/receiver.rs"]
mod receiver;

/// Makes an endpoint for `url` through the form (all events), photographing the list, the form
/// and the secret page; the secret shown.
async fn make_an_endpoint(d: &Desk, url: &str, description: &str) -> String {
    d.open("/dashboard/developers/webhooks").await;
    d.shots("webhooks-list").await;
    d.follow("main a[href='/dashboard/developers/webhooks/new']").await;
    d.type_into("url", url).await;
    d.type_into("description", description).await;
    d.shots("webhooks-new").await;
    d.submit().await;
    assert!(d.has("button[data-copy='secret']:not([hidden])").await, "the copy button works: {}", d.text().await);
    d.shots("webhooks-secret").await;
    let secret = d.js("return document.getElementById('secret').value").await;
    secret.as_str().expect("the secret").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_makes_an_endpoint_sees_its_secret_once_and_reads_its_deliveries() {
    let Some(d) = Desk::start().await else { return };
    let rx = receiver::Receiver::start().await;
    d.signed_in("OWNER", None).await;
    for (round, (path, description)) in [("ar", "نظام المحاسبة"), ("en", "Accounting system")].into_iter().enumerate()
    {
        let secret = make_an_endpoint(&d, &rx.url(path), description).await;
        assert!(secret.starts_with("whsec_"), "{secret}");
        d.app.create_link(&d.app.owner_key, json!({"amount": "25.00", "title": format!("Order {round}")})).await;
        paylink::worker::run_pending(&d.app.ctx).await;
        assert_eq!(rx.at(path).len(), 1, "a real delivery");
        d.open("/dashboard/developers/webhooks").await;
        assert!(!d.text().await.contains(&secret), "the list never shows a secret");
        d.shots("webhooks-list-full").await;
        let endpoints = d.app.get(&d.app.owner_key, "/v1/webhook_endpoints").await.body["data"].clone();
        let mine = endpoints.as_array().unwrap().iter().find(|w| w["url"] == rx.url(path).as_str()).cloned();
        let id = mine.expect("the endpoint")["id"].as_str().unwrap().to_owned();
        d.follow(&format!("main a[href='/dashboard/developers/webhooks/{id}']")).await;
        d.shots("webhooks-log").await;
        d.follow("main table.hook-log a").await;
        assert!(d.text().await.contains("answer 1"), "the attempt's answer: {}", d.text().await);
        d.shots("webhooks-delivery").await;
        d.submit().await;
        assert!(d.path().await.ends_with("?scheduled=1"), "{}", d.path().await);
        paylink::worker::run_pending(&d.app.ctx).await;
        assert_eq!(rx.at(path).len(), 2, "sent again");
        if round == 0 {
            d.switch_language().await;
        }
    }
    d.finish().await;
}
