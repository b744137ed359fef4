//! Settings: an OWNER (or ADMIN) changes the store's profile, logo, refund approval and sign-in
//! rule, its branches and its users through the forms, and the API reads each change back with
//! its audit entry. The invited user's first password is shown once and signs in; disabling a
//! user ends their session at once; an ADMIN never manages an owner; other roles get 403; a
//! form without the session's token changes nothing; a wrong field is a 400 that names it.

use super::client::{OWN_PASSWORD, Staff, csrf_of};
use crate::both;
use crate::helpers::{Resp, TestApp};
use paylink::domain::access::Role;
use std::sync::Arc;

const PAGE: &str = "/dashboard/settings";
const BRANCHES: &str = "/dashboard/settings/branches";
const USERS: &str = "/dashboard/settings/users";
const INVITE: &str = "/dashboard/settings/users/new";

/// The store form with every field, `changes` replacing some.
fn store_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "Demo Merchant"),
        ("default_language", "ar"),
        ("time_zone", "Asia/Riyadh"),
        ("support_phone", ""),
        ("support_email", ""),
        ("notify_per_link_per_hour", ""),
        ("notify_per_store_per_hour", ""),
    ];
    for (k, v) in changes {
        fields.iter_mut().find(|(f, _)| f == k).expect("a store field").1 = v;
    }
    fields
}

/// The actions of the audit entries about `object_id`, newest first, after the worker ran.
async fn actions(app: &TestApp, query: &str) -> Vec<(String, String)> {
    paylink::worker::run_pending(&app.ctx).await;
    let log = app.get(&app.owner_key, &format!("/v1/audit_log?{query}")).await;
    let entries = log.body["data"].as_array().unwrap_or_else(|| panic!("{}", log.text)).clone();
    entries.iter().map(|e| (e["action"].as_str().unwrap().to_owned(), e["actor"]["id"].to_string())).collect()
}

/// The API's view of the user with `email`.
async fn api_user(app: &TestApp, email: &str) -> serde_json::Value {
    let users = app.get(&app.owner_key, "/v1/users?limit=100").await;
    let all = users.body["data"].as_array().unwrap().clone();
    all.into_iter().find(|u| u["email"] == email).unwrap_or_else(|| panic!("{email} in {}", users.text))
}

/// The code of the demo store's first branch.
async fn branch_code(app: &TestApp) -> String {
    let b = app.get(&app.owner_key, &format!("/v1/branches/{}", app.branch_id)).await;
    b.body["code"].as_str().unwrap().to_owned()
}

/// A form field's error is shown, with the status `status`.
fn names(r: &Resp, status: u16, field: &str) {
    assert_eq!(r.status, status, "{field}: {}", r.text);
    assert!(r.text.contains(&format!("id=\"{field}-error\"")), "{field} named: {}", r.text);
}

both!(the_store_form_changes_what_the_api_reads_and_is_audited, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let page = owner.get(PAGE).await;
    assert_eq!(page.status, 200, "{}", page.text);
    for zone in ["Asia/Riyadh", "Asia/Dubai", "Asia/Kuwait", "Asia/Qatar", "Africa/Cairo", "Europe/London", "UTC"] {
        assert!(page.text.contains(&format!("<option value=\"{zone}\"")), "{zone} offered");
    }
    let cap = app.ctx.config.notifications.per_link_per_hour.to_string();
    assert!(page.text.contains(&format!("placeholder=\"{cap}\"")), "the server's cap as the hint");
    let fields = store_fields(&[
        ("name", "Dunes Coffee"),
        ("default_language", "en"),
        ("time_zone", "Asia/Dubai"),
        ("support_phone", "+971501234567"),
        ("support_email", "help@dunes.example"),
        ("notify_per_link_per_hour", "2"),
    ]);
    let saved = owner.post(PAGE, "/dashboard/settings/store", &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    assert_eq!(saved.headers["location"], "/dashboard/settings?done=saved");
    let store = app.get(&app.owner_key, "/v1/store").await;
    assert_eq!(store.body["name"], "Dunes Coffee", "{}", store.text);
    assert_eq!(store.body["default_language"], "en");
    assert_eq!(store.body["time_zone"], "Asia/Dubai");
    assert_eq!(store.body["support_phone"], "+971501234567");
    assert_eq!(store.body["support_email"], "help@dunes.example");
    assert_eq!(store.body["notify_per_link_per_hour"], 2);
    assert!(store.body["notify_per_store_per_hour"].is_null());
    let page = owner.get(PAGE).await.text;
    assert!(page.contains("<option value=\"Asia/Dubai\" selected>") && page.contains("value=\"+971501234567\""));
    let store_id = app.store_id.to_string();
    let entries = actions(&app, &format!("object_id={store_id}&action=store.update")).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
});

