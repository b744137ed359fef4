//! Developers → payment methods, dialect settings and sandbox: what the forms change is what the
//! API then reads (methods, the Exchange project, the callback secret — and what Paymob callbacks
//! are then signed with, `paymob_signature` — the Amwal key); only OWNER
//! and ADMIN get in; a form without the session's token or with bad text changes nothing. And the
//! acceptance line of issue 16: a key made in the dashboard works at once on the native API and
//! on every dialect, and once revoked there each answers its own refusal (`every_dialect`).

use super::client::Staff;
use crate::both;
use crate::helpers::TestApp;
use crate::{amwal, exchange, paymob};
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;

mod every_dialect;
mod paymob_signature;

const METHODS: &str = "/dashboard/developers/methods";
const DIALECTS: &str = "/dashboard/developers/dialects";
const PROJECT: &str = "/dashboard/developers/dialects/exchange";
const ROTATE: &str = "/dashboard/developers/dialects/callback_secret/rotate";
const REVEAL: &str = "/dashboard/developers/dialects/callback_secret";
const SANDBOX: &str = "/dashboard/developers/sandbox";

/// The text of the `<textarea>` or `value` of the field with `id`.
pub fn field_of(html: &str, id: &str) -> String {
    let at = &html[html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("field {id}: {html}"))..];
    let tag_end = at.find('>').unwrap();
    if let Some(v) = at[..tag_end].find("value=\"") {
        let v = &at[v + 7..];
        return v[..v.find('"').unwrap()].to_owned();
    }
    let text = &at[tag_end + 1..];
    text[..text.find('<').unwrap()].to_owned()
}

async fn api_methods(app: &TestApp) -> Vec<Value> {
    app.get(&app.owner_key, "/v1/payment_methods").await.body["data"].as_array().unwrap().clone()
}

both!(methods_enabled_disabled_and_renamed_in_the_dashboard_are_what_the_api_lists, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let page = owner.get(METHODS).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let first = api_methods(&app).await[0].clone();
    let id = first["id"].as_i64().unwrap();
    assert!(page.text.contains(&format!("<code class=\"ltr int-id\">{id}</code>")), "{}", page.text);
    let path = format!("{METHODS}/{id}");
    let off = owner.post(METHODS, &path, &[("enabled", "false")]).await;
    assert_eq!(
        (off.status, off.headers["location"].to_str().unwrap()),
        (303, "/dashboard/developers/methods?done=saved")
    );
    assert_eq!(api_methods(&app).await[0]["enabled"], false);
    assert_eq!(owner.post(METHODS, &path, &[("enabled", "true")]).await.status, 303);
    assert_eq!(api_methods(&app).await[0]["enabled"], true);
    assert_eq!(owner.post(METHODS, &path, &[("name", "  Mada بطاقة  ")]).await.status, 303);
    let renamed = api_methods(&app).await[0].clone();
    assert_eq!((renamed["name"].as_str(), renamed["enabled"].as_bool()), (Some("Mada بطاقة"), Some(true)));
    assert!(owner.get(METHODS).await.text.contains("Mada بطاقة"));
    assert_eq!(owner.post(METHODS, &path, &[("name", "<script>x</script>")]).await.status, 303);
    let page = owner.get(METHODS).await.text;
    assert!(page.contains("&#60;script&#62;x&#60;/script&#62;") && !page.contains("<script>x"), "escaped: {page}");
});

both!(bad_method_names_are_400_naming_the_field_and_change_nothing, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let before = api_methods(&app).await;
    let id = before[0]["id"].as_i64().unwrap();
    let long = "x".repeat(101);
    for bad in ["Mada\u{0}", "\u{1b}[31m", "", "   ", long.as_str()] {
        let r = owner.post(METHODS, &format!("{METHODS}/{id}"), &[("name", bad)]).await;
        assert_eq!(r.status, 400, "{bad:?}: {}", r.text);
        assert!(r.text.contains(&format!("id=\"name-{id}-error\"")), "{bad:?} names the field: {}", r.text);
    }
    let r = owner.post(METHODS, &format!("{METHODS}/{id}"), &[("enabled", "maybe")]).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(owner.post(METHODS, &format!("{METHODS}/999999999"), &[("enabled", "false")]).await.status, 404);
    assert_eq!(owner.post(METHODS, &format!("{METHODS}/nope"), &[("enabled", "false")]).await.status, 404);
    let (_, other) = app.second_store_key().await;
    let theirs = app.get(&other, "/v1/payment_methods").await.body["data"][0]["id"].as_i64().unwrap();
    assert_eq!(owner.post(METHODS, &format!("{METHODS}/{theirs}"), &[("enabled", "false")]).await.status, 404);
    assert_eq!(app.get(&other, "/v1/payment_methods").await.body["data"][0]["enabled"], true);
    assert_eq!(api_methods(&app).await, before, "nothing changed");
});

/// The project as the API reads it, without its `updated_at`.
async fn api_project(app: &TestApp) -> Value {
    let mut p = app.get(&app.owner_key, "/v1/store/exchange_project").await.body;
    p.as_object_mut().unwrap().remove("updated_at");
    p
}

