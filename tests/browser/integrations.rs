//! Developers → payment methods, dialect settings and sandbox in the browser: an OWNER disables a
//! method (and turns it back on), reads the dialect settings with their copy buttons, replaces the
//! callback secret, and opens the sandbox page and its test instruments — in Arabic, then in
//! English, photographed at every width.

use crate::desk::Desk;

/// The id and enabled state of the store's first payment method, as the API reads it.
async fn first_method(d: &Desk) -> (i64, bool) {
    let m = d.app.get(&d.app.owner_key, "/v1/payment_methods").await.body["data"][0].clone();
    (m["id"].as_i64().expect("an id"), m["enabled"].as_bool().expect("enabled"))
}

/// Flips the first method through its row's button, photographing the list before and after.
async fn flip_a_method(d: &Desk) {
    d.open("/dashboard/developers/methods").await;
    d.shots("integrations-methods").await;
    let (id, was) = first_method(d).await;
    d.follow(&format!("main form[action='/dashboard/developers/methods/{id}'] button.int-toggle")).await;
    assert_eq!(d.path().await, "/dashboard/developers/methods?done=saved");
    assert_eq!(first_method(d).await, (id, !was), "the API lists the change");
    d.shots("integrations-methods-saved").await;
}

/// The dialect settings with working copy buttons, and a replaced callback secret.
async fn dialects(d: &Desk) {
    d.open("/dashboard/developers/dialects").await;
    assert!(d.has("button[data-copy='public_key']:not([hidden])").await, "the copy buttons work");
    d.shots("integrations-dialects").await;
    d.follow("main form[action='/dashboard/developers/dialects/callback_secret/rotate'] button").await;
    let secret = d.js("return document.getElementById('secret').value").await;
    let secret = secret.as_str().expect("the secret").to_owned();
    let api = d.app.get(&d.app.owner_key, "/v1/store/callback_secret").await.body["secret"].clone();
    assert_eq!(api, secret.as_str());
    d.shots("integrations-secret").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_manages_methods_and_dialect_settings_and_finds_the_sandbox() {
    let Some(d) = Desk::start().await else { return };
    d.signed_in("OWNER", None).await;
    for round in 0..2 {
        flip_a_method(&d).await;
        dialects(&d).await;
        d.open("/dashboard/developers/sandbox").await;
        d.shots("integrations-sandbox").await;
        d.follow("main a[href^='/sandbox?lang=']").await;
        assert!(d.path().await.starts_with("/sandbox?lang="));
        if round == 0 {
            d.open("/dashboard/developers/methods").await;
            d.switch_language().await;
            assert_eq!(d.path().await, "/dashboard/developers/methods", "the switch comes back here");
        }
    }
    d.finish().await;
}
