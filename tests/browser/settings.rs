//! Settings in the browser: an OWNER changes the store's time zone and support phone, adds a
//! branch and invites a user (whose first password is shown once, with a working copy button) —
//! in Arabic, then in English, photographed at every width.

use crate::desk::Desk;

/// One round: the store form, a branch, an invitation; `n` keeps the names apart.
async fn round(d: &Desk, n: usize, zone: &str, phone: &str, branch: (&str, &str), invitee: (&str, &str)) {
    d.open("/dashboard/settings").await;
    d.shots("settings-store").await;
    d.choose("time_zone", zone).await;
    d.type_into("support_phone", phone).await;
    d.submit().await;
    assert_eq!(d.path().await, "/dashboard/settings?done=saved", "{}", d.text().await);
    let store = d.app.get(&d.app.owner_key, "/v1/store").await;
    assert_eq!((store.body["time_zone"].as_str(), store.body["support_phone"].as_str()), (Some(zone), Some(phone)));
    d.shots("settings-store-saved").await;

    d.follow("main nav.settings-tabs a[href='/dashboard/settings/branches']").await;
    d.type_into("code", branch.0).await;
    d.type_into("name", branch.1).await;
    d.submit().await;
    assert_eq!(d.path().await, "/dashboard/settings/branches?done=saved", "{}", d.text().await);
    assert_eq!(d.app.get(&d.app.owner_key, &format!("/v1/branches/{}", branch.0)).await.body["name"], branch.1);
    d.shots("settings-branches").await;

    d.follow("main nav.settings-tabs a[href='/dashboard/settings/users']").await;
    d.follow("main a[href='/dashboard/settings/users/new']").await;
    d.type_into("name", invitee.0).await;
    d.type_into("email", invitee.1).await;
    d.choose("role", "CASHIER").await;
    d.choose("branch", branch.0).await;
    d.shots("settings-invite").await;
    d.submit().await;
    assert!(d.has("button[data-copy='password']:not([hidden])").await, "the copy button works: {}", d.text().await);
    let password = d.js("return document.getElementById('password').value").await;
    assert!(password.as_str().is_some_and(|p| p.len() >= 12), "{password}");
    d.shots("settings-invited").await;
    d.follow("main a[href='/dashboard/settings/users']").await;
    assert!(d.text().await.contains(invitee.1) && !d.text().await.contains(password.as_str().unwrap()));
    d.shots(&format!("settings-users-{n}")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_changes_the_store_adds_a_branch_and_invites_a_user() {
    let Some(d) = Desk::start().await else { return };
    d.signed_in("OWNER", None).await;
    round(&d, 1, "Asia/Kuwait", "+96550123456", ("KWT-1", "فرع السالمية"), ("نورة العتيبي", "noura@example.com")).await;
    d.switch_language().await;
    round(&d, 2, "Asia/Bahrain", "+97336123456", ("BAH-1", "Manama souq"), ("Omar Haddad", "omar@example.com")).await;
    d.finish().await;
}