both!(the_exchange_project_edited_in_the_dashboard_equals_the_apis_edit, |app: Arc<TestApp>| async move {
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    let page = admin.get(DIALECTS).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let api = api_project(&app).await;
    assert_eq!(field_of(&page.text, "project_url"), api["invoices_url"].as_str().unwrap());
    let fields = [
        ("callback_url", "https://shop.example/exchange/paid"),
        ("callback_enabled", "on"),
        ("email_on_failure", "on"),
        ("failure_email", "ops@shop.example"),
    ];
    let r = admin.post(DIALECTS, PROJECT, &fields).await;
    assert_eq!((r.status, r.headers["location"].to_str().unwrap()), (303, "/dashboard/developers/dialects?done=saved"));
    let from_dashboard = api_project(&app).await;
    // The same settings through the API, from the defaults, give the same project.
    exchange::set_project(
        &app,
        json!({"callback_enabled": false, "callback_url": null, "email_on_failure": false, "failure_email": null}),
    )
    .await;
    exchange::set_project(
        &app,
        json!({"callback_url": "https://shop.example/exchange/paid", "callback_enabled": true,
               "email_on_failure": true, "failure_email": "ops@shop.example"}),
    )
    .await;
    assert_eq!(from_dashboard, api_project(&app).await);
    assert_eq!(from_dashboard["callback_enabled"], true, "{from_dashboard}");
    let page = admin.get(DIALECTS).await.text;
    assert_eq!(field_of(&page, "callback_url"), "https://shop.example/exchange/paid");
    assert_eq!(field_of(&page, "failure_email"), "ops@shop.example");
    // Unticked boxes and emptied fields turn the callback off and clear the values.
    let cleared = [("callback_url", ""), ("failure_email", "")];
    assert_eq!(admin.post(DIALECTS, PROJECT, &cleared).await.status, 303);
    let p = api_project(&app).await;
    assert_eq!(
        (&p["callback_url"], &p["callback_enabled"], &p["failure_email"]),
        (&Value::Null, &json!(false), &Value::Null)
    );
});

both!(bad_project_input_is_400_naming_the_field_and_changes_nothing, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let before = api_project(&app).await;
    let long = format!("https://shop.example/{}", "a".repeat(2100));
    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[("callback_url", "https://shop.example/\u{0}")], "callback_url"),
        (&[("callback_url", "not a url")], "callback_url"),
        (&[("callback_url", long.as_str())], "callback_url"),
        (&[("failure_email", "ops\u{0}@shop.example")], "failure_email"),
        (&[("failure_email", "not-an-email")], "failure_email"),
        (&[("callback_enabled", "on")], "callback_enabled"),
    ];
    for (fields, named) in cases {
        let r = owner.post(DIALECTS, PROJECT, fields).await;
        assert_eq!(r.status, 400, "{fields:?}: {}", r.text);
        assert!(r.text.contains(&format!("id=\"{named}-error\"")), "{fields:?} names {named}: {}", r.text);
    }
    assert_eq!(api_project(&app).await, before);
});

both!(the_amwal_key_shown_is_the_one_its_route_serves, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let page = owner.get(DIALECTS).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    let shown = field_of(&page.text, "public_key");
    let path = format!("/amwal/stores/{}/public_key", app.store_id);
    let served = amwal::amwal(&app, "GET", &path, Some(&app.owner_key), None).await;
    assert_eq!(served.status, 200, "{}", served.text);
    assert_eq!(shown.trim(), served.body["public_key"].as_str().unwrap().trim());
    assert!(shown.starts_with("-----BEGIN PUBLIC KEY-----"), "{shown}");
    assert_eq!(field_of(&page.text, "fingerprint"), served.body["fingerprint"].as_str().unwrap());
    let key_url = field_of(&page.text, "key_url");
    assert!(key_url.ends_with(&format!("{path}.pem")), "{key_url}");
    let pem = amwal::amwal(&app, "GET", &format!("{path}.pem"), Some(&app.owner_key), None).await;
    assert_eq!(pem.text.trim(), shown.trim());
});

both!(a_rotated_callback_secret_is_shown_once_and_is_the_one_callbacks_use, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let old = app.get(&app.owner_key, "/v1/store/callback_secret").await.body["secret"].as_str().unwrap().to_owned();
    let page = owner.get(DIALECTS).await;
    assert!(!page.text.contains(&old), "the settings page never shows the secret");
    let revealed = owner.post(DIALECTS, REVEAL, &[]).await;
    assert_eq!(revealed.status, 200, "{}", revealed.text);
    assert_eq!(field_of(&revealed.text, "secret"), old, "shown on request, as the API's GET shows it");
    let rotated = owner.post(DIALECTS, ROTATE, &[]).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    assert_eq!(rotated.headers["cache-control"], "no-store");
    let new = field_of(&rotated.text, "secret");
    assert!(new.starts_with("whsec_") && new != old, "{new}");
    assert_eq!(app.get(&app.owner_key, "/v1/store/callback_secret").await.body["secret"], new.as_str());
    // The secret Paymob's HMAC and link callbacks are signed with.
    let signing = paylink::service::callbacks::store_callback_secret(
        &app.ctx,
        &app.store_id,
        paylink::domain::Environment::Sandbox,
    )
    .await
    .unwrap();
    assert_eq!(signing, new);
    let again = owner.get(DIALECTS).await;
    assert!(!again.text.contains(&new) && !again.text.contains(&old), "not shown again");
    let log = app.get(&app.owner_key, "/v1/audit_log?limit=100").await;
    assert!(!log.text.contains(&new), "never in the audit log");
});

