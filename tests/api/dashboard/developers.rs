//! Developers → API keys: an OWNER makes a key through the form and sees its secret once; the key
//! works at once (native API and Amwal's dialect), the list shows it without the secret, and
//! revoking it through the form shuts it out. ADMIN may, others may not; a form without the
//! session's token changes nothing; another store's or merchant's key is 404; names are escaped.

use super::client::Staff;
use crate::amwal;
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

const NEW: &str = "/dashboard/developers/keys/new";
const LIST: &str = "/dashboard/developers";

/// The secret shown on a created key's page (the text of its `id="secret"` field).
fn secret_of(html: &str) -> String {
    let field = &html[html.find("id=\"secret\"").expect("the secret field")..];
    let text = &field[field.find('>').unwrap() + 1..];
    text[..text.find('<').unwrap()].to_owned()
}

/// Creates a key named `name` acting as `acts_as` through the form as `s`; the created page.
async fn create(s: &mut Staff<'_>, name: &str, acts_as: &str) -> crate::helpers::Resp {
    s.post(NEW, NEW, &[("name", name), ("acts_as", acts_as), ("branch", ""), ("expires", "")]).await
}

/// The id of the store's key named `name`, as the API lists it.
async fn key_id(app: &TestApp, key: &str, name: &str) -> String {
    let list = app.get(key, "/v1/api_keys").await;
    let keys = list.body["data"].as_array().unwrap().clone();
    keys.iter().find(|k| k["name"] == name).expect("the key")["id"].as_str().unwrap().to_owned()
}

/// The id of the signed-in user `s`.
async fn user_id(app: &TestApp, s: &Staff<'_>) -> String {
    let users = app.get(&app.owner_key, "/v1/users?limit=100").await;
    let all = users.body["data"].as_array().unwrap().clone();
    all.iter().find(|u| u["email"] == s.email.as_str()).expect("the user")["id"].as_str().unwrap().to_owned()
}

both!(an_owner_creates_a_key_that_works_at_once_and_revokes_it_through_the_form, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let made = create(&mut owner, "Online shop", "role:OPERATION").await;
    assert_eq!(made.status, 200, "{}", made.text);
    assert_eq!(made.headers["cache-control"], "no-store");
    assert!(made.headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    let secret = secret_of(&made.text);
    assert!(secret.starts_with("sk_test_"), "{secret}");
    assert!(
        made.text.contains(&format!("/v1/payment_links -H &#34;Authorization: Bearer {secret}&#34;")),
        "{}",
        made.text
    );
    assert_eq!(app.get(&secret, "/v1/payment_links").await.status, 200);
    let dialect = amwal::post(&app, &secret, &amwal::list_path(&app), json!({"page_size": 5})).await;
    assert_eq!(dialect.status, 200, "{}", dialect.text);

    let list = owner.get(LIST).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.text.contains("Online shop") && !list.text.contains(&secret), "listed without its secret");
    let id = key_id(&app, &app.owner_key, "Online shop").await;
    let revoked = owner.post(LIST, &format!("/dashboard/developers/keys/{id}/revoke"), &[]).await;
    assert_eq!(revoked.status, 303, "{}", revoked.text);
    assert_eq!(revoked.headers["location"], "/dashboard/developers?done=revoked");
    assert_eq!(app.get(&secret, "/v1/payment_links").await.status, 401);
    assert!(owner.get(LIST).await.text.contains("ملغى"));
});

both!(creating_and_revoking_are_audited_in_the_name_of_the_signed_in_user, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    assert_eq!(create(&mut owner, "Audited", "role:CASHIER").await.status, 400, "a cashier key needs a branch");
    let fields = [("name", "Audited"), ("acts_as", "role:CASHIER"), ("branch", ""), ("expires", "")];
    let mut with_branch = fields.to_vec();
    let branch_code = app.get(&app.owner_key, &format!("/v1/branches/{}", app.branch_id)).await.body["code"].clone();
    let code = branch_code.as_str().unwrap().to_owned();
    with_branch[2] = ("branch", &code);
    assert_eq!(owner.post(NEW, NEW, &with_branch).await.status, 200);
    let id = key_id(&app, &app.owner_key, "Audited").await;
    assert_eq!(owner.post(LIST, &format!("/dashboard/developers/keys/{id}/revoke"), &[]).await.status, 303);
    paylink::worker::run_pending(&app.ctx).await;
    let log = app.get(&app.owner_key, &format!("/v1/audit_log?object_id={id}")).await;
    let entries = log.body["data"].as_array().unwrap().clone();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["key.revoke", "key.create"], "{}", log.text);
    let me = user_id(&app, &owner).await;
    assert!(entries.iter().all(|e| e["actor"]["id"] == me.as_str()), "{}", log.text);
});

