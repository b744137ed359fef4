//! Auth tokens: an API key for a 60-minute token (stored as a digest), `Bearer <token>` and
//! `Token <secret key>` on the QuickLink routes, and the seed's 401 for everything else.

use super::{CREATE, TOKENS, auth_token, post_form, post_json, post_raw, sandbox_methods};
use crate::both;
use crate::helpers::{Backend, TestApp};
use serde_json::{Value, json};
use std::sync::Arc;

fn incorrect() -> Value {
    json!({"detail": "incorrect credentials"})
}

async fn create_as(app: &TestApp, auth: Option<&str>) -> crate::helpers::Resp {
    let method = sandbox_methods(app).await[0].to_string();
    let fields = [("amount_cents", "5500"), ("payment_methods", method.as_str()), ("is_live", "false")];
    post_form(app, CREATE, auth, &fields, None).await
}

both!(an_api_key_buys_a_token_that_works_for_sixty_minutes, |app: Arc<TestApp>| async move {
    let r = post_json(&app, TOKENS, None, &json!({"api_key": app.owner_key})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let token = r.body["token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 100 && token.chars().all(|c| c.is_ascii_alphanumeric()), "{token}");
    let p = &r.body["profile"];
    assert!(p["id"].as_i64().is_some_and(|id| id >= 100_000), "{p}");
    assert_eq!((&p["active"], &p["profile_type"]), (&json!(true), &json!("Merchant")));
    assert!(p["company_name"].as_str().is_some_and(|n| !n.is_empty()), "{p}");
    assert!(p["user"]["id"].is_i64() && p["user"]["username"].is_string(), "{p}");
    assert_eq!(p["created_at"].as_str().map(str::len), Some(26));
    assert!(!r.text.contains(&app.owner_key), "the answer never repeats the key");

    // Only the digest is stored.
    let rows = app.ctx.db.read(|c| c.query("SELECT digest FROM dialect_tokens", &[])).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].text(0).unwrap(), paylink::service::secrets::digest(&token));

    let bearer = format!("Bearer {token}");
    assert_eq!(create_as(&app, Some(&bearer)).await.status, 200);
    app.ctx.clock.advance_secs(59 * 60);
    assert_eq!(create_as(&app, Some(&bearer)).await.status, 200, "still valid at 59 minutes");
    app.ctx.clock.advance_secs(2 * 60);
    let late = create_as(&app, Some(&bearer)).await;
    assert_eq!((late.status, late.body), (401, incorrect()), "expired after 60 minutes");
});

both!(a_secret_key_works_with_the_token_scheme_and_as_a_bearer, |app: Arc<TestApp>| async move {
    assert_eq!(create_as(&app, Some(&format!("Token {}", app.owner_key))).await.status, 200);
    assert_eq!(create_as(&app, Some(&format!("token {}", app.owner_key))).await.status, 200);
    assert_eq!(create_as(&app, Some(&format!("Bearer {}", app.owner_key))).await.status, 200);
    // A form body buys a token too.
    let form = format!("api_key={}", app.owner_key);
    let r = post_raw(&app, TOKENS, None, "application/x-www-form-urlencoded", form.into_bytes()).await;
    assert_eq!(r.status, 201, "{}", r.text);
});

both!(missing_wrong_and_foreign_credentials_answer_incorrect_credentials, |app: Arc<TestApp>| async move {
    let wrong_key = format!("Token sk_test_{}", "x".repeat(40));
    let cases = [
        None,
        Some("Bearer not-a-token"),
        Some("Bearer "),
        Some(wrong_key.as_str()),
        Some("Basic dXNlcjpwYXNz"),
        Some("garbage"),
    ];
    for auth in cases {
        let r = create_as(&app, auth).await;
        assert_eq!((r.status, &r.body), (401, &incorrect()), "{auth:?}: {}", r.text);
    }
    let r = post_json(&app, TOKENS, None, &json!({"api_key": "sk_test_nope"})).await;
    assert_eq!((r.status, r.body), (401, incorrect()));
    let r = post_json(&app, TOKENS, None, &json!({})).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(r.body["errors"]["api_key"], json!(["api_key is required."]));
});

both!(a_token_stops_working_when_its_key_is_revoked, |app: Arc<TestApp>| async move {
    let (_, key) = app.staff(paylink::domain::access::Role::Admin, None).await;
    let token = auth_token(&app, &key).await;
    let bearer = format!("Bearer {token}");
    assert_eq!(create_as(&app, Some(&bearer)).await.status, 200);
    let key_id =
        app.ctx.db.read(|c| c.query("SELECT key_id FROM dialect_tokens", &[])).await.unwrap()[0].text(0).unwrap();
    let r = app.post(&app.owner_key, &format!("/v1/api_keys/{key_id}/revoke"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let refused = create_as(&app, Some(&bearer)).await;
    assert_eq!((refused.status, refused.body), (401, incorrect()));
});

/// The key's per-minute limit counts requests made with its token.
async fn tokens_count_against_the_keys_rate_limit(backend: Backend) {
    let settings = [("PAYLINK_AUTH_SANDBOX_REQUESTS_PER_MINUTE", "4")];
    let Some(app) = TestApp::spawn_with(backend, &settings).await else { return };
    // Align to the start of a window so the four requests share one.
    let now = app.ctx.clock.now().micros() / 1_000_000;
    app.ctx.clock.advance_secs(60 - now % 60);
    let token = auth_token(&app, &app.owner_key).await; // 1
    let bearer = format!("Bearer {token}");
    for _ in 0..3 {
        assert_eq!(create_as(&app, Some(&bearer)).await.status, 200); // 2, 3, 4
    }
    let r = create_as(&app, Some(&bearer)).await;
    assert_eq!(r.status, 429, "{}", r.text);
    let wait: i64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(r.body, json!({"detail": format!("Request was throttled. Expected available in {wait} seconds.")}));
    assert_eq!(r.headers["ratelimit-limit"], "4");
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_count_against_the_keys_rate_limit_on_sqlite() {
    tokens_count_against_the_keys_rate_limit(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_count_against_the_keys_rate_limit_on_postgres() {
    tokens_count_against_the_keys_rate_limit(Backend::Postgres).await;
}
