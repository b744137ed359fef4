//! Staff in the dashboard: the first sign-in with a generated password, the profile, the language
//! switch and signing out; two-step verification from enrolment to signing in with a code and
//! with a recovery code. Every page is photographed in Arabic and English at 412, 768 and 1280 px.

use crate::desk::{Desk, OWN_PASSWORD as OWN};
use totp_rs::{Algorithm, Secret, TOTP};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_chooses_a_password_at_the_first_sign_in_then_works_and_signs_out() {
    let Some(d) = Desk::start().await else { return };
    d.open("/dashboard").await;
    assert!(d.path().await.starts_with("/dashboard/login"), "{}", d.path().await);
    d.shots("login").await;
    d.open("/dashboard/login?lang=en").await;
    d.shots("login").await;
    let (email, generated) = d.user("ADMIN", None).await;
    d.sign_in(&email, &generated).await;
    assert_eq!(d.path().await, "/dashboard/password");
    d.shots("password").await;
    d.choose_password("password123").await;
    assert_eq!(d.path().await, "/dashboard/password", "a common password is refused");
    assert!(d.text().await.contains("سهلة التخمين"), "{}", d.text().await);
    d.choose_password(OWN).await;
    assert_eq!(d.path().await, "/dashboard");
    let nav = [
        "/dashboard",
        "/dashboard/links",
        "/dashboard/reports",
        "/dashboard/refunds",
        "/dashboard/customers",
        "/dashboard/audit",
        "/dashboard/developers",
        "/dashboard/settings",
        "/dashboard/profile",
    ];
    assert_eq!(d.nav().await, nav, "an administrator's navigation");
    d.shots("home").await;
    d.open("/dashboard/profile").await;
    d.shots("profile").await;
    d.switch_language().await;
    assert!(d.text().await.contains("Your profile"), "{}", d.text().await);
    d.shots("profile").await;
    d.open("/dashboard").await;
    d.shots("home").await;
    d.sign_out().await;
    assert_eq!(d.path().await, "/dashboard/login?done=signed_out&lang=en");
    d.open("/dashboard/profile").await;
    assert!(d.path().await.starts_with("/dashboard/login"), "signed out: {}", d.path().await);
    d.finish().await;
}

/// The current code of a base32 secret.
fn code(secret: &str) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().expect("a base32 secret");
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).expect("a TOTP").generate_current().expect("a code")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_step_verification_is_set_up_then_asked_at_sign_in_and_a_recovery_code_works_once() {
    let Some(d) = Desk::start().await else { return };
    for lang in ["ar", "en"] {
        two_step_verification_in(&d, lang).await;
    }
    d.finish().await;
}

/// Signs in from the sign-in page in `lang` (a first sign-in adopts it), so every page of the
/// two-step flow is seen in that language.
async fn sign_in_in(d: &Desk, lang: &str, email: &str, password: &str) {
    d.open(&format!("/dashboard/login?lang={lang}")).await;
    d.type_into("email", email).await;
    d.type_into("password", password).await;
    d.submit().await;
}

async fn two_step_verification_in(d: &Desk, lang: &str) {
    let (email, generated) = d.user("OWNER", None).await;
    sign_in_in(d, lang, &email, &generated).await;
    assert_eq!(d.js("return document.documentElement.lang").await, lang, "the sign-in page's language is adopted");
    d.shots("password").await;
    d.choose_password(OWN).await;
    d.open("/dashboard/second-factor/enrol").await;
    d.shots("enrol").await;
    let secret = d.js("return document.querySelector('main code').textContent").await;
    let secret = secret.as_str().expect("the key to type").to_owned();
    let drawn = d.js("return !!document.querySelector('.qr-svg svg')").await;
    assert_eq!(drawn.as_bool(), Some(true), "{}: {}", d.path().await, d.text().await);
    d.type_into("code", &code(&secret)).await;
    d.submit().await;
    let codes = d.js("return [...document.querySelectorAll('.codes li')].map(li => li.textContent)").await;
    let codes: Vec<String> =
        codes.as_array().expect("codes").iter().filter_map(|c| c.as_str().map(str::to_owned)).collect();
    assert_eq!(codes.len(), 10, "ten recovery codes");
    d.shots("recovery-codes").await;
    d.open("/dashboard").await;
    d.sign_out().await;
    d.sign_in(&email, OWN).await;
    assert_eq!(d.path().await, "/dashboard/second-factor");
    d.shots("second-factor").await;
    d.type_into("code", &codes[0]).await;
    d.submit().await;
    assert_eq!(d.path().await, "/dashboard", "a recovery code completes the sign-in: {}", d.text().await);
    d.sign_out().await;
    d.sign_in(&email, OWN).await;
    d.type_into("code", &codes[0]).await;
    d.submit().await;
    assert_eq!(d.path().await, "/dashboard/second-factor", "a recovery code works once");
    d.open("/dashboard/login").await;
}