both!(a_logo_upload_is_shown_and_audited_and_a_wrong_file_is_named, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let csrf = csrf_of(&owner.get(PAGE).await.text).unwrap();
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
    let r = upload(&mut owner, &csrf, "image/png", &png).await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert!(owner.get(PAGE).await.text.contains(&format!("src=\"/assets/logos/{}?v=", app.store_id)));
    assert_eq!(actions(&app, "action=store.logo.update").await.len(), 1);
    let r = upload(&mut owner, &csrf, "image/png", b"not an image").await;
    names(&r, 400, "logo");
    let r = upload(&mut owner, &csrf, "image/png", &[png.as_slice(), &[0u8; 33 * 1024]].concat()).await;
    names(&r, 400, "logo");
    let none = upload(&mut owner, "forged", "image/png", &png).await;
    assert_eq!(none.status, 403, "{}", none.text);
    assert_eq!(actions(&app, "action=store.logo.update").await.len(), 1, "nothing more changed");
});

/// Posts the logo form as a browser does (multipart, the token first).
async fn upload(s: &mut Staff<'_>, csrf: &str, content_type: &str, bytes: &[u8]) -> Resp {
    let b = "----settingsboundary";
    let mut body = format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").into_bytes();
    let head = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo\"\r\nContent-Type: {content_type}\r\n\r\n"
    );
    body.extend_from_slice(head.as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let req = client
        .post(format!("{}/dashboard/settings/logo", s.app.base))
        .header("cookie", &s.cookies)
        .header("content-type", format!("multipart/form-data; boundary={b}"))
        .body(body);
    s.app.send(req).await
}

both!(refund_approval_and_the_two_step_rule_change_what_the_api_reads, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let fields = [("auto_approve_below", "25.5"), ("supervisor_limit", "100")];
    let r = owner.post(PAGE, "/dashboard/settings/refund_policy", &fields).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let policy = app.get(&app.owner_key, "/v1/store/refund_policy").await;
    assert_eq!(policy.body["auto_approve_below"], "25.50", "{}", policy.text);
    assert_eq!(policy.body["supervisor_limit"], "100.00");
    assert!(owner.get(PAGE).await.text.contains("value=\"25.50\""));
    let bad = owner.post(PAGE, "/dashboard/settings/refund_policy", &[("auto_approve_below", "1.234")]).await;
    names(&bad, 400, "auto_approve_below");
    assert_eq!(app.get(&app.owner_key, "/v1/store/refund_policy").await.body["auto_approve_below"], "25.50");
    let r = owner.post(PAGE, "/dashboard/settings/security", &[("required", "true")]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let security = app.get(&app.owner_key, "/v1/store/security").await;
    assert_eq!(security.body["require_two_factor_for_admins"], true, "{}", security.text);
    assert_eq!(actions(&app, "action=store.refund_policy.update").await.len(), 1);
    assert_eq!(actions(&app, "action=store.security.update").await.len(), 1);
});

