//! The hosted payment pages over HTTP, as a browser without JavaScript uses them: languages,
//! security headers, page weight, CSRF, every link state, the short code and the sandbox help
//! page. Paying through the forms is in `pages_flow`; the browser helpers here serve both.

use crate::both;
use crate::helpers::{Resp, TestApp};
use paylink::connector::sandbox::instruments::{CARDS, MOBILE_NUMBERS, OTP_CODE};
use paylink::web::i18n::{AR, EN, FAILURE_CODES};
use serde_json::{Value, json};
use std::sync::Arc;

/// A browser: keeps the CSRF cookie, does not follow redirects (tests read `Location`).
pub struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    pub cookie: Option<String>,
    /// Sent as `X-Forwarded-For`, as a reverse proxy would (see `proxies.rs`).
    pub forwarded_for: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { app, client, cookie: None, forwarded_for: None }
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Resp {
        let req = match &self.cookie {
            Some(c) => req.header("cookie", c),
            None => req,
        };
        let req = match &self.forwarded_for {
            Some(f) => req.header("x-forwarded-for", f),
            None => req,
        };
        let r = self.app.send(req).await;
        if let Some(set) = r.headers.get("set-cookie") {
            self.cookie = Some(set.to_str().unwrap().split(';').next().unwrap().to_owned());
        }
        r
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let req = self.client.get(format!("{}{path}", self.app.base));
        self.send(req).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let req = self
            .client
            .post(format!("{}{path}", self.app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(req).await
    }
}

/// The first hidden `csrf` field of a page.
pub fn csrf(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..].split('"').next().unwrap().to_owned()
}

pub fn location(r: &Resp) -> String {
    r.headers.get("location").expect("a redirect").to_str().unwrap().to_owned()
}

pub async fn new_link(app: &TestApp, extra: Value) -> Value {
    let mut body = json!({"amount": "1234.50", "currency": "SAR", "title": "Order #7"});
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    app.create_link(&app.owner_key, body).await
}

pub fn id(link: &Value) -> String {
    link["id"].as_str().unwrap().to_owned()
}

/// Pays `link` with a card through the form; returns the POST's answer.
pub async fn pay_by_card(app: &TestApp, b: &mut Browser<'_>, link: &str, number: &str) -> Resp {
    let token = csrf(&b.get(&format!("/pay/{link}")).await.text);
    post_card(app, b, link, &token, number).await
}

/// Posts the card form of `link` with `token`.
pub async fn post_card(app: &TestApp, b: &mut Browser<'_>, link: &str, token: &str, number: &str) -> Resp {
    let method = crate::sandbox::method_id(app, "card").await.to_string();
    let fields = [("csrf", token), ("method_id", &method), ("card_number", number), ("card_expiry", "12/34")];
    let fields = [&fields[..], &[("card_cvv", "123"), ("name", "Sara Ali")]].concat();
    b.post(&format!("/pay/{link}"), &fields).await
}

