//! `Desk`: one test's server (a `TestApp` on SQLite) and browser, and what staff do in the
//! dashboard: sign in through its forms, move around, switch the language. Every page passes
//! `loaded`: nothing fetched from another origin, nothing wider than the screen. `shots` saves a
//! page at the three widths staff use (a 412 px phone, a 768 px counter tablet, a 1280 px desktop).

use crate::driver::{Browser, FOREIGN_JS, screenshots_dir};
use crate::helpers::{Backend, TestApp};
use fantoccini::Locator;
use serde_json::{Value, json};
use std::time::Duration;

/// A password of one's own (long, not a common one).
pub const OWN_PASSWORD: &str = "a quiet river at dawn";

/// The widths every dashboard page is checked and photographed at.
pub const WIDTHS: [u32; 3] = [412, 768, 1280];

/// A test's server and a staff member's browser.
pub struct Desk {
    pub app: TestApp,
    browser: Browser,
}

impl Desk {
    /// The browser (or `None`: skipped) and a fresh server.
    pub async fn start() -> Option<Desk> {
        let browser = Browser::launch().await?;
        let app = TestApp::spawn(Backend::Sqlite).await.expect("a server on SQLite");
        Some(Desk { app, browser })
    }

    /// Closes the browser and removes the server's database.
    pub async fn finish(self) {
        self.browser.close().await;
        self.app.cleanup().await;
    }

    /// A new staff user made through the API (its generated password must be changed at the
    /// first sign-in): (e-mail, password).
    pub async fn user(&self, role: &str, branch: Option<&str>) -> (String, String) {
        let email = format!("{}-{}@example.com", role.to_lowercase(), self.app.ctx.clock.now().micros());
        let mut body = json!({"email": email, "role": role, "name": format!("{role} user")});
        if let Some(b) = branch {
            body["branch"] = json!(b);
        }
        let r = self.app.post(&self.app.owner_key, "/v1/users", body).await;
        assert_eq!(r.status, 201, "{}", r.text);
        (email, r.body["password"].as_str().expect("a generated password").to_owned())
    }

    /// Opens `path` on the server and checks the page.
    pub async fn open(&self, path: &str) {
        self.browser.client.goto(&format!("{}{path}", self.app.base)).await.expect("page opens");
        self.loaded().await;
    }