both!(branches_are_added_renamed_and_closed_through_the_forms, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let r = owner.post(BRANCHES, BRANCHES, &[("code", "JED-1"), ("name", "Jeddah corniche")]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let b = app.get(&app.owner_key, "/v1/branches/JED-1").await;
    assert_eq!(b.body["name"], "Jeddah corniche", "{}", b.text);
    let id = b.body["id"].as_str().unwrap().to_owned();
    let path = format!("{BRANCHES}/{id}");
    let r = owner.post(BRANCHES, &path, &[("action", "rename"), ("name", "Jeddah seafront")]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(app.get(&app.owner_key, "/v1/branches/JED-1").await.body["name"], "Jeddah seafront");
    assert_eq!(owner.post(BRANCHES, &path, &[("action", "close")]).await.status, 303);
    let closed = app.get(&app.owner_key, "/v1/branches/JED-1").await;
    assert!(!closed.body["disabled_at"].is_null() || closed.body["disabled"] == true, "{}", closed.text);
    let entries = actions(&app, &format!("object_id={id}")).await;
    let names: Vec<&str> = entries.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(names, ["branch.update", "branch.update", "branch.create"]);
    let dup = owner.post(BRANCHES, BRANCHES, &[("code", "JED-1"), ("name", "Again")]).await;
    names_field(&dup, 409, "code");
    let bad = owner.post(BRANCHES, BRANCHES, &[("code", "no spaces"), ("name", "X")]).await;
    names_field(&bad, 400, "code");
    let nul = owner.post(BRANCHES, BRANCHES, &[("code", "NUL-1"), ("name", "A\u{0}B")]).await;
    names_field(&nul, 400, "name");
    assert_eq!(app.get(&app.owner_key, "/v1/branches/NUL-1").await.status, 404);
});

fn names_field(r: &Resp, status: u16, field: &str) {
    names(r, status, field)
}

/// Invites `email` as `role` through the form; the page with the first password.
async fn invite(s: &mut Staff<'_>, email: &str, role: &str, branch: &str) -> Resp {
    s.post(INVITE, INVITE, &[("name", "Noura"), ("email", email), ("role", role), ("branch", branch)]).await
}

/// The first password on the invited page.
fn password_of(html: &str) -> String {
    let field = &html[html.find("id=\"password\"").expect("the password field")..];
    let text = &field[field.find('>').unwrap() + 1..];
    text[..text.find('<').unwrap()].to_owned()
}

both!(an_invited_user_gets_a_first_password_shown_once_that_signs_in, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let code = branch_code(&app).await;
    let made = invite(&mut owner, "noura@example.com", "CASHIER", &code).await;
    assert_eq!(made.status, 200, "{}", made.text);
    assert_eq!(made.headers["cache-control"], "no-store");
    let password = password_of(&made.text);
    assert!(password.len() >= 12, "{password}");
    let user = api_user(&app, "noura@example.com").await;
    assert_eq!((user["role"].as_str(), user["branch_id"].as_str()), (Some("CASHIER"), Some(app.branch_id.as_str())));
    let list = owner.get(USERS).await;
    assert!(list.text.contains("noura@example.com") && !list.text.contains(&password), "not shown again");
    let mut noura = Staff::anonymous(&app);
    let r = noura.sign_in("noura@example.com", &password).await;
    assert_eq!(r.headers["location"], "/dashboard/password", "must choose their own: {}", r.text);
    let entries = actions(&app, &format!("object_id={}", user["id"].as_str().unwrap())).await;
    assert_eq!(entries.last().map(|(a, _)| a.as_str()), Some("user.create"), "{entries:?}");
    let again = invite(&mut owner, "noura@example.com", "CASHIER", &code).await;
    names(&again, 409, "email");
    names(&invite(&mut owner, "not-an-email", "ADMIN", "").await, 400, "email");
    names(&invite(&mut owner, "c2@example.com", "CASHIER", "").await, 400, "branch");
    let fields = [("name", "No\u{0}ura"), ("email", "c3@example.com"), ("role", "ADMIN"), ("branch", "")];
    names(&owner.post(INVITE, INVITE, &fields).await, 400, "name");
    assert!(!app.get(&app.owner_key, "/v1/users?limit=100").await.text.contains("c3@example.com"));
});

both!(a_role_and_branch_change_is_what_the_api_reads_and_is_audited, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let code = branch_code(&app).await;
    let mut staff = Staff::signed_in(&app, Role::Operation, None).await;
    let id = api_user(&app, &staff.email).await["id"].as_str().unwrap().to_owned();
    let path = format!("{USERS}/{id}");
    let no_branch = owner.post(USERS, &path, &[("role", "CASHIER"), ("branch", "")]).await;
    names(&no_branch, 400, "branch");
    assert_eq!(api_user(&app, &staff.email).await["role"], "OPERATION", "unchanged");
    let r = owner.post(USERS, &path, &[("role", "SUPERVISOR"), ("branch", &code)]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let user = api_user(&app, &staff.email).await;
    assert_eq!((user["role"].as_str(), user["branch_id"].as_str()), (Some("SUPERVISOR"), Some(app.branch_id.as_str())));
    let actions = actions(&app, &format!("object_id={id}")).await;
    assert_eq!(actions[0].0, "user.update", "{actions:?}");
    let ended = staff.get("/dashboard/links").await;
    assert_eq!(ended.status, 303, "a new role signs the user out: {}", ended.text);
});

