//! Every error example of the seed, byte for byte: a duplicate `reference_id`, an `expires_at` in
//! the past, an integration id of the other mode than `is_live` (both ways), unknown or disabled.

use super::{CREATE, live_method, naive_in_days, post_form, post_json, sandbox_methods, token_auth};
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::Environment;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

/// The seed's 404 text, verbatim (the curly apostrophe and the space before the period included).
const INTEGRATION_404: &str = "{\"detail\":\"Integration ID/Name does not exist in our system . You can find the list of Integration ID\u{2019}/Names from Merchant Dashboard under Developers \u{2192} Payment Integrations Tab\"}";

both!(a_reference_id_used_before_answers_the_seeds_400, |app: Arc<TestApp>| async move {
    let method = sandbox_methods(&app).await[0].to_string();
    let fields = [
        ("amount_cents", "5500"),
        ("payment_methods", method.as_str()),
        ("is_live", "false"),
        ("reference_id", "ABC5295296"),
    ];
    let first = post_form(&app, CREATE, Some(&token_auth(&app)), &fields, None).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let again = post_form(&app, CREATE, Some(&token_auth(&app)), &fields, None).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.text, r#"{"message":"Reference ID already exists."}"#);
    // The same reference through the native API is the same conflict (one index).
    let native = app
        .post(&app.owner_key, "/v1/payment_links", json!({"amount": "1", "title": "x", "reference_id": "ABC5295296"}))
        .await;
    assert_eq!(native.status, 409, "{}", native.text);
});

both!(an_expiry_in_the_past_answers_the_seeds_400, |app: Arc<TestApp>| async move {
    let method = sandbox_methods(&app).await[0].to_string();
    let past = naive_in_days(&app, -1);
    let fields = [
        ("amount_cents", "5500"),
        ("payment_methods", method.as_str()),
        ("is_live", "false"),
        ("expires_at", past.as_str()),
    ];
    let r = post_form(&app, CREATE, Some(&token_auth(&app)), &fields, None).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body,
        json!({"message": "expires_at - expires_at can't be in the past.", "errors": {"expires_at": ["expires_at can't be in the past."]}})
    );
    let body = json!({"amount_cents": 5500, "payment_methods": [method], "is_live": false, "expires_at": past});
    let r = post_json(&app, CREATE, Some(&token_auth(&app)), &body).await;
    assert_eq!(
        r.text,
        r#"{"message":"expires_at - expires_at can't be in the past.","errors":{"expires_at":["expires_at can't be in the past."]}}"#
    );
});

both!(an_integration_of_the_other_mode_or_unknown_answers_the_seeds_404, |app: Arc<TestApp>| async move {
    let sandbox = sandbox_methods(&app).await[0].to_string();
    let live = live_method(&app).await.to_string();
    let (_, live_key) = app.staff_in(Role::Owner, None, Environment::Production).await;
    let (test_auth, live_auth) = (token_auth(&app), format!("Token {live_key}"));
    let cases: [(&str, &str, &str); 6] = [
        (&test_auth, &live, "false"),       // a live integration with is_live false
        (&test_auth, &sandbox, "true"),     // a test integration with is_live true
        (&live_auth, &sandbox, "true"),     // a test integration with a live key
        (&live_auth, &live, "false"),       // is_live false with a live key
        (&test_auth, "999999", "false"),    // unknown
        (&test_auth, "Visa Gold", "false"), // an unknown name
    ];
    for (auth, method, is_live) in cases {
        let fields = [("amount_cents", "5500"), ("payment_methods", method), ("is_live", is_live)];
        let r = post_form(&app, CREATE, Some(auth), &fields, None).await;
        assert_eq!((r.status, r.text.as_str()), (404, INTEGRATION_404), "{method} is_live={is_live}");
    }
    // One bad id among good ones is enough.
    let fields = [
        ("amount_cents", "5500"),
        ("payment_methods", sandbox.as_str()),
        ("payment_methods", live.as_str()),
        ("is_live", "false"),
    ];
    assert_eq!(post_form(&app, CREATE, Some(&test_auth), &fields, None).await.status, 404);
    // And the good cases: each mode with its own integrations, by id or by name.
    let fields = [("amount_cents", "5500"), ("payment_methods", live.as_str()), ("is_live", "true")];
    assert_eq!(post_form(&app, CREATE, Some(&live_auth), &fields, None).await.status, 200);
    let name =
        app.get(&app.owner_key, "/v1/payment_methods").await.body["data"][0]["name"].as_str().unwrap().to_owned();
    let fields = [("amount_cents", "5500"), ("payment_methods", name.as_str()), ("is_live", "false")];
    let r = post_form(&app, CREATE, Some(&test_auth), &fields, None).await;
    assert_eq!(r.status, 200, "by name {name}: {}", r.text);
});

both!(a_disabled_or_foreign_integration_answers_the_seeds_404, |app: Arc<TestApp>| async move {
    let ids = sandbox_methods(&app).await;
    let r = app
        .call(
            "PATCH",
            &format!("/v1/payment_methods/{}", ids[0]),
            Some(&app.owner_key),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (store, _) = app.second_store_key().await;
    let foreign = crate::paymob::methods_of(&app, store, Environment::Sandbox).await;
    let mut cases = vec![ids[0].to_string()];
    cases.extend(foreign.first().map(i64::to_string));
    for method in cases {
        let fields = [("amount_cents", "5500"), ("payment_methods", method.as_str()), ("is_live", "false")];
        let r = post_form(&app, CREATE, Some(&token_auth(&app)), &fields, None).await;
        assert_eq!((r.status, r.text.as_str()), (404, INTEGRATION_404), "{method}");
    }
});
