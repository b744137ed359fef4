//! Every dashboard address that names an object, tried with another merchant's object and with
//! one outside the user's scope: 404, as the API answers; and every page that shows a link's
//! title, a customer's name or metadata shows them as text, never as markup.

use super::client::Staff;
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

/// What a store holds for these tests: a paid link with a customer, a refund of it, the customer.
struct Objects {
    link: String,
    refund: String,
    customer: String,
}

const EVIL: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

/// A paid link (in cash at the branch) with a customer, and a refund of part of it, made by `key`.
async fn objects(app: &TestApp, key: &str) -> Objects {
    let customer = app.post(key, "/v1/customers", json!({"name": EVIL, "phone": "+966501234567"})).await;
    assert_eq!(customer.status, 201, "{}", customer.text);
    let customer = customer.body["id"].as_str().expect("customer id").to_owned();
    let body = json!({"amount": "80.00", "title": EVIL, "customer_id": customer, "metadata": {"note": EVIL}});
    let link = app.create_link(key, body).await["id"].as_str().expect("link id").to_owned();
    let paid = app
        .post(key, &format!("/v1/payment_links/{link}/record_payment"), json!({"method": "cash", "amount": "80.00"}))
        .await;
    assert_eq!(paid.status, 201, "{}", paid.text);
    let payment = paid.body["id"].as_str().expect("payment id");
    let refund = app.post(key, "/v1/refunds", json!({"payment_id": payment, "amount": "10.00", "reason": EVIL})).await;
    assert!(refund.status == 201 || refund.status == 200, "{}", refund.text);
    Objects { link, refund: refund.body["id"].as_str().expect("refund id").to_owned(), customer }
}

fn addresses(o: &Objects) -> Vec<String> {
    vec![
        format!("/dashboard/links/{}", o.link),
        format!("/dashboard/links/{}/counter", o.link),
        format!("/dashboard/refunds/{}", o.refund),
        format!("/dashboard/customers/{}", o.customer),
        format!("/dashboard/customers/{}/edit", o.customer),
    ]
}

both!(another_merchants_objects_answer_404_on_every_dashboard_address, |app: Arc<TestApp>| async move {
    let theirs = objects(&app, &app.foreign_key().await).await;
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    for path in addresses(&theirs) {
        let r = owner.get(&path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.text);
    }
    for (path, fields) in [
        (format!("/dashboard/links/{}/cancel", theirs.link), vec![]),
        (format!("/dashboard/refunds/{}/decide", theirs.refund), vec![("decision", "approve"), ("note", "")]),
    ] {
        let r = owner.post("/dashboard", &path, &fields).await;
        assert_eq!(r.status, 404, "POST {path}: {}", r.text);
    }
});

both!(a_supervisor_of_another_branch_gets_404_for_this_branchs_objects, |app: Arc<TestApp>| async move {
    let ours = objects(&app, &app.owner_key).await;
    let east = app.branch("EAST-002").await;
    let mut supervisor = Staff::signed_in(&app, Role::Supervisor, Some(&east)).await;
    for path in addresses(&ours) {
        let r = supervisor.get(&path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.text);
    }
});

both!(titles_names_and_metadata_render_as_text_on_every_page, |app: Arc<TestApp>| async move {
    let ours = objects(&app, &app.owner_key).await;
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let mut pages = addresses(&ours);
    pages.extend(["/dashboard", "/dashboard/links", "/dashboard/refunds", "/dashboard/customers"].map(String::from));
    pages.push(format!("/dashboard/customers?q={}", "%3Cscript%3E"));
    for path in pages {
        let page = owner.get(&path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.text);
        assert!(
            !page.text.contains("<script>alert") && !page.text.contains("<img src=x"),
            "{path} holds markup from data"
        );
    }
    let shown = owner.get(&format!("/dashboard/links/{}", ours.link)).await.text;
    assert!(shown.contains("&#60;script&#62;alert(1)"), "the title is shown as text");
});

both!(an_address_under_the_dashboard_that_names_no_page_is_the_dashboards_404_page, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let r = owner.get("/dashboard/no-such-page").await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert!(r.text.contains("<html") && r.text.contains("غير موجود"), "{}", r.text);
    let r = Staff::anonymous(&app).get("/dashboard/no-such-page").await;
    assert_eq!(r.status, 303, "signed out: to the sign-in page first");
});

/// Every dashboard form of a store with objects, with each text field holding `value`.
fn forms(o: &Objects, value: &'static str) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    let text = |names: &[&'static str]| names.iter().map(|n| (*n, value)).collect::<Vec<_>>();
    vec![
        (
            "/dashboard/links/new".into(),
            text(&["amount", "title", "description", "phone", "email", "name", "reference", "expires_in_days"]),
        ),
        (format!("/dashboard/links/{}/notify", o.link), text(&["channel", "to"])),
        (format!("/dashboard/links/{}/payments", o.link), text(&["method", "amount", "receipt_number", "note"])),
        (format!("/dashboard/refunds/{}/decide", o.refund), text(&["decision", "note"])),
        ("/dashboard/refunds/new".into(), text(&["payment", "amount", "reason"])),
        ("/dashboard/customers/new".into(), text(&["name", "phone", "email"])),
        (format!("/dashboard/customers/{}/edit", o.customer), text(&["name", "phone", "email"])),
        ("/dashboard/profile/password".into(), text(&["current_password", "new_password", "confirm_password"])),
        ("/dashboard/language".into(), text(&["language", "back"])),
        ("/dashboard/environment".into(), text(&["environment", "back"])),
    ]
}

both!(forms_with_control_characters_or_nonsense_answer_4xx_and_never_500, |app: Arc<TestApp>| async move {
    let ours = objects(&app, &app.owner_key).await;
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    for value in ["a\u{0}b", "\u{1b}[31m", "", "-1", "9999999999999999999999", "x"] {
        for (path, fields) in forms(&ours, value) {
            let r = owner.post("/dashboard", &path, &fields).await;
            assert!(r.status < 500, "{path} with {value:?}: {} {}", r.status, r.text);
        }
    }
    let r = owner.post("/dashboard", &format!("/dashboard/links/{}/cancel", ours.link), &[]).await;
    assert!(r.status < 500, "{}", r.text);
    for list in ["/v1/customers?limit=100", "/v1/payment_links?limit=100", "/v1/refunds?limit=100"] {
        let stored = app.get(&app.owner_key, list).await.text;
        assert!(
            !stored.contains("\\u0000") && !stored.contains("\\u001b"),
            "nothing with a control character was stored: {stored}"
        );
    }
});
