//! Paying through the hosted page's form, many at once. The claim on a link is one conditional
//! statement, so of 200 simultaneous attempts on a single-use link exactly one charges and the
//! others get 409, on both databases; a capped multi-use link takes exactly its cap.

use crate::both;
use crate::concurrency::race;
use crate::helpers::{Resp, TestApp};
use crate::sandbox::method_id;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A browser's state on a link page: its CSRF cookie and the form token.
#[derive(Clone)]
pub struct PageSession {
    pub cookie: String,
    pub csrf: String,
    pub client: reqwest::Client,
}

impl PageSession {
    /// Opens the link page as a new browser would.
    pub async fn open(app: &TestApp, link_id: &str) -> PageSession {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(256)
            .build()
            .unwrap();
        let r = client.get(format!("{}/pay/{link_id}", app.base)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let html = r.text().await.unwrap();
        let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
        let csrf = html[at..at + html[at..].find('"').unwrap()].to_owned();
        PageSession { cookie, csrf, client }
    }

    /// Posts a form to `path` with this browser's cookie and token.
    pub async fn post(&self, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut form: Vec<(&str, &str)> = vec![("csrf", &self.csrf)];
        form.extend_from_slice(fields);
        let req = self.client.post(format!("{}{path}", app.base)).header("cookie", &self.cookie).form(&form);
        app.send(req).await
    }

    /// Pays the link with a card through the page form.
    pub async fn pay_card(&self, app: &TestApp, link_id: &str, method: i64, number: &str) -> Resp {
        let method = method.to_string();
        let fields =
            [("method_id", method.as_str()), ("card_number", number), ("card_expiry", "12/34"), ("card_cvv", "123")];
        self.post(app, &format!("/pay/{link_id}"), &fields).await
    }
}

async fn new_link(app: &TestApp, extra: serde_json::Value) -> String {
    let mut body = serde_json::json!({"amount": "75.00", "title": "Concert ticket"});
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    app.create_link(&app.owner_key, body).await["id"].as_str().unwrap().to_owned()
}

fn statuses(responses: &[Resp]) -> BTreeMap<u16, usize> {
    responses.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r.status).or_insert(0) += 1;
        m
    })
}

/// (succeeded payments on the link, charges the sandbox received for it, of which succeeded).
async fn charges(app: &TestApp, link_id: &str) -> (i64, (i64, i64)) {
    let id = link_id.to_owned();
    app.ctx
        .db
        .read(move |c| {
            let paid = c.query_opt(
                "SELECT count(*) FROM payments WHERE link_id = ?1 AND status = 'succeeded'",
                &[id.as_str().into()],
            )?;
            Ok::<_, paylink::store::conn::DbError>((
                paid.unwrap().i64(0)?,
                paylink::store::sandbox::charges_for(c, &id)?,
            ))
        })
        .await
        .unwrap()
}

both!(two_hundred_concurrent_attempts_on_a_single_use_link_charge_exactly_once, |app: Arc<TestApp>| async move {
    let method = method_id(&app, "card").await;
    for round in 0..5 {
        let link = new_link(&app, serde_json::json!({})).await;
        let page = PageSession::open(&app, &link).await;
        let responses = race(&app, 200, |app, _| {
            let (page, link) = (page.clone(), link.clone());
            async move { page.pay_card(&app, &link, method, "4242424242424242").await }
        })
        .await;
        let expected = BTreeMap::from([(303, 1), (409, 199)]);
        assert_eq!(statuses(&responses), expected, "round {round}");
        let winner = responses.iter().find(|r| r.status == 303).unwrap();
        assert!(winner.headers["location"].to_str().unwrap().starts_with("/receipts/pay_"));
        assert_eq!(charges(&app, &link).await, (1, (1, 1)), "round {round}");
        let l = app.get(&app.owner_key, &format!("/v1/payment_links/{link}")).await.body;
        assert_eq!((l["status"].as_str(), l["payments_count"].as_i64()), (Some("paid"), Some(1)));
    }
});

both!(a_link_capped_at_fifty_payments_takes_exactly_fifty_of_a_hundred_and_twenty, |app: Arc<TestApp>| async move {
    let method = method_id(&app, "card").await;
    let link = new_link(&app, serde_json::json!({"single_use": false, "max_payments": 50})).await;
    let page = PageSession::open(&app, &link).await;
    let responses = race(&app, 120, |app, _| {
        let (page, link) = (page.clone(), link.clone());
        async move { page.pay_card(&app, &link, method, "5555555555554444").await }
    })
    .await;
    assert_eq!(statuses(&responses), BTreeMap::from([(303, 50), (409, 70)]));
    assert_eq!(charges(&app, &link).await, (50, (50, 50)));
    let l = app.get(&app.owner_key, &format!("/v1/payment_links/{link}")).await.body;
    assert_eq!(
        (l["status"].as_str(), l["payments_count"].as_i64(), l["amount_paid"].as_str()),
        (Some("paid"), Some(50), Some("3750.00"))
    );
});

fn query_of(location: &str) -> BTreeMap<String, String> {
    let query = location.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

fn signature_holds(secret: &str, q: &BTreeMap<String, String>) -> bool {
    let msg = format!("{}.{}.{}.{}.{}", q["link_id"], q["payment_id"], q["status"], q["reference"], q["timestamp"]);
    paylink::service::secrets::hmac_hex(secret.as_bytes(), msg.as_bytes()) == q["signature"]
}

both!(success_and_cancel_returns_carry_a_signature_made_with_the_link_secret, |app: Arc<TestApp>| async move {
    let method = method_id(&app, "card").await;
    let urls = serde_json::json!({"reference_id": "ORD-77", "success_url": "https://shop.example/ok?cart=9",
        "cancel_url": "https://shop.example/back"});
    let link = new_link(&app, urls.clone()).await;
    let secret =
        app.get(&app.owner_key, &format!("/v1/payment_links/{link}")).await.body["secret"].as_str().unwrap().to_owned();
    let page = PageSession::open(&app, &link).await;
    let paid = page.pay_card(&app, &link, method, "4242424242424242").await;
    let location = paid.headers["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("https://shop.example/ok?cart=9&link_id="), "{location}");
    let q = query_of(&location);
    assert_eq!(
        (q["status"].as_str(), q["reference"].as_str(), q["link_id"].as_str()),
        ("succeeded", "ORD-77", link.as_str())
    );
    assert!(q["payment_id"].starts_with("pay_") && signature_holds(&secret, &q));
    let mut forged = q.clone();
    forged.insert("status".into(), "failed".into());
    assert!(!signature_holds(&secret, &forged));
    let mut urls = urls;
    urls["reference_id"] = "ORD-78".into();
    let other = new_link(&app, urls).await;
    let other_secret = app.get(&app.owner_key, &format!("/v1/payment_links/{other}")).await.body["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let leaving = PageSession::open(&app, &other).await;
    let left = leaving.post(&app, &format!("/pay/{other}/cancel"), &[]).await;
    assert_eq!(left.status, 303);
    let q = query_of(left.headers["location"].to_str().unwrap());
    assert_eq!((q["status"].as_str(), q["payment_id"].as_str(), q["reference"].as_str()), ("cancelled", "", "ORD-78"));
    assert!(signature_holds(&other_secret, &q) && !signature_holds(&secret, &q));
});
