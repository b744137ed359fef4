//! Outbound safety for production: endpoints and callbacks naming inward addresses literally
//! (every spelling) are refused when registered; names resolving inward are refused when the
//! connection would be made; the receiver records zero requests from them. Sandbox may reach
//! loopback (local receivers work).

use crate::both;
use crate::helpers::TestApp;
use crate::receiver::Receiver;
use paylink::domain::Environment;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

/// Every literal spelling of an inward address, with the receiver's port where one matters.
fn literal_forms(port: u16) -> Vec<String> {
    [
        "127.0.0.1",
        "2130706433",
        "0x7f000001",
        "0177.0.0.1",
        "127.1",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "0.0.0.0",
        "[::]",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "[fe80::1]",
        "[fc00::1]",
        "100.64.0.1",
        "[64:ff9b::7f00:1]",
    ]
    .iter()
    .map(|host| format!("http://{host}:{port}/hook"))
    .collect()
}

both!(production_refuses_inward_addresses_at_registration_and_at_connect_time, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let port: u16 = rx.base.rsplit(':').next().unwrap().parse().unwrap();
    let (_, live) = app.staff_in(Role::Owner, None, Environment::Production).await;
    for url in literal_forms(port) {
        let r = app.post(&live, "/v1/webhook_endpoints", json!({"url": url})).await;
        assert_eq!(r.status, 400, "{url}: {}", r.text);
        assert!(r.text.contains("\"url\""), "{url}: {}", r.text);
        let link = json!({"amount": "5.00", "title": "SSRF", "callback_url": url});
        let r = app.post(&live, "/v1/payment_links", link).await;
        assert_eq!(r.status, 400, "callback {url}: {}", r.text);
        assert!(r.text.contains("callback_url"), "{url}: {}", r.text);
    }
    // A name is accepted when registered, and refused when it resolves to loopback.
    let by_name = format!("http://localhost:{port}/named");
    let r = app.post(&live, "/v1/webhook_endpoints", json!({"url": by_name})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let link =
        app.post(&live, "/v1/payment_links", json!({"amount": "5.00", "title": "SSRF", "callback_url": by_name})).await;
    assert_eq!(link.status, 201, "{}", link.text);
    paylink::worker::run_pending(&app.ctx).await;
    assert!(rx.all().is_empty(), "the receiver got {} requests", rx.all().len());
    let events = app.get(&live, "/v1/events").await;
    let event = app.get(&live, &format!("/v1/events/{}", events.body["data"][0]["id"].as_str().unwrap())).await;
    let deliveries = event.body["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 2, "the endpoint and the callback: {}", event.text);
    for d in deliveries {
        let error = d["attempts"][0]["error"].as_str().unwrap();
        assert!(error.starts_with("refused") && error.contains("loopback"), "{error}");
        assert_eq!(d["status"], "pending", "retried later: the name may resolve elsewhere then");
    }
});

both!(sandbox_endpoints_may_reach_loopback_but_not_private_networks, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let r = app.post(&app.owner_key, "/v1/webhook_endpoints", json!({"url": rx.url("local")})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    for url in ["http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data", "http://[fd00::1]/x"] {
        let r = app.post(&app.owner_key, "/v1/webhook_endpoints", json!({"url": url})).await;
        assert_eq!(r.status, 400, "{url}: {}", r.text);
    }
    app.create_link(&app.owner_key, json!({"amount": "1.00", "title": "Local"})).await;
    paylink::worker::run_pending(&app.ctx).await;
    assert_eq!(rx.at("local").len(), 1);
});
