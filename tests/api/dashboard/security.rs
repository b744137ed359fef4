//! The dashboard's defences: form tokens (missing or forged → 403, nothing changed), throttled
//! sign-in with one answer for an unknown e-mail and a wrong password, sessions that end when the
//! user is disabled or their role changes, strict headers, and escaped names.

use super::client::{OWN_PASSWORD, Staff, csrf_of, new_user};
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

both!(a_form_without_its_token_or_with_a_forged_one_is_refused_and_changes_nothing, |app: Arc<TestApp>| async move {
    let mut s = Staff::signed_in(&app, Role::Admin, None).await;
    let new = [
        ("current_password", OWN_PASSWORD),
        ("new_password", "another long sentence"),
        ("confirm_password", "another long sentence"),
    ];
    let r = s.post_raw("/dashboard/profile/password", &new).await;
    assert_eq!(r.status, 403, "no token: {}", r.text);
    let mut forged = vec![("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")];
    forged.extend_from_slice(&new);
    let r = s.post_raw("/dashboard/profile/password", &forged).await;
    assert_eq!(r.status, 403, "forged token: {}", r.text);
    let mut other = Staff::signed_in(&app, Role::Admin, None).await;
    let theirs = csrf_of(&other.get("/dashboard/profile").await.text).expect("a token");
    let r = s.post_raw("/dashboard/language", &[("csrf", &theirs), ("language", "en"), ("back", "/dashboard")]).await;
    assert_eq!(r.status, 403, "another session's token: {}", r.text);
    assert!(s.get("/dashboard").await.text.contains("lang=\"ar\""), "the language did not change");
    let mut again = Staff::anonymous(&app);
    let r = again.sign_in(&s.email, OWN_PASSWORD).await;
    assert_eq!(
        r.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/dashboard"),
        "the password did not change"
    );
});

/// The sign-in page's answer with the typed e-mail taken out (it is kept in the form).
fn answer(r: &crate::helpers::Resp, email: &str) -> (u16, String) {
    let text = r.text.replace(email, "");
    let token = csrf_of(&text).unwrap_or_default();
    (r.status, text.replace(&token, ""))
}

both!(ten_failures_lock_the_account_and_an_unknown_email_gets_the_same_answer, |app: Arc<TestApp>| async move {
    let s = Staff::signed_in(&app, Role::Operation, None).await;
    let mut browser = Staff::anonymous(&app);
    let wrong = answer(&browser.sign_in(&s.email, "not the password at all").await, &s.email);
    let unknown_email = "nobody-here@example.com";
    let unknown = answer(&browser.sign_in(unknown_email, "not the password at all").await, unknown_email);
    assert_eq!(wrong.0, 401);
    assert_eq!(wrong, unknown, "no difference tells whether an e-mail has an account");
    for _ in 0..9 {
        browser.sign_in(&s.email, "still not the password").await;
    }
    let r = browser.sign_in(&s.email, OWN_PASSWORD).await;
    assert_eq!(r.status, 429, "locked even with the right password: {}", r.text);
    let audit = app.get(&app.owner_key, "/v1/audit_log?limit=100").await;
    assert!(audit.text.contains("sign_in"), "sign-in failures are audited: {}", audit.text);
});

both!(disabling_a_user_or_changing_their_role_ends_their_sessions_at_once, |app: Arc<TestApp>| async move {
    let mut cashier = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id)).await;
    let mut operation = Staff::signed_in(&app, Role::Operation, None).await;
    assert_eq!(cashier.get("/dashboard").await.status, 200);
    assert_eq!(operation.get("/dashboard").await.status, 200);
    let r = app
        .call("PATCH", &format!("/v1/users/{}", cashier.email), Some(&app.owner_key), Some(json!({"disabled": true})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(cashier.get("/dashboard").await.status, 303, "a disabled user is signed out");
    let r = app
        .call(
            "PATCH",
            &format!("/v1/users/{}", operation.email),
            Some(&app.owner_key),
            Some(json!({"role": "ACCOUNTING"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(operation.get("/dashboard").await.status, 303, "a changed role signs the user out");
});

both!(dashboard_pages_carry_the_strict_headers_and_escape_the_users_name, |app: Arc<TestApp>| async move {
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    let evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let r =
        app.call("PATCH", &format!("/v1/users/{}", s.email), Some(&app.owner_key), Some(json!({"name": evil}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    for path in ["/dashboard", "/dashboard/profile"] {
        let page = s.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.text);
        assert!(!page.text.contains("<script>alert") && !page.text.contains("<img src=x"), "{path} escapes the name");
        assert!(
            page.text.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "{path} shows the name as text: {}",
            page.text
        );
        let header = |h: &str| page.headers.get(h).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(header("content-security-policy").contains("frame-ancestors 'none'"), "{path}");
        assert!(!header("content-security-policy").contains("unsafe-inline"), "{path}");
        assert!(header("cache-control").contains("no-store"), "{path}");
    }
});

both!(
    a_store_that_requires_two_step_verification_sends_an_administrator_to_set_it_up,
    |app: Arc<TestApp>| async move {
        let (email, generated) = new_user(&app, Role::Admin, None).await;
        let (_, cashier_key) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
        let r = app
            .call(
                "PATCH",
                "/v1/store/security",
                Some(&cashier_key),
                Some(json!({"require_two_factor_for_admins": true})),
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.text);
        let r = app
            .call(
                "PATCH",
                "/v1/store/security",
                Some(&app.owner_key),
                Some(json!({"require_two_factor_for_admins": true})),
            )
            .await;
        assert_eq!((r.status, &r.body), (200, &json!({"require_two_factor_for_admins": true})), "{}", r.text);
        let r = app
            .call(
                "PATCH",
                "/v1/store/security",
                Some(&app.owner_key),
                Some(json!({"require_two_factor_for_admins": "yes"})),
            )
            .await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert_eq!(app.get(&app.owner_key, "/v1/store/security").await.body["require_two_factor_for_admins"], true);
        let mut admin = Staff::anonymous(&app);
        admin.sign_in(&email, &generated).await;
        let page = admin.get("/dashboard/password").await;
        let csrf = csrf_of(&page.text).expect("a token");
        let fields = [("csrf", csrf.as_str()), ("new_password", OWN_PASSWORD), ("confirm_password", OWN_PASSWORD)];
        let r = admin.post_raw("/dashboard/password", &fields).await;
        let to = r.headers.get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
        assert_eq!(to.as_deref(), Some("/dashboard/second-factor/enrol"), "{}", r.text);
        assert_eq!(admin.get("/dashboard").await.status, 303, "nothing else until it is set up");
        let audit = app.get(&app.owner_key, "/v1/audit_log?limit=100").await;
        assert!(audit.text.contains("store.security.update"), "{}", audit.text);
    }
);