    /// Signs in through the form; the page it leads to is checked.
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.open("/dashboard/login").await;
        self.type_into("email", email).await;
        self.type_into("password", password).await;
        self.submit().await;
    }

    /// At the first sign-in: chooses `password` (typed twice) and submits.
    pub async fn choose_password(&self, password: &str) {
        self.type_into("new_password", password).await;
        self.type_into("confirm_password", password).await;
        self.submit().await;
    }

    /// A new user with `role` (in `branch`) signed in with a password of their own; their e-mail.
    pub async fn signed_in(&self, role: &str, branch: Option<&str>) -> String {
        let (email, generated) = self.user(role, branch).await;
        self.sign_in(&email, &generated).await;
        self.choose_password(OWN_PASSWORD).await;
        assert_eq!(self.path().await, "/dashboard", "{role} signed in: {}", self.text().await);
        email
    }

    /// Ticks the checkbox named `name`.
    pub async fn tick(&self, name: &str) {
        let checked = self.js(&format!("return document.querySelector(\"main input[name='{name}']\").checked")).await;
        if checked.as_bool() != Some(true) {
            self.click(&format!("main input[name='{name}']")).await;
        }
    }

    /// Chooses `value` in the list named `name`.
    pub async fn choose(&self, name: &str, value: &str) {
        let script = format!("document.querySelector(\"main select[name='{name}']\").value = {}", json!(value));
        self.js(&script).await;
    }

    /// A PNG screenshot of the element `css` finds, as it is on the screen.
    pub async fn element_png(&self, css: &str) -> Vec<u8> {
        self.find(css).await.screenshot().await.expect("element screenshot")
    }

    /// Whether something on the page matches `css`.
    pub async fn has(&self, css: &str) -> bool {
        let found = self.js(&format!("return !!document.querySelector({})", json!(css))).await;
        found.as_bool() == Some(true)
    }

    /// Types `text` into the field (input or text area) named `name` (cleared first).
    pub async fn type_into(&self, name: &str, text: &str) {
        let input = self.find(&format!("main input[name='{name}'], main textarea[name='{name}']")).await;
        input.clear().await.expect("clear");
        input.send_keys(text).await.expect("typing");
    }

    /// Submits the main content's first form with a submit button.
    pub async fn submit(&self) {
        self.follow("main form button[type=submit]").await;
    }

    /// Clicks what `css` finds, on the same page (a menu, a disclosure).
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    /// Clicks what `css` finds and waits for the next page (a link, a form's button), which is
    /// checked. A click does not wait for a form's answer, so the old page is marked and the wait
    /// lasts until a page without the mark has loaded.
    pub async fn follow(&self, css: &str) {
        self.js("window.__left = true").await;
        self.find(css).await.click().await.expect("click");
        self.next_page(css).await;
    }

    /// Waits for the page a script's navigation leads to (the script sets `window.__left`).
    pub async fn wait_for_next_page(&self) {
        self.next_page("a script").await;
    }

    /// Sets the window's width (the page re-lays itself out without a reload).
    pub async fn resize(&self, width: u32) {
        self.browser.set_width(width).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        self.loaded().await;
    }

    /// Waits for a page without the mark `follow` leaves on the old one, and checks it.
    async fn next_page(&self, cause: &str) {
        for _ in 0..200 {
            let arrived = self.js("return !window.__left && document.readyState === 'complete'").await;
            if arrived.as_bool() == Some(true) {
                return self.loaded().await;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("no page followed {cause} (still on {})", self.path().await);
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.browser.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// The path and query of the current page.
    pub async fn path(&self) -> String {
        let url = self.browser.client.current_url().await.expect("current URL");
        format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default())
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        let text = self.js("return document.body.innerText").await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// Runs `script` in the page and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.browser.client.execute(script, vec![]).await.expect("script runs")
    }

    /// The hrefs of the navigation (the side navigation on a desktop, the menu otherwise).
    pub async fn nav(&self) -> Vec<String> {
        let links =
            self.js("return [...document.querySelectorAll('nav.side a')].map(a => a.getAttribute('href'))").await;
        links.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
    }

    /// What every page must hold at the current width: nothing from another origin, nothing wider.
    pub async fn loaded(&self) {
        let base = format!("{}/", self.app.base);
        let foreign = self.browser.client.execute(FOREIGN_JS, vec![json!(base)]).await.expect("script runs");
        assert_eq!(foreign, json!([]), "requests or elements from another origin on {}", self.path().await);
        let widths = self.js("return [document.documentElement.scrollWidth, innerWidth]").await;
        let path = self.path().await;
        assert!(widths[0].as_u64() <= widths[1].as_u64(), "{path} is {}px wide in a {}px window", widths[0], widths[1]);
    }

    /// Switches the signed-in user's language through the shell's switch (it is remembered).
    pub async fn switch_language(&self) {
        let form = "document.querySelector('nav.side form[action=\"/dashboard/language\"]')";
        self.js(&format!("window.__left = true; {form}.submit()")).await;
        self.next_page("the language switch").await;
    }

    /// Saves the current page as `target/screenshots/dashboard-{lang}-{name}-{width}.png` at each
    /// of [`WIDTHS`], checking it fits each, and leaves the browser at the phone width.
    pub async fn shots(&self, name: &str) {
        let lang = self.js("return document.documentElement.lang").await;
        let lang = lang.as_str().unwrap_or("xx").to_owned();
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir).expect("screenshots directory");
        for width in WIDTHS {
            // The layout follows the new width without a reload (a reload would post a form again).
            self.browser.set_width(width).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
            self.loaded().await;
            let file = dir.join(format!("dashboard-{lang}-{name}-{width}.png"));
            std::fs::write(file, self.browser.full_page_png().await).expect("PNG written");
        }
        // Back to the window's own (phone) width, where every element can be clicked.
        self.browser.set_width(WIDTHS[0]).await;
    }

    /// Signs out through the menu (as on a phone).
    pub async fn sign_out(&self) {
        self.click("details.menu summary").await;
        self.follow("details.menu form[action='/dashboard/logout'] button").await;
    }
}