both!(accounting_cashier_and_operation_get_403_and_change_nothing, |app: Arc<TestApp>| async move {
    let branch = app.branch_id.clone();
    let id = api_methods(&app).await[0]["id"].as_i64().unwrap();
    let secret = app.get(&app.owner_key, "/v1/store/callback_secret").await.body["secret"].clone();
    for mut s in [
        Staff::signed_in(&app, Role::Accounting, None).await,
        Staff::signed_in(&app, Role::Operation, None).await,
        Staff::signed_in(&app, Role::Cashier, Some(&branch)).await,
    ] {
        for page in [METHODS, DIALECTS, SANDBOX] {
            assert_eq!(s.get(page).await.status, 403, "{page}");
        }
        let posts: [(String, &[(&str, &str)]); 4] = [
            (format!("{METHODS}/{id}"), &[("enabled", "false")]),
            (PROJECT.to_owned(), &[("callback_url", "https://shop.example/x")]),
            (ROTATE.to_owned(), &[]),
            (REVEAL.to_owned(), &[]),
        ];
        for (path, fields) in posts {
            let r = s.post("/dashboard", &path, fields).await;
            assert_eq!(r.status, 403, "{path}: {}", r.text);
            assert!(!r.text.contains("whsec_"), "{path}");
        }
    }
    assert_eq!(api_methods(&app).await[0]["enabled"], true);
    assert_eq!(api_project(&app).await["callback_url"], Value::Null);
    assert_eq!(app.get(&app.owner_key, "/v1/store/callback_secret").await.body["secret"], secret);
});

both!(forms_without_the_sessions_token_change_nothing, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let id = api_methods(&app).await[0]["id"].as_i64().unwrap();
    let secret = app.get(&app.owner_key, "/v1/store/callback_secret").await.body["secret"].clone();
    let method = format!("{METHODS}/{id}");
    let posts: [(&str, &[(&str, &str)]); 4] = [
        (&method, &[("enabled", "false"), ("name", "Forged")]),
        (PROJECT, &[("callback_url", "https://shop.example/x")]),
        (ROTATE, &[]),
        (REVEAL, &[]),
    ];
    for (path, fields) in posts {
        for token in [None, Some("forged")] {
            let mut all: Vec<(&str, &str)> = token.map(|t| ("csrf", t)).into_iter().collect();
            all.extend_from_slice(fields);
            let r = owner.post_raw(path, &all).await;
            assert_eq!(r.status, 403, "{path}: {}", r.text);
            assert!(!r.text.contains("whsec_"));
        }
    }
    let m = api_methods(&app).await[0].clone();
    assert_eq!((m["enabled"].as_bool(), m["name"] == "Forged"), (Some(true), false));
    assert_eq!(api_project(&app).await["callback_url"], Value::Null);
    assert_eq!(app.get(&app.owner_key, "/v1/store/callback_secret").await.body["secret"], secret);
});

both!(the_sandbox_page_links_the_test_instruments_in_the_users_language, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let page = owner.get(SANDBOX).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("href=\"/sandbox?lang=ar\""), "{}", page.text);
    assert!(
        page.text.contains("href=\"/dashboard/developers\" aria-current=\"page\""),
        "Developers is lit: {}",
        page.text
    );
    assert_eq!(app.send(app.client.get(format!("{}/sandbox?lang=ar", app.base))).await.status, 200);
});

both!(in_live_the_pages_show_live_methods_and_the_sandbox_page_says_so, |app: Arc<TestApp>| async move {
    let live = paymob::live_method(&app).await;
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let sandbox_ids: Vec<i64> = api_methods(&app).await.iter().map(|m| m["id"].as_i64().unwrap()).collect();
    let switched =
        owner.post(SANDBOX, "/dashboard/environment", &[("environment", "production"), ("back", SANDBOX)]).await;
    assert_eq!(switched.status, 303, "{}", switched.text);
    let page = owner.get(SANDBOX).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let (in_live, in_sandbox) = ("أنت تعمل الآن في البيئة الحقيقية", "أنت تعمل الآن في البيئة التجريبية");
    assert!(page.text.contains(in_live) && !page.text.contains(in_sandbox), "{}", page.text);
    let methods = owner.get(METHODS).await.text;
    assert!(methods.contains(&format!("<code class=\"ltr int-id\">{live}</code>")), "{methods}");
    for id in sandbox_ids {
        assert!(!methods.contains(&format!("<code class=\"ltr int-id\">{id}</code>")), "no sandbox method {id}");
    }
});
