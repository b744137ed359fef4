//! Sessions: the id rotates at sign-in, the cookie's flags, signing out ends the session.

use super::client::{OWN_PASSWORD, Staff};
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::access::Role;
use std::sync::Arc;

both!(signing_in_sets_a_new_http_only_lax_session_cookie_and_signing_out_ends_it, |app: Arc<TestApp>| async move {
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    let home = s.get("/dashboard").await;
    assert_eq!(home.status, 200, "{}", home.text);
    let before = s.cookies.clone();
    let r = s.sign_in(&s.email.clone(), OWN_PASSWORD).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let cookie = r.headers.get("set-cookie").expect("a session cookie").to_str().unwrap().to_owned();
    assert!(cookie.starts_with("paylink_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    assert_ne!(before, s.cookies, "a new id at every sign-in");
    let r = s.post("/dashboard", "/dashboard/logout", &[]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let after = s.get("/dashboard").await;
    assert_eq!(after.status, 303, "signed out");
});
