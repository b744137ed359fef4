//! Developers → API keys in the browser: an OWNER opens the keys, makes one (its secret shown
//! once, with working copy buttons), and revokes it — in Arabic, then in English, photographed at
//! every width.

use crate::desk::Desk;

/// Makes a key named `name` through the form, photographing the form and the secret page; the
/// secret shown.
async fn make_a_key(d: &Desk, name: &str) -> String {
    d.open("/dashboard/developers").await;
    d.shots("developers-keys").await;
    d.follow("main a[href='/dashboard/developers/keys/new']").await;
    d.type_into("name", name).await;
    d.choose("acts_as", "role:OPERATION").await;
    d.shots("developers-key-new").await;
    d.submit().await;
    assert!(d.has("button[data-copy='secret']:not([hidden])").await, "the copy button works: {}", d.text().await);
    d.shots("developers-key-created").await;
    let secret = d.js("return document.getElementById('secret').value").await;
    secret.as_str().expect("the secret").to_owned()
}

/// Revokes the key named `name` through its button on the list.
async fn revoke(d: &Desk, name: &str) {
    let keys = d.app.get(&d.app.owner_key, "/v1/api_keys").await.body["data"].clone();
    let key = keys.as_array().unwrap().iter().find(|k| k["name"] == name).expect("the key").clone();
    d.open("/dashboard/developers").await;
    let id = key["id"].as_str().unwrap();
    d.follow(&format!("main form[action='/dashboard/developers/keys/{id}/revoke'] button")).await;
    assert_eq!(d.path().await, "/dashboard/developers?done=revoked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_makes_a_key_sees_its_secret_once_and_revokes_it() {
    let Some(d) = Desk::start().await else { return };
    d.signed_in("OWNER", None).await;
    for (round, name) in ["المتجر الإلكتروني", "Online shop"].into_iter().enumerate() {
        let secret = make_a_key(&d, name).await;
        assert!(secret.starts_with("sk_test_"), "{secret}");
        assert_eq!(d.app.get(&secret, "/v1/payment_links").await.status, 200);
        revoke(&d, name).await;
        assert_eq!(d.app.get(&secret, "/v1/payment_links").await.status, 401);
        assert!(!d.text().await.contains(&secret), "the list never shows a secret");
        if round == 0 {
            d.switch_language().await;
        }
    }
    d.finish().await;
}
