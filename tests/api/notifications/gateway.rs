//! The `http` SMS provider against a local gateway: the configured body template with its
//! placeholders filled and escaped, the auth header, retries after a 5xx, a final 4xx; and
//! several workers at once sending each message exactly once.

use super::{sara, send_all, settle, stored};
use crate::helpers::{Backend, TestApp};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use paylink::domain::notification::Status;
use paylink::service::notify::send::send_due;
use serde_json::{Value, json};
use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};

/// One request the gateway received.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: Value,
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    /// Statuses to answer, in order; 200 once empty.
    script: VecDeque<u16>,
}

/// A local SMS gateway on 127.0.0.1.
#[derive(Clone)]
struct Gateway {
    url: String,
    inner: Arc<Mutex<Inner>>,
}

impl Gateway {
    async fn start() -> Gateway {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = axum::Router::new().route("/sms", axum::routing::post(receive)).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Gateway { url, inner }
    }

    fn answer_next(&self, statuses: &[u16]) {
        self.inner.lock().unwrap().script.extend(statuses);
    }

    fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }
}

async fn receive(State(inner): State<Arc<Mutex<Inner>>>, headers: HeaderMap, body: Bytes) -> (StatusCode, String) {
    let mut g = inner.lock().unwrap();
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    g.received.push(Received { headers, body });
    let status = g.script.pop_front().unwrap_or(200);
    (StatusCode::from_u16(status).unwrap(), format!("{{\"message_id\": \"m{}\"}}", g.received.len()))
}

async fn spawn(backend: Backend, gateway: &Gateway, extra: &[(&str, &str)]) -> Option<TestApp> {
    let mut settings = vec![
        ("PAYLINK_NOTIFICATIONS_SMS_PROVIDER", "http"),
        ("PAYLINK_NOTIFICATIONS_SMS_HTTP_URL", gateway.url.as_str()),
        ("PAYLINK_NOTIFICATIONS_SMS_HTTP_AUTH_HEADER", "X-Api-Key"),
        ("PAYLINK_NOTIFICATIONS_SMS_HTTP_AUTH_VALUE", "k-123"),
        ("PAYLINK_NOTIFICATIONS_SMS_HTTP_BODY", r#"{"to": "{to}", "message": "{text}", "ref": "{id}"}"#),
    ];
    settings.extend_from_slice(extra);
    TestApp::spawn_with(backend, &settings).await
}

async fn sms_link(app: &TestApp) -> String {
    app.create_link(&app.owner_key, sara(json!({"send_sms": true}))).await["id"].as_str().unwrap().to_owned()
}

async fn gateway_delivery(backend: Backend) {
    let gateway = Gateway::start().await;
    let Some(app) = spawn(backend, &gateway, &[]).await else { return };
    let link = sms_link(&app).await;
    let sent = send_all(&app, &link).await;
    let [n] = &sent[..] else { panic!("one message: {sent:?}") };
    assert_eq!((n.status, n.provider.as_str(), n.attempts), (Status::Sent, "http", 1));
    assert_eq!(n.provider_response.as_deref(), Some("200 {\"message_id\": \"m1\"}"));
    let [got] = &gateway.received()[..] else { panic!("one request") };
    assert_eq!(got.headers["x-api-key"], "k-123");
    assert_eq!(got.headers["content-type"], "application/json");
    assert_eq!(got.body, json!({"to": "+966501234567", "message": n.body, "ref": n.id.as_str()}));
    assert!(n.body.contains("ادفع بأمان"), "the link's language: {}", n.body);
    app.cleanup().await;
}

crate::on_both!(the_sms_gateway_receives_the_body_template_filled_in_with_the_auth_header, gateway_delivery);

async fn gateway_retries(backend: Backend) {
    let gateway = Gateway::start().await;
    let Some(app) = spawn(backend, &gateway, &[]).await else { return };
    gateway.answer_next(&[503]);
    let link = sms_link(&app).await;
    let first = settle(&app, &link, |rows| rows[0].attempts == 1 && rows[0].last_error.is_some()).await;
    assert_eq!(first[0].status, Status::Queued);
    assert!(first[0].last_error.as_deref().unwrap().contains("503"), "{:?}", first[0].last_error);
    let wait = first[0].next_attempt_at.micros() - app.ctx.clock.now().micros();
    assert!((25_000_000..=30_000_000).contains(&wait), "the retry waits 30 s, not {wait} µs");
    send_due(&app.ctx).await.unwrap();
    assert_eq!(gateway.received().len(), 1, "not before its time");
    app.ctx.clock.advance_secs(31);
    let done = send_all(&app, &link).await;
    assert_eq!((done[0].status, done[0].attempts), (Status::Sent, 2));
    gateway.answer_next(&[400]);
    let refused = sms_link(&app).await;
    let failed = send_all(&app, &refused).await;
    assert_eq!((failed[0].status, failed[0].attempts), (Status::Failed, 1), "a 4xx is final");
    assert!(failed[0].last_error.as_deref().unwrap().contains("refused the message: 400"));
    let api = app.get(&app.owner_key, &format!("/v1/notifications/{}", failed[0].id)).await.body;
    assert_eq!((api["status"].as_str(), api["attempts"].as_i64()), (Some("failed"), Some(1)));
    app.cleanup().await;
}

crate::on_both!(a_gateway_5xx_is_retried_after_thirty_seconds_and_a_4xx_fails_at_once, gateway_retries);

async fn many_workers(backend: Backend) {
    let gateway = Gateway::start().await;
    let Some(app) = spawn(backend, &gateway, &[("PAYLINK_NOTIFICATIONS_BATCH", "3")]).await else { return };
    let mut links = Vec::new();
    for _ in 0..20 {
        links.push(sms_link(&app).await);
    }
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let ctx = app.ctx.clone();
            tokio::spawn(async move { while send_due(&ctx).await.unwrap() > 0 {} })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    for link in &links {
        settle(&app, link, |rows| rows[0].status == Status::Sent).await;
        assert_eq!(stored(&app, link).await[0].attempts, 1);
    }
    let refs: Vec<String> = gateway.received().iter().map(|r| r.body["ref"].as_str().unwrap().to_owned()).collect();
    assert_eq!((refs.len(), refs.iter().collect::<HashSet<_>>().len()), (20, 20), "each message sent once");
    app.cleanup().await;
}

crate::on_both!(four_workers_at_once_send_each_of_twenty_messages_exactly_once, many_workers);
