//! Cancelling a QuickLink by its number: the documented body, the page and the native API see it
//! cancelled, a second cancel or a paid / expired link is 400, another store's or an unknown
//! number is 404, and the role rules are the native API's.

use super::{CANCEL, CREATE, get, minimal, post_form, post_json, post_raw, sandbox_methods, token_auth};
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

both!(cancelling_a_quicklink_answers_the_documented_body_and_closes_its_page, |app: Arc<TestApp>| async move {
    let link = minimal(&app, "5500").await;
    let id = link["id"].as_i64().unwrap();
    let r = post_form(&app, CANCEL, Some(&token_auth(&app)), &[("payment_link_id", &id.to_string())], None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"success": true, "message": "Canceled by merchant", "payment_link_id": id}));
    let page = get(&app, &format!("{}?lang=en", link["client_url"].as_str().unwrap())).await;
    assert!(page.text.contains("This link was cancelled"), "{}", page.text);
    let link_id = link["client_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    assert_eq!(app.get(&app.owner_key, &format!("/v1/payment_links/{link_id}")).await.body["status"], "cancelled");

    let again = post_form(&app, CANCEL, Some(&token_auth(&app)), &[("payment_link_id", &id.to_string())], None).await;
    assert_eq!(again.status, 400, "{}", again.text);
    assert_eq!(again.body, json!({"message": "Payment link can't be canceled: it is already canceled."}));
});

both!(cancel_takes_json_and_urlencoded_bodies_too, |app: Arc<TestApp>| async move {
    let a = minimal(&app, "100").await["id"].as_i64().unwrap();
    let r = post_json(&app, CANCEL, Some(&token_auth(&app)), &json!({"payment_link_id": a})).await;
    assert_eq!((r.status, r.body["payment_link_id"].as_i64()), (200, Some(a)), "{}", r.text);
    let b = minimal(&app, "100").await["id"].as_i64().unwrap();
    let form = format!("payment_link_id={b}").into_bytes();
    let r = post_raw(&app, CANCEL, Some(&token_auth(&app)), "application/x-www-form-urlencoded", form).await;
    assert_eq!((r.status, r.body["success"].as_bool()), (200, Some(true)), "{}", r.text);
});

both!(unknown_and_foreign_quicklinks_are_not_found, |app: Arc<TestApp>| async move {
    let not_found = json!({"detail": "Not found."});
    let r = post_form(&app, CANCEL, Some(&token_auth(&app)), &[("payment_link_id", "999999999")], None).await;
    assert_eq!((r.status, &r.body), (404, &not_found));
    // Another store's QuickLink.
    let (store, key) = app.second_store_key().await;
    let method = crate::paymob::methods_of(&app, store, paylink::domain::Environment::Sandbox).await[0].to_string();
    let fields = [("amount_cents", "300"), ("payment_methods", method.as_str()), ("is_live", "false")];
    let theirs = post_form(&app, CREATE, Some(&format!("Token {key}")), &fields, None).await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    let id = theirs.body["id"].to_string();
    let r = post_form(&app, CANCEL, Some(&token_auth(&app)), &[("payment_link_id", &id)], None).await;
    assert_eq!((r.status, &r.body), (404, &not_found));
    // A native link has no QuickLink number.
    let missing = post_form(&app, CANCEL, Some(&token_auth(&app)), &[], None).await;
    assert_eq!(missing.body["errors"]["payment_link_id"], json!(["payment_link_id is required."]));
    let word = post_form(&app, CANCEL, Some(&token_auth(&app)), &[("payment_link_id", "abc")], None).await;
    assert_eq!(word.status, 400);
    assert_eq!(word.body["message"], "payment_link_id - payment_link_id must be an integer.");
});

both!(an_expired_quicklink_cannot_be_cancelled, |app: Arc<TestApp>| async move {
    let method = sandbox_methods(&app).await[0].to_string();
    let soon = app.ctx.clock.now().plus_secs(120).to_rfc3339()[..19].to_owned();
    let fields = [
        ("amount_cents", "100"),
        ("payment_methods", method.as_str()),
        ("is_live", "false"),
        ("expires_at", soon.as_str()),
    ];
    let id = crate::paymob::create(&app, &fields).await["id"].to_string();
    app.ctx.clock.advance_secs(180);
    let r = post_form(&app, CANCEL, Some(&token_auth(&app)), &[("payment_link_id", &id)], None).await;
    assert_eq!(
        (r.status, &r.body),
        (400, &json!({"message": "Payment link can't be canceled: it is already expired."}))
    );
});

both!(cashiers_cancel_only_their_own_quicklinks, |app: Arc<TestApp>| async move {
    let (_, mine) = app.staff(Role::Cashier, Some("MAIN-001")).await;
    let (_, other) = app.staff(Role::Cashier, Some("MAIN-001")).await;
    let method = sandbox_methods(&app).await[0].to_string();
    let fields = [("amount_cents", "100"), ("payment_methods", method.as_str()), ("is_live", "false")];
    let r = post_form(&app, CREATE, Some(&format!("Token {mine}")), &fields, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].to_string();
    let r = post_form(&app, CANCEL, Some(&format!("Token {other}")), &[("payment_link_id", &id)], None).await;
    assert_eq!((r.status, r.body), (404, json!({"detail": "Not found."})));
    let r = post_form(&app, CANCEL, Some(&format!("Token {mine}")), &[("payment_link_id", &id)], None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // A role that may not create links at all.
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    let r = post_form(&app, CREATE, Some(&format!("Token {accounting}")), &fields, None).await;
    assert_eq!((r.status, r.body), (403, json!({"detail": "You do not have permission to perform this action."})));
});