both!(disabling_a_user_ends_their_dashboard_session_at_once, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let mut cashier = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id.clone())).await;
    assert_eq!(cashier.get("/dashboard/links").await.status, 200);
    let id = api_user(&app, &cashier.email).await["id"].as_str().unwrap().to_owned();
    let r = owner.post(USERS, &format!("{USERS}/{id}/disable"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(r.headers["location"], "/dashboard/settings/users?done=disabled");
    let refused = cashier.get("/dashboard/links").await;
    assert_eq!(refused.status, 303, "{}", refused.text);
    assert!(refused.headers["location"].to_str().unwrap().starts_with("/dashboard/login"));
    assert_eq!(api_user(&app, &cashier.email).await["disabled"], true);
    assert_eq!(cashier.sign_in(&cashier.email.clone(), OWN_PASSWORD).await.status, 401, "cannot sign in again");
    assert_eq!(actions(&app, &format!("object_id={id}")).await[0].0, "user.disable");
});

both!(an_admin_can_neither_change_nor_disable_an_owner, |app: Arc<TestApp>| async move {
    let mut admin = Staff::signed_in(&app, Role::Admin, None).await;
    let owner = Staff::signed_in(&app, Role::Owner, None).await;
    let id = api_user(&app, &owner.email).await["id"].as_str().unwrap().to_owned();
    let list = admin.get(USERS).await;
    assert_eq!(list.status, 200);
    assert!(!list.text.contains(&format!("{USERS}/{id}")), "no action on an owner's row");
    assert!(!list.text.contains("<option value=\"OWNER\""), "an admin cannot give the owner role");
    let r = admin.post(USERS, &format!("{USERS}/{id}/disable"), &[]).await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = admin.post(USERS, &format!("{USERS}/{id}"), &[("role", "CASHIER"), ("branch", "")]).await;
    assert_eq!(r.status, 403, "{}", r.text);
    let made = invite(&mut admin, "boss@example.com", "OWNER", "").await;
    names(&made, 403, "role");
    let user = api_user(&app, &owner.email).await;
    assert_eq!((user["role"].as_str(), user["disabled"].as_bool()), (Some("OWNER"), Some(false)));
    let mut admin_page = admin.get(PAGE).await;
    assert_eq!(admin_page.status, 200, "an admin manages the store");
    admin_page = admin.post(PAGE, "/dashboard/settings/store", &store_fields(&[("name", "By the admin")])).await;
    assert_eq!(admin_page.status, 303);
});

