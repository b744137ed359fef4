//! The link pages: creating a link at the counter (the API's rules, SMS through the outbox), the
//! counter view, the detail page's scope, its actions' form tokens, and escaping.

use super::client::Staff;
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

const NEW: &str = "/dashboard/links/new";
const MARKUP: &str = "<script>x</script>\"><img src=x onerror=alert(1)>";

/// The id in a `/dashboard/links/{id}/counter?…` redirect.
fn created_id(location: &str) -> String {
    let rest = location.strip_prefix("/dashboard/links/").unwrap_or_else(|| panic!("{location}"));
    rest.split('/').next().unwrap().to_owned()
}

fn location(r: &crate::helpers::Resp) -> String {
    r.headers.get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// A link of the demo store made through the API as its owner; its id.
async fn api_link(app: &TestApp, title: &str) -> String {
    let body = json!({"amount": "25.00", "title": title, "customer": {"phone": "+966501234567"}});
    app.create_link(&app.owner_key, body).await["id"].as_str().unwrap().to_owned()
}

async fn user_id(app: &TestApp, email: &str) -> String {
    let users = app.get(&app.owner_key, "/v1/users").await;
    let all = users.body["data"].as_array().expect("users").clone();
    let user = all.into_iter().find(|u| u["email"] == email).expect("the user");
    user["id"].as_str().unwrap().to_owned()
}

both!(a_cashier_creates_a_link_with_send_by_sms_and_lands_on_its_counter_view, |app: Arc<TestApp>| async move {
    let mut s = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id)).await;
    let form = s.get(NEW).await;
    assert_eq!(form.status, 200, "{}", form.text);
    assert!(form.text.contains("name=\"send_sms\""), "{}", form.text);
    let fields = [
        ("amount", "150.50"),
        ("title", "Two coffees"),
        ("phone", "+966501234567"),
        ("name", "Sara Ahmed"),
        ("expires_in_days", "3"),
        ("send_sms", "on"),
    ];
    let r = s.post(NEW, NEW, &fields).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let to = location(&r);
    assert!(to.ends_with("/counter?done=created"), "{to}");
    let id = created_id(&to);
    let link = app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await;
    assert_eq!(link.status, 200, "{}", link.text);
    assert_eq!(link.body["created_by"], user_id(&app, &s.email).await.as_str());
    assert_eq!(link.body["amount"], "150.50");
    let sent = app.get(&app.owner_key, &format!("/v1/notifications?link_id={id}")).await;
    assert_eq!(sent.body["data"][0]["channel"], "sms", "{}", sent.text);
    assert_eq!(sent.body["data"][0]["recipient"], "+966501234567");
    let counter = s.get(&to).await;
    assert_eq!(counter.status, 200, "{}", counter.text);
});

both!(
    a_bad_amount_shows_the_form_again_with_400_naming_the_field_and_creates_nothing,
    |app: Arc<TestApp>| async move {
        let mut s = Staff::signed_in(&app, Role::Owner, None).await;
        let before =
            app.get(&app.owner_key, "/v1/payment_links?limit=100").await.body["data"].as_array().unwrap().len();
        for amount in ["12,5x", "1.234", "-3", ""] {
            let r = s.post(NEW, NEW, &[("amount", amount), ("title", "Kept title")]).await;
            assert_eq!(r.status, 400, "{amount}: {}", r.text);
            assert!(r.text.contains("id=\"e-amount\""), "{amount}: {}", r.text);
            assert!(r.text.contains("value=\"Kept title\""), "the title is kept");
        }
        let after = app.get(&app.owner_key, "/v1/payment_links?limit=100").await.body["data"].as_array().unwrap().len();
        assert_eq!(before, after);
    }
);

both!(accounting_is_refused_the_new_link_form_and_its_post_with_403, |app: Arc<TestApp>| async move {
    let mut s = Staff::signed_in(&app, Role::Accounting, None).await;
    assert_eq!(s.get(NEW).await.status, 403);
    let r = s.post("/dashboard", NEW, &[("amount", "10"), ("title", "No")]).await;
    assert_eq!(r.status, 403, "{}", r.text);
});

both!(the_counter_view_shows_the_address_a_qr_code_and_serves_its_script, |app: Arc<TestApp>| async move {
    let id = api_link(&app, "Counter").await;
    let url =
        app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await.body["url"].as_str().unwrap().to_owned();
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    let page = s.get(&format!("/dashboard/links/{id}/counter")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains(&url), "{url} in {}", page.text);
    assert!(page.text.contains("class=\"counter-qr\"") && page.text.contains("<svg"), "{}", page.text);
    assert!(page.text.contains("https://wa.me/?text="));
    let csp = page.headers.get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    let at = page.text.find("<script src=\"").expect("the script") + "<script src=\"".len();
    let src = &page.text[at..at + page.text[at..].find('"').unwrap()];
    let js = s.get(src).await;
    assert_eq!(js.status, 200);
    assert!(js.headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/javascript"));
});

both!(a_link_out_of_scope_is_a_404_page_for_another_merchant_and_another_cashier, |app: Arc<TestApp>| async move {
    let foreign = app.create_link(&app.foreign_key().await, json!({"amount": "5", "title": "Theirs"})).await;
    let foreign = foreign["id"].as_str().unwrap().to_owned();
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    assert_eq!(owner.get(&format!("/dashboard/links/{foreign}")).await.status, 404);
    assert_eq!(owner.get(&format!("/dashboard/links/{foreign}/counter")).await.status, 404);
    assert_eq!(owner.get("/dashboard/links/not_an_id").await.status, 404);
    let mut a = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id)).await;
    let r = a.post(NEW, NEW, &[("amount", "7"), ("title", "Mine")]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let mine = created_id(&location(&r));
    assert_eq!(a.get(&format!("/dashboard/links/{mine}")).await.status, 200);
    let mut b = Staff::signed_in(&app, Role::Cashier, Some(&app.branch_id)).await;
    assert_eq!(b.get(&format!("/dashboard/links/{mine}")).await.status, 404);
    assert_eq!(b.get(&format!("/dashboard/links/{mine}/counter")).await.status, 404);
});

