//! Customer pages: add, edit and search through the forms; bad fields come back named with the
//! values kept; names that look like markup stay text; another merchant's customer is 404; only
//! roles that may read or write customers get the pages.

use super::client::Staff;
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

/// Adds a customer through the form as `s`; the customer's page (its `Location`).
async fn add(s: &mut Staff<'_>, name: &str, phone: &str, email: &str) -> String {
    let fields = [("name", name), ("phone", phone), ("email", email)];
    let r = s.post("/dashboard/customers/new", "/dashboard/customers/new", &fields).await;
    assert_eq!(r.status, 303, "{}", r.text);
    r.headers["location"].to_str().unwrap().to_owned()
}

/// The customer id in a customer page's address.
fn id_in(location: &str) -> String {
    location.trim_start_matches("/dashboard/customers/").split('?').next().unwrap().to_owned()
}

both!(customers_are_added_edited_and_found_through_the_forms, |app: Arc<TestApp>| async move {
    let mut op = Staff::signed_in(&app, Role::Operation, None).await;
    let page = add(&mut op, "Sara Al-Harbi", "+966501234567", "sara@example.com").await;
    assert!(page.ends_with("?done=created"), "{page}");
    let id = id_in(&page);
    let shown = op.get(&page).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert!(shown.text.contains("Sara Al-Harbi") && shown.text.contains("+966501234567"));
    assert!(shown.text.contains("تمت إضافة العميل"));
    assert!(shown.text.contains(&format!("/dashboard/links/new?customer={id}")), "the new-link button");
    let edit = format!("/dashboard/customers/{id}/edit");
    let form = op.get(&edit).await;
    assert!(form.text.contains("value=\"sara@example.com\""), "{}", form.text);
    let fields = [("name", "Sara Harbi"), ("phone", ""), ("email", "sara@example.org")];
    let saved = op.post(&edit, &edit, &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let api = app.get(&app.owner_key, &format!("/v1/customers/{id}")).await.body;
    assert_eq!(
        (api["name"].as_str(), api["phone"].as_str(), api["email"].as_str()),
        (Some("Sara Harbi"), None, Some("sara@example.org"))
    );
    add(&mut op, "Omar Saleh", "+966551112222", "").await;
    let found = op.get("/dashboard/customers?q=HARBI").await;
    assert!(found.text.contains("Sara Harbi") && !found.text.contains("Omar Saleh"), "{}", found.text);
    let by_phone = op.get("/dashboard/customers?q=%2B9665511").await;
    assert!(by_phone.text.contains("Omar Saleh") && !by_phone.text.contains("Sara Harbi"));
    let all = op.get("/dashboard/customers").await;
    assert!(all.text.contains("Omar Saleh") && all.text.contains("Sara Harbi"));
});

both!(
    a_bad_phone_or_email_or_no_name_comes_back_with_the_values_kept_and_the_field_named,
    |app: Arc<TestApp>| async move {
        let mut op = Staff::signed_in(&app, Role::Operation, None).await;
        let new = "/dashboard/customers/new";
        let r = op.post(new, new, &[("name", "Layla"), ("phone", "0501234567"), ("email", "not-an-address")]).await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert!(r.text.contains("phone-error") && r.text.contains("email-error") && !r.text.contains("name-error"));
        assert!(r.text.contains("value=\"Layla\"") && r.text.contains("value=\"0501234567\""));
        let r = op.post(new, new, &[("name", "  "), ("phone", "+966501234567"), ("email", "")]).await;
        assert!(r.status == 400 && r.text.contains("name-error"), "{}", r.text);
        let id = id_in(&add(&mut op, "Layla", "", "").await);
        let edit = format!("/dashboard/customers/{id}/edit");
        let r = op.post(&edit, &edit, &[("name", "Layla Q"), ("phone", "12"), ("email", "")]).await;
        assert!(
            r.status == 400 && r.text.contains("phone-error") && r.text.contains("value=\"Layla Q\""),
            "{}",
            r.text
        );
        let api = app.get(&app.owner_key, &format!("/v1/customers/{id}")).await.body;
        assert_eq!(api["name"], "Layla", "nothing saved");
        let listed = app.get(&app.owner_key, "/v1/customers").await.body;
        assert_eq!(listed["data"].as_array().map(Vec::len), Some(1), "only the good one was added");
    }
);

both!(names_that_look_like_markup_render_as_text_in_the_list_and_the_page, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let script = id_in(&add(&mut owner, "<script>x</script>", "", "").await);
    let r = app.post(&app.owner_key, "/v1/customers", json!({"name": "\"><img src=x onerror=alert(1)>"})).await;
    let img = r.body["id"].as_str().unwrap().to_owned();
    let list = owner.get("/dashboard/customers").await;
    let pages = [
        list.text,
        owner.get(&format!("/dashboard/customers/{script}")).await.text,
        owner.get(&format!("/dashboard/customers/{img}")).await.text,
        owner.get(&format!("/dashboard/customers/{img}/edit")).await.text,
    ];
    for page in pages {
        assert!(!page.contains("<script>x") && !page.contains("<img src=x"), "{page}");
        assert!(page.contains("script&#62;x") || page.contains("img src=x onerror"), "shown as text: {page}");
    }
});

both!(another_merchants_customer_is_not_found_and_roles_without_access_are_refused, |app: Arc<TestApp>| async move {
    let foreign = app.foreign_key().await;
    let theirs = app.post(&foreign, "/v1/customers", json!({"name": "Their customer"})).await;
    let id = theirs.body["id"].as_str().unwrap().to_owned();
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    assert_eq!(owner.get(&format!("/dashboard/customers/{id}")).await.status, 404);
    assert_eq!(owner.get(&format!("/dashboard/customers/{id}/edit")).await.status, 404);
    let edit = format!("/dashboard/customers/{id}/edit");
    let r = owner.post("/dashboard/customers", &edit, &[("name", "Mine now")]).await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert!(!owner.get("/dashboard/customers").await.text.contains("Their customer"));
    let mut cashier = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id)).await;
    assert_eq!(cashier.get("/dashboard/customers").await.status, 403);
    assert_eq!(cashier.get("/dashboard/customers/new").await.status, 403);
    let mut accounting = Staff::signed_in(&app, Role::Accounting, None).await;
    let list = accounting.get("/dashboard/customers").await;
    assert!(list.status == 200 && !list.text.contains("href=\"/dashboard/customers/new\""));
    assert_eq!(accounting.get("/dashboard/customers/new").await.status, 403);
    let r = accounting.post("/dashboard/customers", "/dashboard/customers/new", &[("name", "Nope")]).await;
    assert_eq!(r.status, 403, "{}", r.text);
});

both!(customers_come_in_pages_of_twenty_with_a_link_to_the_next, |app: Arc<TestApp>| async move {
    for i in 0..21 {
        let r = app.post(&app.owner_key, "/v1/customers", json!({"name": format!("Paged customer {i:02}")})).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let first = owner.get("/dashboard/customers?q=paged").await;
    assert_eq!(first.text.matches("Paged customer").count(), 20);
    assert!(first.text.contains("Paged customer 20") && !first.text.contains("Paged customer 00"));
    let at = first.text.find("href=\"/dashboard/customers?q=paged&").expect("a next-page link") + "href=\"".len();
    let href = first.text[at..].split('"').next().unwrap().replace("&#38;", "&").replace("&amp;", "&");
    let second = owner.get(&href).await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert_eq!(second.text.matches("Paged customer").count(), 1);
    assert!(second.text.contains("Paged customer 00") && !second.text.contains("after="));
});