both!(an_admin_may_manage_keys_and_operation_and_cashier_get_403, |app: Arc<TestApp>| async move {
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    assert_eq!(admin.get(LIST).await.status, 200);
    assert!(admin.get("/dashboard/profile").await.text.contains("href=\"/dashboard/developers\""));
    assert_eq!(create(&mut admin, "By an admin", "role:ACCOUNTING").await.status, 200);
    let refused = create(&mut admin, "Above an admin", "role:OWNER").await;
    assert_eq!(refused.status, 403, "an admin cannot make an owner's key: {}", refused.text);
    let branch = app.branch_id.clone();
    for mut s in [
        Staff::signed_in(&app, Role::Operation, None).await,
        Staff::signed_in(&app, Role::Cashier, Some(&branch)).await,
    ] {
        assert_eq!(s.get(LIST).await.status, 403);
        assert!(!s.get("/dashboard/profile").await.text.contains("/dashboard/developers"), "no link for them");
        assert_eq!(s.get(NEW).await.status, 403);
        let r = s.post("/dashboard", NEW, &[("name", "Not mine"), ("acts_as", "role:OPERATION")]).await;
        assert_eq!(r.status, 403, "{}", r.text);
        let id = key_id(&app, &app.owner_key, "By an admin").await;
        let r = s.post("/dashboard", &format!("/dashboard/developers/keys/{id}/revoke"), &[]).await;
        assert_eq!(r.status, 403, "{}", r.text);
    }
    let list = app.get(&app.owner_key, "/v1/api_keys").await;
    assert!(!list.text.contains("Not mine") && !list.text.contains("Above an admin"));
    assert!(!list.text.contains("revoked_at\":\"2"), "nothing revoked: {}", list.text);
});

both!(a_form_without_the_sessions_token_creates_and_revokes_nothing, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let missing = owner.post_raw(NEW, &[("name", "Forged"), ("acts_as", "role:OPERATION")]).await;
    assert_eq!(missing.status, 403, "{}", missing.text);
    let forged = owner.post_raw(NEW, &[("csrf", "forged"), ("name", "Forged"), ("acts_as", "role:OPERATION")]).await;
    assert_eq!(forged.status, 403, "{}", forged.text);
    assert!(!app.get(&app.owner_key, "/v1/api_keys").await.text.contains("Forged"));
    let made = app.post(&app.owner_key, "/v1/api_keys", json!({"name": "Kept", "role": "OPERATION"})).await;
    let (id, secret) = (made.body["id"].as_str().unwrap(), made.body["secret"].as_str().unwrap());
    let revoke = format!("/dashboard/developers/keys/{id}/revoke");
    assert_eq!(owner.post_raw(&revoke, &[]).await.status, 403);
    assert_eq!(owner.post_raw(&revoke, &[("csrf", "forged")]).await.status, 403);
    assert_eq!(app.get(secret, "/v1/payment_links").await.status, 200, "still works");
});

both!(another_stores_or_merchants_key_is_not_found, |app: Arc<TestApp>| async move {
    let (_, second) = app.second_store_key().await;
    let foreign = app.foreign_key().await;
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    for key in [&second, &foreign] {
        let id = app.get(key, "/v1/api_keys").await.body["data"][0]["id"].as_str().unwrap().to_owned();
        let r = owner.post(LIST, &format!("/dashboard/developers/keys/{id}/revoke"), &[]).await;
        assert_eq!(r.status, 404, "{}", r.text);
        assert!(!owner.get(LIST).await.text.contains(&id));
        assert_eq!(app.get(key, "/v1/payment_links").await.status, 200, "still works");
    }
});

both!(a_key_name_with_markup_is_shown_escaped, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let made = create(&mut owner, "<script>x</script>", "role:OPERATION").await;
    assert_eq!(made.status, 200, "{}", made.text);
    let list = owner.get(LIST).await;
    for page in [&made.text, &list.text] {
        assert!(!page.contains("<script>x</script>") && page.contains("&#60;script&#62;x&#60;/script&#62;"), "{page}");
    }
});

both!(a_form_without_a_user_or_role_or_with_a_past_expiry_names_the_field, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let none = create(&mut owner, "Nobody", "").await;
    assert_eq!(none.status, 400, "{}", none.text);
    assert!(none.text.contains("acts_as-error") && none.text.contains("value=\"Nobody\""));
    let fields = [("name", "Old"), ("acts_as", "role:OPERATION"), ("expires", "2001-01-01")];
    let past = owner.post(NEW, NEW, &fields).await;
    assert_eq!(past.status, 400, "{}", past.text);
    assert!(past.text.contains("expires-error"));
    assert!(!app.get(&app.owner_key, "/v1/api_keys").await.text.contains("Nobody"));
});
