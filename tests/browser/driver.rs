//! Headless Chromium under chromedriver: finding both programs (or skipping), chromedriver as a
//! child process that dies with the test, a fantoccini session on a phone-sized window, and the
//! full-page screenshot WebDriver lacks (one DevTools call through chromedriver).

use base64::Engine;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A phone: the width of a common Android handset, in CSS pixels.
pub const PHONE: (u32, u32) = (412, 915);

/// `PAYLINK_REQUIRE_BROWSER=1` (CI) turns a missing browser into a failure instead of a skip.
fn browser_required() -> bool {
    std::env::var("PAYLINK_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// Reports why the browser tests cannot run: a failure when required, otherwise a line on the
/// real stderr (past the test harness's capture, so `cargo test` shows it) and `None`.
fn skip<T>(reason: &str) -> Option<T> {
    assert!(!browser_required(), "PAYLINK_REQUIRE_BROWSER=1 but {reason}");
    // One write, so that the line does not interleave with the harness's own output.
    let _ = std::io::stderr().write_all(format!("skipped: {reason}\n").as_bytes());
    None
}

/// The program named by `var`, else the first of `names` on `PATH`.
fn program(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    names.iter().flat_map(|name| dirs.iter().map(move |d| d.join(name))).find(|p| p.is_file())
}

/// A running chromedriver, killed with its browsers when dropped (also when a test panics).
struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    fn start(program: &Path) -> Chromedriver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that dropping it also ends the Chromium it started.
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        Chromedriver { child, url: format!("http://127.0.0.1:{port}") }
    }

    /// Waits until chromedriver answers `/status`.
    async fn ready(&self) {
        let status = format!("{}/status", self.url);
        for _ in 0..100 {
            if reqwest::get(&status).await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("chromedriver did not start on {}", self.url);
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebDriver session on headless Chromium, and the chromedriver serving it.
pub struct Browser {
    pub client: Client,
    /// The emulated screen's width in CSS pixels.
    width: std::cell::Cell<u32>,
    _driver: Chromedriver,
}

impl Browser {
    /// Starts chromedriver and a session; `None` (after saying why) when either program is
    /// missing and `PAYLINK_REQUIRE_BROWSER` is not `1`.
    pub async fn launch() -> Option<Browser> {
        let Some(driver) = program("PAYLINK_CHROMEDRIVER", &["chromedriver"]) else {
            return skip("chromedriver not installed");
        };
        let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
        let Some(chromium) = program("PAYLINK_CHROMIUM", &names) else {
            return skip("chromium not installed");
        };
        let driver = Chromedriver::start(&driver);
        driver.ready().await;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities(&chromium))
            .connect(&driver.url)
            .await
            .expect("a WebDriver session on Chromium");
        Some(Browser { client, width: std::cell::Cell::new(PHONE.0), _driver: driver })
    }

    /// Ends the session (Chromium quits); chromedriver stops when `self` drops.
    pub async fn close(self) {
        let _ = self.client.close().await;
    }

    /// A PNG of the whole page, beyond the bottom of the window: the emulated screen is made as
    /// tall as the page for the shot (clipping beyond the viewport instead misplaces right-to-left
    /// pages on an emulated screen wider than the window), then put back.
    pub async fn full_page_png(&self) -> Vec<u8> {
        let size = self.client.execute(SIZE_JS, vec![]).await.expect("page size");
        let height = size[1].as_u64().unwrap_or(u64::from(PHONE.1)).max(1);
        let width = self.width.get();
        self.emulate(width, u32::try_from(height).unwrap_or(u32::MAX)).await;
        let params = json!({"format": "png"});
        let shot = self.client.issue_cmd(Cdp { cmd: "Page.captureScreenshot", params }).await.expect("screenshot");
        self.set_width(width).await;
        let data = shot["data"].as_str().expect("base64 PNG");
        base64::engine::general_purpose::STANDARD.decode(data).expect("PNG bytes")
    }
}

impl Browser {
    /// Emulates a screen `width` CSS pixels wide (a phone below 768 px: mobile viewport and
    /// touch), for the pages drawn next.
    pub async fn set_width(&self, width: u32) {
        self.width.set(width);
        self.emulate(width, if width < 768 { PHONE.1 } else { 900 }).await;
    }

    async fn emulate(&self, width: u32, height: u32) {
        let params = json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 768});
        self.client.issue_cmd(Cdp { cmd: "Emulation.setDeviceMetricsOverride", params }).await.expect("viewport");
    }
}

const SIZE_JS: &str = "const e = document.documentElement; return [e.scrollWidth, e.scrollHeight];";

fn capabilities(chromium: &Path) -> Capabilities {
    let size = format!("--window-size={},{}", PHONE.0, PHONE.1);
    let args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", &size];
    // A desktop window is at least 500 px wide even headless, so the phone's width comes from
    // Chromium's mobile emulation (which also gives overlay scrollbars and honours the viewport
    // meta tag, as a phone does).
    let (width, height) = PHONE;
    let phone = json!({"width": width, "height": height, "pixelRatio": 1, "mobile": true, "touch": true});
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": chromium, "args": args, "mobileEmulation": { "deviceMetrics": phone } },
    });
    let Value::Object(caps) = caps else { unreachable!("an object literal") };
    caps
}

/// A Chrome DevTools Protocol command, sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (axum::http::Method::POST, Some(json!({"cmd": self.cmd, "params": self.params}).to_string()))
    }
}

/// `$CARGO_TARGET_DIR/screenshots`, or `target/screenshots` in the package.
pub fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").filter(|t| !t.is_empty()).map(PathBuf::from);
    target.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target")).join("screenshots")
}

/// Lists what the page fetched (resource timing, the navigation included) or refers to
/// (`src`, stylesheets) outside `arguments[0]`, the server's base URL.
pub const FOREIGN_JS: &str = r#"
const base = arguments[0];
const foreign = [];
for (const e of performance.getEntries()) {
  if ((e.entryType === "navigation" || e.entryType === "resource") && !e.name.startsWith(base)) {
    foreign.push(e.entryType + " " + e.name);
  }
}
for (const el of document.querySelectorAll("script, [src], link[href]")) {
  const url = el.src || el.href || "";
  if (url && !url.startsWith(base)) foreign.push(el.tagName + " " + url);
}
return foreign;
"#;
