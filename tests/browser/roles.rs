//! Staff at work, each in their role's scope: a cashier raises a link at the counter and the
//! customer's phone can scan its QR code; each of the six roles sees exactly the links its scope
//! holds; an OPERATION user asks for a refund that ACCOUNTING approves and the requester cannot.

use crate::desk::Desk;
use crate::scan::read_qr;
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The titles of the links on the links page.
async fn listed(d: &Desk) -> BTreeSet<String> {
    d.open("/dashboard/links").await;
    let titles = d.js("return [...document.querySelectorAll('main table a[href^=\"/dashboard/links/\"]')].map(a => a.textContent)").await;
    titles.as_array().into_iter().flatten().filter_map(|t| t.as_str().map(str::to_owned)).collect()
}

fn titles(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|t| (*t).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cashier_raises_a_link_at_the_counter_and_its_qr_code_scans_to_the_links_url() {
    let Some(d) = Desk::start().await else { return };
    let (_, colleague) = d.app.staff(Role::Cashier, Some(&d.app.branch_id)).await;
    d.app.create_link(&colleague, json!({"amount": "20.00", "title": "A colleague's link"})).await;
    d.signed_in("CASHIER", Some(&d.app.branch_id)).await;
    assert_eq!(
        d.nav().await,
        ["/dashboard", "/dashboard/links", "/dashboard/reports", "/dashboard/profile"],
        "a cashier's navigation"
    );
    d.open("/dashboard/links/new").await;
    d.shots("link-new").await;
    d.type_into("amount", "149.50").await;
    d.type_into("title", "Blue kaftan").await;
    d.type_into("phone", "+966501234567").await;
    d.tick("send_sms").await;
    d.submit().await;
    let counter = d.path().await;
    assert!(counter.contains("/counter"), "the counter view follows: {counter} {}", d.text().await);
    d.shots("counter").await;
    let id = counter.trim_start_matches("/dashboard/links/").split('/').next().expect("the link's id").to_owned();
    let link = d.app.get(&d.app.owner_key, &format!("/v1/payment_links/{id}")).await;
    let url = link.body["url"].as_str().expect("the link's URL").to_owned();
    for width in [412, 768] {
        d.resize(width).await;
        let seen = read_qr(&d.element_png(".counter-qr").await);
        assert_eq!(seen.as_deref(), Some(url.as_str()), "the QR code at {width} px scans to the link");
    }
    d.resize(412).await;
    let sent = d.app.get(&d.app.owner_key, &format!("/v1/notifications?link_id={id}")).await;
    assert!(sent.text.contains("\"sms\""), "an SMS was sent: {}", sent.text);
    assert_eq!(listed(&d).await, titles(&["Blue kaftan"]), "a cashier sees only their own links");
    d.open(&format!("/dashboard/links/{id}")).await;
    d.shots("link-detail").await;
    d.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_of_the_six_roles_signs_in_and_sees_exactly_its_scope() {
    let Some(d) = Desk::start().await else { return };
    let east = d.app.branch("EAST-002").await;
    let (_, main_cashier) = d.app.staff(Role::Cashier, Some(&d.app.branch_id)).await;
    let (_, east_cashier) = d.app.staff(Role::Cashier, Some(&east)).await;
    d.app.create_link(&main_cashier, json!({"amount": "20.00", "title": "Main branch link"})).await;
    d.app.create_link(&east_cashier, json!({"amount": "30.00", "title": "East branch link"})).await;
    let everything = titles(&["Main branch link", "East branch link"]);
    let cases: [(&str, Option<&str>, BTreeSet<String>); 6] = [
        ("OWNER", None, everything.clone()),
        ("ADMIN", None, everything.clone()),
        ("OPERATION", None, everything.clone()),
        ("ACCOUNTING", None, everything.clone()),
        ("SUPERVISOR", Some(&east), titles(&["East branch link"])),
        ("CASHIER", Some(&d.app.branch_id), titles(&[])),
    ];
    for (role, branch, expected) in cases {
        d.signed_in(role, branch).await;
        assert_eq!(listed(&d).await, expected, "{role}'s links");
        let may_create = d.has("main a[href='/dashboard/links/new']").await;
        assert_eq!(may_create, role != "ACCOUNTING", "{role} is offered a new link");
        if role == "ACCOUNTING" {
            d.open("/dashboard/links/new").await;
            assert!(d.text().await.contains("غير مسموح"), "ACCOUNTING cannot create: {}", d.text().await);
            d.open("/dashboard").await;
        }
        if role == "OWNER" {
            d.open("/dashboard/links").await;
            d.shots("links").await;
        }
        d.sign_out().await;
    }
    d.finish().await;
}

/// A link paid 80.00 in cash at the branch (recorded through the API); (link id, payment id).
async fn paid_link(d: &Desk) -> (String, String) {
    let link = d.app.create_link(&d.app.owner_key, json!({"amount": "80.00", "title": "Linen shirt"})).await;
    let id = link["id"].as_str().expect("id").to_owned();
    let body = json!({"method": "cash", "amount": "80.00", "receipt_number": "till-3"});
    let paid: Value = d.app.post(&d.app.owner_key, &format!("/v1/payment_links/{id}/record_payment"), body).await.body;
    (id, paid["id"].as_str().unwrap_or_else(|| panic!("a payment: {paid}")).to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_user_asks_for_a_refund_that_accounting_approves_and_the_requester_cannot() {
    let Some(d) = Desk::start().await else { return };
    let (link, payment) = paid_link(&d).await;
    d.signed_in("OPERATION", None).await;
    d.open(&format!("/dashboard/links/{link}")).await;
    d.follow(&format!("main a[href='/dashboard/refunds/new?payment={payment}']")).await;
    d.shots("refund-new").await;
    d.type_into("amount", "30.00").await;
    d.type_into("reason", "The shirt was returned").await;
    d.submit().await;
    let refund_page = d.path().await.split('?').next().expect("a path").to_owned();
    assert!(refund_page.starts_with("/dashboard/refunds/re_"), "{refund_page}: {}", d.text().await);
    assert!(!d.has("main form[action$='/decide']").await, "the requester is not offered a decision");
    d.shots("refund-detail").await;
    let forge = "const f = document.createElement('form'); f.method = 'post'; f.action = location.pathname + '/decide';\
        for (const [k, v] of [['csrf', document.querySelector('input[name=csrf]').value], ['decision', 'approve']]) {\
        const i = document.createElement('input'); i.name = k; i.value = v; f.append(i); }\
        document.body.append(f); window.__left = true; f.submit();";
    d.js(forge).await;
    d.wait_for_next_page().await;
    assert!(d.text().await.contains("غير مسموح"), "the requester's own decision is refused: {}", d.text().await);
    d.open("/dashboard").await;
    d.sign_out().await;
    d.signed_in("ACCOUNTING", None).await;
    d.open("/dashboard/refunds").await;
    d.shots("refunds").await;
    d.follow(&format!("main a[href='{refund_page}']")).await;
    d.type_into("note", "Receipt checked").await;
    d.follow("main form[action$='/decide'] button[value=approve]").await;
    let refund = d
        .app
        .get(&d.app.owner_key, &format!("/v1/refunds/{}", refund_page.trim_start_matches("/dashboard/refunds/")))
        .await;
    assert!(["approved", "succeeded"].contains(&refund.body["status"].as_str().unwrap_or_default()), "{}", refund.text);
    d.finish().await;
}