fn assert_secure(r: &Resp, what: &str) {
    let h = |name: &str| r.headers.get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let csp = h("content-security-policy");
    assert!(
        csp.starts_with("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'"),
        "{what}: {csp}"
    );
    assert!(csp.ends_with("frame-ancestors 'none'; base-uri 'none'"), "{what}: {csp}");
    assert_eq!(h("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(h("cache-control"), "no-store", "{what}");
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(h("x-frame-options"), "DENY", "{what}");
    assert!(r.status == 303 || h("content-type").starts_with("text/html"), "{what}");
}

both!(the_page_is_arabic_right_to_left_by_default_and_english_on_request, |app: Arc<TestApp>| async move {
    let link = id(&new_link(&app, json!({})).await);
    let mut b = Browser::new(&app);
    let ar = b.get(&format!("/pay/{link}")).await;
    assert_eq!(ar.status, 200);
    assert!(ar.text.contains("<html lang=\"ar\" dir=\"rtl\">"), "{}", ar.text);
    assert!(ar.text.contains("١٬٢٣٤٫٥٠ ر.س") && ar.text.contains(AR.pay_with));
    assert!(ar.text.contains("href=\"?lang=en\""), "a visible switch to English");
    let en = b.get(&format!("/pay/{link}?lang=en")).await;
    assert!(en.text.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(en.text.contains("SAR 1,234.50") && en.text.contains(EN.pay_with) && en.text.contains("href=\"?lang=ar\""));
    let english_link = id(&new_link(&app, json!({"language": "en"})).await);
    assert!(b.get(&format!("/invoice/{english_link}")).await.text.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(b.get(&format!("/payment-link/{english_link}?lang=ar")).await.text.contains("dir=\"rtl\""));
});

both!(every_page_answer_carries_the_security_headers, |app: Arc<TestApp>| async move {
    let link = id(&new_link(&app, json!({})).await);
    let mut b = Browser::new(&app);
    let page = b.get(&format!("/pay/{link}")).await;
    assert_secure(&page, "link page");
    let cookie = page.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.starts_with("pl_csrf=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let paid = pay_by_card(&app, &mut b, &link, "4000 0000 0000 0002").await;
    assert_secure(&paid, "redirect");
    let failed = b.get(&location(&paid)).await;
    assert_eq!(failed.status, 200);
    assert_secure(&failed, "payment page");
    let receipt_link = id(&new_link(&app, json!({})).await);
    let receipt_path = location(&pay_by_card(&app, &mut b, &receipt_link, "4242424242424242").await);
    let receipt = b.get(&receipt_path).await;
    assert_eq!(receipt.status, 200);
    assert_secure(&receipt, "receipt");
    assert_secure(&b.get("/sandbox").await, "sandbox");
    let missing = b.get("/pay/plink_01JAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(missing.status, 404);
    assert_secure(&missing, "404 page");
    let refused = Browser::new(&app).post(&format!("/pay/{link}"), &[("csrf", "x")]).await;
    assert_eq!(refused.status, 403);
    assert_secure(&refused, "refused POST");
});

both!(the_page_and_its_stylesheet_weigh_under_60_kb_and_load_nothing_from_elsewhere, |app: Arc<TestApp>| async move {
    let extra = json!({"description": "Two bags of coffee beans", "reference_id": "INV-77", "address_required": true,
        "expires_at": "2099-01-01T00:00:00Z", "success_url": "https://shop.example/thanks",
        "customer": {"first_name": "Sara", "last_name": "Ali", "email": "sara@example.com", "phone": "+966501234567"}});
    let link = id(&new_link(&app, extra).await);
    for lang in ["ar", "en"] {
        let page = Browser::new(&app).get(&format!("/pay/{link}?lang={lang}")).await;
        let href = page.text.split("rel=\"stylesheet\" href=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        assert!(href.starts_with("/assets/pay-") && href.ends_with(".css"), "{href}");
        let css = app.send(app.client.get(format!("{}{href}", app.base))).await;
        assert_eq!(css.status, 200);
        assert_eq!(css.headers["cache-control"], "public, max-age=31536000, immutable");
        let weight = page.text.len() + css.text.len();
        assert!(weight <= 60 * 1024, "{lang}: {weight} bytes");
        for text in [&page.text, &css.text] {
            let elsewhere = text.replace(&app.base, "");
            assert!(!elsewhere.contains("http://") && !elsewhere.contains("https://"), "{lang}: another origin");
        }
        assert!(!page.text.contains("<script") && !page.text.contains("style=\""), "no script, no inline style");
    }
});

both!(a_post_without_this_browsers_fresh_token_is_refused_with_a_friendly_403, |app: Arc<TestApp>| async move {
    let (link, other) = (id(&new_link(&app, json!({})).await), id(&new_link(&app, json!({})).await));
    let mut b = Browser::new(&app);
    let token = csrf(&b.get(&format!("/pay/{link}")).await.text);
    let other_token = csrf(&b.get(&format!("/pay/{other}")).await.text);
    let cases: [(&str, Option<&str>); 4] = [
        ("no cookie", None),
        ("no token", Some("")),
        ("another link's token", Some(&other_token)),
        ("forged", Some("AAAA.BBBB")),
    ];
    for (what, field) in cases {
        let mut browser = if field.is_none() {
            Browser::new(&app)
        } else {
            Browser { cookie: b.cookie.clone(), ..Browser::new(&app) }
        };
        let field = field.unwrap_or(&token);
        for path in [format!("/pay/{link}"), format!("/pay/{link}/cancel")] {
            let r = browser.post(&path, &[("csrf", field), ("method_id", "1"), ("lang", "en")]).await;
            assert_eq!(r.status, 403, "{what} {path}");
            assert!(r.text.contains(EN.forbidden_title), "{what}: {}", r.text);
        }
    }
    let ok = b.post(&format!("/pay/{link}/cancel"), &[("csrf", &token)]).await;
    assert_eq!(
        (ok.status, location(&ok)),
        (303, format!("/pay/{link}?lang=ar")),
        "no cancel_url: back to the link page"
    );
});

both!(expired_cancelled_and_paid_links_show_their_state, |app: Arc<TestApp>| async move {
    let soon = paylink::domain::Timestamp::from_micros(app.ctx.clock.now().micros() + 60_000_000).to_rfc3339();
    let expiring = id(&new_link(&app, json!({"expires_at": soon, "language": "en"})).await);
    let cancelled = id(&new_link(&app, json!({"language": "en"})).await);
    let paid = id(&new_link(&app, json!({"language": "en"})).await);
    assert_eq!(app.post(&app.owner_key, &format!("/v1/payment_links/{cancelled}/cancel"), json!({})).await.status, 200);
    let mut b = Browser::new(&app);
    assert!(b.get(&format!("/pay/{expiring}")).await.text.contains(EN.expires_on));
    let second_tab = csrf(&b.get(&format!("/pay/{paid}")).await.text);
    assert_eq!(pay_by_card(&app, &mut b, &paid, "4242 4242 4242 4242").await.status, 303);
    app.ctx.clock.advance_secs(61);
    for (link, title) in
        [(&expiring, EN.expired_title), (&cancelled, EN.cancelled_title), (&paid, EN.already_paid_title)]
    {
        let r = b.get(&format!("/pay/{link}")).await;
        assert_eq!(r.status, 200, "{title}");
        assert!(r.text.contains(title), "{title}: {}", r.text);
        assert!(!r.text.contains("name=\"card_number\""), "{title}: no form");
    }
    let late = post_card(&app, &mut b, &paid, &second_tab, "4242 4242 4242 4242").await;
    assert_eq!(late.status, 409);
    assert!(late.text.contains(EN.c_already_paid), "{}", late.text);
});

both!(the_short_code_opens_the_link_page, |app: Arc<TestApp>| async move {
    let link = new_link(&app, json!({"title": "Short and sweet"})).await;
    let short = link["short_url"].as_str().unwrap().strip_prefix(&app.base).unwrap().to_owned();
    let r = Browser::new(&app).get(&short).await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("Short and sweet") && r.text.contains(&format!("action=\"/pay/{}\"", id(&link))));
    assert_eq!(Browser::new(&app).get("/l/nope0000").await.status, 404);
});

both!(an_unknown_link_is_a_friendly_html_404_in_the_asked_language, |app: Arc<TestApp>| async move {
    let r = Browser::new(&app).get("/pay/not-a-link?lang=en").await;
    assert_eq!(r.status, 404);
    assert!(r.text.contains(EN.not_found_title) && r.text.contains("<html lang=\"en\""));
    assert!(Browser::new(&app).get("/pay/not-a-link").await.text.contains(AR.not_found_title));
});

both!(the_sandbox_page_lists_every_test_instrument, |app: Arc<TestApp>| async move {
    for (lang, t) in [("en", &EN), ("ar", &AR)] {
        let r = Browser::new(&app).get(&format!("/sandbox?lang={lang}")).await;
        assert_eq!(r.status, 200);
        for i in CARDS.iter().chain(MOBILE_NUMBERS.iter()) {
            let outcome = if lang == "en" { i.en } else { i.ar };
            assert!(r.text.contains(i.value) && r.text.contains(outcome), "{lang}: {}", i.value);
        }
        assert!(r.text.contains(OTP_CODE));
        for code in FAILURE_CODES {
            assert!(r.text.contains(code) && r.text.contains(t.failure(code)), "{lang}: {code}");
        }
    }
});