both!(cashier_accounting_and_supervisor_get_403_on_every_settings_page_and_form, |app: Arc<TestApp>| async move {
    let branch = app.branch_id.clone();
    let owner = Staff::signed_in(&app, Role::Owner, None).await;
    let owner_id = api_user(&app, &owner.email).await["id"].as_str().unwrap().to_owned();
    let branch_path = format!("{BRANCHES}/{branch}");
    let (user_path, disable_path) = (format!("{USERS}/{owner_id}"), format!("{USERS}/{owner_id}/disable"));
    let posts: [(&str, Vec<(&str, &str)>); 8] = [
        ("/dashboard/settings/store", store_fields(&[("name", "Taken over")])),
        ("/dashboard/settings/refund_policy", vec![("auto_approve_below", "9")]),
        ("/dashboard/settings/security", vec![("required", "true")]),
        (BRANCHES, vec![("code", "MINE"), ("name", "Mine")]),
        (&branch_path, vec![("action", "close")]),
        (INVITE, vec![("email", "x@example.com"), ("role", "ADMIN")]),
        (&user_path, vec![("role", "CASHIER"), ("branch", "")]),
        (&disable_path, vec![]),
    ];
    for (role, b) in [(Role::Cashier, Some(&branch)), (Role::Accounting, None), (Role::Supervisor, Some(&branch))] {
        let mut s = Staff::signed_in(&app, role, b.map(String::as_str)).await;
        assert!(!s.get("/dashboard").await.text.contains("href=\"/dashboard/settings\""), "no nav entry");
        for page in [PAGE, BRANCHES, USERS, INVITE] {
            let r = s.get(page).await;
            assert!(r.status == 403 || r.status == 404, "{role:?} {page}: {}", r.status);
        }
        for (path, fields) in &posts {
            let r = s.post("/dashboard", path, fields).await;
            assert!(r.status == 403 || r.status == 404, "{role:?} POST {path}: {} {}", r.status, r.text);
        }
    }
    assert_eq!(app.get(&app.owner_key, "/v1/store").await.body["name"], "Demo Merchant");
    assert_eq!(app.get(&app.owner_key, "/v1/branches/MINE").await.status, 404);
    assert_eq!(api_user(&app, &owner.email).await["disabled"], false);
    assert_eq!(app.get(&app.owner_key, "/v1/store/security").await.body["require_two_factor_for_admins"], false);
});

both!(a_settings_form_without_the_sessions_token_changes_nothing, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let cashier = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id.clone())).await;
    let id = api_user(&app, &cashier.email).await["id"].as_str().unwrap().to_owned();
    for token in [None, Some("forged")] {
        let with = |fields: &[(&'static str, &'static str)]| {
            let mut all: Vec<(&str, &str)> = token.map(|t| ("csrf", t)).into_iter().collect();
            all.extend_from_slice(fields);
            all
        };
        let store = store_fields(&[("name", "Forged")]);
        assert_eq!(owner.post_raw("/dashboard/settings/store", &with(&store)).await.status, 403);
        assert_eq!(owner.post_raw(BRANCHES, &with(&[("code", "FORGED"), ("name", "F")])).await.status, 403);
        let fields = with(&[("email", "forged@example.com"), ("role", "ADMIN")]);
        assert_eq!(owner.post_raw(INVITE, &fields).await.status, 403);
        assert_eq!(owner.post_raw(&format!("{USERS}/{id}/disable"), &with(&[])).await.status, 403);
    }
    assert_ne!(app.get(&app.owner_key, "/v1/store").await.body["name"], "Forged");
    assert_eq!(app.get(&app.owner_key, "/v1/branches/FORGED").await.status, 404);
    assert!(!app.get(&app.owner_key, "/v1/users?limit=100").await.text.contains("forged@example.com"));
    assert_eq!(api_user(&app, &cashier.email).await["disabled"], false);
});

both!(a_wrong_store_field_is_a_400_that_names_it_and_changes_nothing, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let long = "x".repeat(101);
    let above = (app.ctx.config.notifications.per_store_per_hour + 1).to_string();
    let cases = [
        ("time_zone", store_fields(&[("time_zone", "Mars/Olympus")])),
        ("support_phone", store_fields(&[("support_phone", "call me")])),
        ("support_email", store_fields(&[("support_email", "nobody")])),
        ("name", store_fields(&[("name", "A\u{0}B")])),
        ("name", store_fields(&[("name", &long)])),
        ("notify_per_store_per_hour", store_fields(&[("notify_per_store_per_hour", &above)])),
        ("notify_per_link_per_hour", store_fields(&[("notify_per_link_per_hour", "many")])),
        ("support_phone", store_fields(&[("support_phone", "+9665\u{0}")])),
    ];
    for (field, fields) in cases {
        let r = owner.post(PAGE, "/dashboard/settings/store", &fields).await;
        names(&r, 400, field);
    }
    let store = app.get(&app.owner_key, "/v1/store").await;
    assert_eq!(
        (store.body["time_zone"].as_str(), store.body["name"].as_str()),
        (Some("Asia/Riyadh"), Some("Demo Merchant"))
    );
    let r = owner.post(PAGE, "/dashboard/settings/store", &store_fields(&[("time_zone", "Mars/Olympus")])).await;
    assert!(r.text.contains("value=\"Demo Merchant\""), "the form as typed");
});
