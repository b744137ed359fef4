//! `Payer`: one test's server (a `TestApp` on SQLite) and browser, and what a payer does on the
//! hosted pages. Every page the payer reaches passes `loaded`: nothing fetched from another origin,
//! no script from another origin, nothing wider than the phone.

use crate::driver::{Browser, FOREIGN_JS, PHONE, screenshots_dir};
use crate::helpers::{Backend, TestApp};
use fantoccini::Locator;
use fantoccini::elements::Element;
use serde_json::{Value, json};
use std::time::Duration;

/// A link as the API returned it.
pub struct Link {
    pub id: String,
    pub url: String,
}

/// A test's server and browser.
pub struct Payer {
    pub app: TestApp,
    browser: Browser,
}

impl Payer {
    /// The browser (or `None`: skipped) and a fresh server.
    pub async fn start() -> Option<Payer> {
        let browser = Browser::launch().await?;
        let app = TestApp::spawn(Backend::Sqlite).await.expect("a server on SQLite");
        Some(Payer { app, browser })
    }

    /// Closes the browser and removes the server's database.
    pub async fn finish(self) {
        self.browser.close().await;
        self.app.cleanup().await;
    }

    /// Creates a 150.00 sandbox link as the demo owner, with `fields` added to the body.
    pub async fn link(&self, fields: Value) -> Link {
        let mut body = json!({"amount": "150.00", "title": "Order 1042"});
        body.as_object_mut().expect("an object").extend(fields.as_object().expect("an object").clone());
        let link = self.app.create_link(&self.app.owner_key, body).await;
        Link { id: link["id"].as_str().expect("id").to_owned(), url: link["url"].as_str().expect("url").to_owned() }
    }

    /// The link's status through the API.
    pub async fn link_status(&self, id: &str) -> String {
        let r = self.app.get(&self.app.owner_key, &format!("/v1/payment_links/{id}")).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["status"].as_str().expect("status").to_owned()
    }

    /// Opens `url` and checks the page.
    pub async fn open(&self, url: &str) {
        self.browser.client.goto(url).await.expect("page opens");
        self.loaded().await;
    }

    /// What every page must hold: no request left this server, no script from elsewhere, and
    /// the page fits the phone's width.
    pub async fn loaded(&self) {
        let base = format!("{}/", self.app.base);
        let foreign = self.js_with(FOREIGN_JS, vec![json!(base)]).await;
        assert_eq!(foreign, json!([]), "requests or elements from another origin on {}", self.path().await);
        let widths = self.js("return [document.documentElement.scrollWidth, innerWidth]").await;
        let (path, phone) = (self.path().await, u64::from(PHONE.0));
        assert!(widths[0].as_u64() <= Some(phone), "{path} is {}px wide on a {phone}px phone", widths[0]);
        assert_eq!(widths[1].as_u64(), Some(phone), "{path}: layout viewport not the phone's (viewport meta?)");
    }

    /// Runs `script` in the page and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.js_with(script, vec![]).await
    }

    async fn js_with(&self, script: &str, args: Vec<Value>) -> Value {
        self.browser.client.execute(script, args).await.expect("script runs")
    }

    /// `<html dir>` and `<html lang>`.
    pub async fn dir_and_lang(&self) -> (String, String) {
        let v = self.js("const h = document.documentElement; return [h.dir, h.lang]").await;
        (v[0].as_str().unwrap_or_default().to_owned(), v[1].as_str().unwrap_or_default().to_owned())
    }

    /// The path and query of the current page.
    pub async fn path(&self) -> String {
        let url = self.browser.client.current_url().await.expect("current URL");
        format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default())
    }

    /// The visible text of the page (empty while a page that reloads itself is between two).
    pub async fn text(&self) -> String {
        let text = self.browser.client.execute("return document.body.innerText", vec![]).await;
        text.ok().and_then(|t| t.as_str().map(str::to_owned)).unwrap_or_default()
    }

    /// The first `<h1>`'s text.
    pub async fn heading(&self) -> String {
        self.find(Locator::Css("h1")).await.text().await.expect("heading text")
    }

    async fn find(&self, locator: Locator<'_>) -> Element {
        self.browser.client.find(locator).await.unwrap_or_else(|e| panic!("{locator:?}: {e}"))
    }

    /// Saves a full-page PNG as `target/screenshots/{name}.png`.
    pub async fn shot(&self, name: &str) {
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir).expect("screenshots directory");
        std::fs::write(dir.join(format!("{name}.png")), self.browser.full_page_png().await).expect("PNG written");
    }

    /// Clicks what `css` finds; the page it leads to is checked.
    pub async fn click(&self, css: &str) {
        self.find(Locator::Css(css)).await.click().await.expect("click");
        self.loaded().await;
    }

    /// Fills the card form (opening its section when closed) and submits it.
    pub async fn pay_by_card(&self, number: &str) {
        let form = self.method_form("card_number").await;
        type_into(&form, "card_number", number).await;
        type_into(&form, "card_expiry", "12/34").await;
        type_into(&form, "card_cvv", "123").await;
        self.submit(&form).await;
    }

    /// Chooses mobile money, types `phone` and submits.
    pub async fn pay_by_mobile(&self, phone: &str) {
        let form = self.method_form("mobile_phone").await;
        type_into(&form, "mobile_phone", phone).await;
        self.submit(&form).await;
    }

    /// Types `code` into the OTP form and submits it.
    pub async fn enter_otp(&self, code: &str) {
        let form = self.find(Locator::XPath("//form[.//input[@name='otp']]")).await;
        type_into(&form, "otp", code).await;
        self.submit(&form).await;
    }

    /// The form of the method whose section holds `field`, its `<details>` opened first.
    async fn method_form(&self, field: &str) -> Element {
        let details = self.find(Locator::XPath(&format!("//details[.//input[@name='{field}']]"))).await;
        if details.attr("open").await.expect("open attribute").is_none() {
            details.find(Locator::Css("summary")).await.expect("summary").click().await.expect("open section");
        }
        details.find(Locator::Css("form")).await.expect("the method's form")
    }

    async fn submit(&self, form: &Element) {
        let button = form.find(Locator::Css("button[type=submit]")).await.expect("submit button");
        button.click().await.expect("submit");
        self.loaded().await;
    }

    /// Waits until the current path starts with `prefix`, or fails after 10 s.
    pub async fn wait_for_path(&self, prefix: &str) {
        for _ in 0..100 {
            if self.path().await.starts_with(prefix) {
                return self.loaded().await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected a page under {prefix}, still on {}", self.path().await);
    }

    /// Waits until the page's text holds `needle` (pages that reload themselves), or fails
    /// after 10 s.
    pub async fn wait_for_text(&self, needle: &str) {
        for _ in 0..100 {
            if self.text().await.contains(needle) {
                return self.loaded().await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{needle:?} never appeared on {}: {}", self.path().await, self.text().await);
    }
}

/// Clears the input named `name` in `form` and types `text`, as a payer would.
async fn type_into(form: &Element, name: &str, text: &str) {
    let input = form.find(Locator::Css(&format!("input[name='{name}']"))).await.expect("the input");
    input.clear().await.expect("clear");
    input.send_keys(text).await.expect("typing");
}