both!(cancelling_needs_the_form_token_and_then_cancels_the_link, |app: Arc<TestApp>| async move {
    let id = api_link(&app, "To cancel").await;
    let (detail, cancel) = (format!("/dashboard/links/{id}"), format!("/dashboard/links/{id}/cancel"));
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    assert_eq!(s.post_raw(&cancel, &[]).await.status, 403);
    assert_eq!(s.post_raw(&cancel, &[("csrf", "forged")]).await.status, 403);
    let link = app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await;
    assert_eq!(link.body["status"], "open");
    let r = s.post(&detail, &cancel, &[]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(location(&r), format!("{detail}?done=cancelled"));
    let link = app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await;
    assert_eq!(link.body["status"], "cancelled");
    let page = s.get(&format!("{detail}?done=cancelled")).await;
    assert!(!page.text.contains(&cancel), "no cancel button on a cancelled link");
});

both!(a_cash_payment_recorded_at_the_branch_pays_the_link_and_is_listed, |app: Arc<TestApp>| async move {
    let body = json!({"amount": "25.00", "title": "Paid in cash", "callback_url": "https://example.com/paylink"});
    let id = app.create_link(&app.owner_key, body).await["id"].as_str().unwrap().to_owned();
    let detail = format!("/dashboard/links/{id}");
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    let fields = [("method", "cash"), ("amount", "25.00"), ("receipt_number", "R-1")];
    let r = s.post(&detail, &format!("{detail}/payments"), &fields).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let link = app.get(&app.owner_key, &detail.replace("/dashboard/links", "/v1/payment_links")).await;
    assert_eq!(link.body["status"], "paid", "{}", link.text);
    let again = s.post(&detail, &format!("{detail}/payments"), &fields).await;
    assert_eq!(again.status, 409, "a paid link takes no second payment: {}", again.text);
    let page = s.get(&detail).await;
    assert!(page.text.contains("/dashboard/refunds/new?payment=pay_"), "{}", page.text);
    assert!(page.text.contains("payment.succeeded"), "the timeline");
    assert!(page.text.contains("https://example.com/paylink"), "the callback's delivery: {}", page.text);
});

both!(markup_in_a_title_is_escaped_on_the_detail_and_counter_pages, |app: Arc<TestApp>| async move {
    let id = api_link(&app, MARKUP).await;
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    for path in [format!("/dashboard/links/{id}"), format!("/dashboard/links/{id}/counter")] {
        let page = s.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert!(!page.text.contains("<script>x") && !page.text.contains("<img src=x"), "{path}: {}", page.text);
        assert!(page.text.contains("&#60;script&#62;x&#60;/script&#62;&#34;&#62;"), "{path}: {}", page.text);
    }
});

both!(sending_again_queues_the_message_and_a_missing_recipient_is_a_400_page, |app: Arc<TestApp>| async move {
    let id = api_link(&app, "Send again").await;
    let (counter, notify) = (format!("/dashboard/links/{id}/counter"), format!("/dashboard/links/{id}/notify"));
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    let r = s.post(&counter, &notify, &[("channel", "sms"), ("to", ""), ("back", "counter")]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(location(&r), format!("{counter}?done=sent"));
    let sent = app.get(&app.owner_key, &format!("/v1/notifications?link_id={id}")).await;
    assert_eq!(sent.body["data"][0]["recipient"], "+966501234567", "{}", sent.text);
    let r = s.post(&counter, &notify, &[("channel", "email"), ("to", "")]).await;
    assert_eq!(r.status, 400, "the link has no e-mail: {}", r.text);
    assert!(r.text.contains(&format!("href=\"/dashboard/links/{id}\"")), "the way back: {}", r.text);
    let r = s.post(&counter, &notify, &[("channel", "email"), ("to", "sara@example.com")]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(location(&r), format!("/dashboard/links/{id}?done=sent"));
});

both!(a_customer_from_the_customers_page_is_preselected_and_fills_the_link, |app: Arc<TestApp>| async move {
    let body = json!({"name": "Sara Al-Harbi", "phone": "+966501112222", "email": "sara@example.com"});
    let customer = app.post(&app.owner_key, "/v1/customers", body).await;
    assert_eq!(customer.status, 201, "{}", customer.text);
    let cus = customer.body["id"].as_str().unwrap().to_owned();
    let mut s = Staff::signed_in(&app, Role::Owner, None).await;
    let from = format!("{NEW}?customer={cus}");
    let page = s.get(&from).await;
    assert!(page.text.contains(&format!("value=\"{cus}\" dir=\"auto\" selected")), "{}", page.text);
    let r = s
        .post(&from, NEW, &[("amount", "40"), ("title", "For Sara"), ("customer_id", &cus), ("send_email", "on")])
        .await;
    assert_eq!(r.status, 303, "{}", r.text);
    let id = created_id(&location(&r));
    let link = app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await;
    assert_eq!(link.body["customer"]["phone"], "+966501112222", "{}", link.text);
    let sent = app.get(&app.owner_key, &format!("/v1/notifications?link_id={id}")).await;
    assert_eq!(sent.body["data"][0]["channel"], "email", "{}", sent.text);
});
