//! The process harness: `paylink` processes on a scratch database (the built binary, each on its
//! own port, all writing to the scratch directory's `serve.log`), signals, and a small HTTP client.

use crate::admin::Scratch;
use serde_json::Value;
use std::process::{Child, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Short leases so a killed process's deliveries are taken over quickly, no per-key limit in
/// the way of load (the rate-limit test sets its own), and a small PostgreSQL pool: two tests of
/// three instances each at 16 sessions, next to the other tests, would pass PostgreSQL's default
/// 100 connections, and an instance that cannot connect exits on start.
const FAST: &[(&str, &str)] = &[
    ("PAYLINK_DELIVERY_LEASE_SECS", "3"),
    ("PAYLINK_DELIVERY_REQUEST_TIMEOUT_SECS", "2"),
    ("PAYLINK_AUTH_SANDBOX_REQUESTS_PER_MINUTE", "1000000"),
    ("PAYLINK_POSTGRES_POOL_SIZE", "6"),
];

/// A `paylink` process on the scratch database, killed when dropped.
pub(crate) struct Proc(Child);

impl Proc {
    /// Starts `paylink args…` listening on `port`; `env` comes after (and overrides) the defaults.
    pub(crate) fn start(scratch: &Scratch, args: &[&str], port: u16, env: &[(&str, &str)]) -> Proc {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(scratch.dir.join("serve.log")).unwrap();
        let mut cmd = scratch.command(args);
        cmd.env("PAYLINK_BOOTSTRAP", "true")
            .env("PAYLINK_LISTEN", format!("127.0.0.1:{port}"))
            .env("PAYLINK_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null());
        for (k, v) in FAST.iter().chain(env) {
            cmd.env(k, v);
        }
        Proc(cmd.spawn().unwrap())
    }

    /// SIGKILL: no shutdown, no flush.
    pub(crate) fn kill(mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }

    /// Sends `signal` (`TERM`, `INT`) with the system's `kill`.
    pub(crate) fn signal(&self, signal: &str) {
        let status = std::process::Command::new("kill").arg(format!("-{signal}")).arg(self.0.id().to_string()).status();
        assert!(status.unwrap().success(), "kill -{signal}");
    }

    /// Waits (up to `within`) for the process to exit on its own; its exit status.
    pub(crate) async fn exited(&mut self, within: Duration) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.0.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < within, "the process did not exit within {within:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until `/readyz` answers 200 (a minute: a loaded CI machine starts slowly).
pub(crate) async fn wait_ready(base: &str) {
    let started = Instant::now();
    while !reqwest::get(format!("{base}/readyz")).await.is_ok_and(|r| r.status() == 200) {
        assert!(started.elapsed() < Duration::from_secs(60), "serve did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts `paylink serve` with `env` on a free port and waits until it is ready; another port
/// if it exits first (a free port can be taken by someone else before serve binds it).
pub(crate) async fn start_serve(scratch: &Scratch, env: &[(&str, &str)]) -> (Proc, String) {
    for _ in 0..3 {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut proc = Proc::start(scratch, &["serve"], port, env);
        let started = Instant::now();
        loop {
            if reqwest::get(format!("{base}/readyz")).await.is_ok_and(|r| r.status() == 200) {
                return (proc, base);
            }
            if proc.0.try_wait().unwrap().is_some() {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "serve did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let log = std::fs::read_to_string(scratch.dir.join("serve.log")).unwrap_or_default();
    panic!("serve exited on start three times: {log}");
}

/// The value printed after `label` on first start (`sandbox key`, `store id`, `owner login`).
pub(crate) fn printed(scratch: &Scratch, label: &str) -> String {
    let text = std::fs::read_to_string(scratch.dir.join("serve.log")).unwrap();
    let line = text.lines().find(|l| l.trim_start().starts_with(label)).expect("the first start prints its setup");
    line.trim_start()[label.len()..].trim().to_owned()
}

/// The sandbox key printed on first start.
pub(crate) fn printed_key(scratch: &Scratch) -> String {
    printed(scratch, "sandbox key")
}

/// A free TCP port on 127.0.0.1.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits (up to `within`) until `done` holds; whether it did.
pub(crate) async fn eventually(within: Duration, mut done: impl AsyncFnMut() -> bool) -> bool {
    let started = Instant::now();
    loop {
        if done().await {
            return true;
        }
        if started.elapsed() > within {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// An API client of one key (no redirects followed).
#[derive(Clone)]
pub(crate) struct Api {
    pub(crate) client: reqwest::Client,
    pub(crate) key: String,
}

impl Api {
    pub(crate) fn new(key: &str) -> Api {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(64)
            .build()
            .unwrap();
        Api { client, key: key.to_owned() }
    }

    /// Sends a request; (status, JSON body or null). A connection failure is status 0.
    pub(crate) async fn send(&self, req: reqwest::RequestBuilder) -> (u16, Value) {
        match req.bearer_auth(&self.key).send().await {
            Ok(r) => (r.status().as_u16(), r.json().await.unwrap_or(Value::Null)),
            Err(_) => (0, Value::Null),
        }
    }

    pub(crate) async fn post(&self, base: &str, path: &str, body: Value) -> (u16, Value) {
        self.send(self.client.post(format!("{base}{path}")).json(&body)).await
    }

    pub(crate) async fn get(&self, base: &str, path: &str) -> (u16, Value) {
        self.send(self.client.get(format!("{base}{path}"))).await
    }

    /// Every event of the key's scope, oldest first (paging through `/v1/events`).
    pub(crate) async fn all_events(&self, base: &str) -> Vec<Value> {
        let (mut all, mut after) = (Vec::new(), String::new());
        loop {
            let (status, page) = self.get(base, &format!("/v1/events?limit=100{after}")).await;
            assert_eq!(status, 200, "{page}");
            all.extend(page["data"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(c) => after = format!("&starting_after={c}"),
                None => break,
            }
        }
        all.reverse();
        all
    }

    /// The id of the store's sandbox method of `kind` (`card`).
    pub(crate) async fn method_id(&self, base: &str, kind: &str) -> i64 {
        let (_, methods) = self.get(base, "/v1/payment_methods").await;
        let found = methods["data"].as_array().unwrap().iter().find(|m| m["kind"] == kind).cloned();
        found.expect("a sandbox method of this kind")["id"].as_i64().unwrap()
    }
}

/// A payer's browser on one link page: its cookie and form token (valid on every instance, as
/// the page key is shared through the database); `None` when the page cannot be had.
pub(crate) async fn open_page(client: &reqwest::Client, base: &str, link: &str) -> Option<(String, String)> {
    let r = client.get(format!("{base}/pay/{link}")).send().await.ok()?;
    if r.status() != 200 {
        return None;
    }
    let cookie = r.headers().get("set-cookie")?.to_str().ok()?.split(';').next()?.to_owned();
    let html = r.text().await.ok()?;
    let at = html.find("name=\"csrf\" value=\"")? + 19;
    Some((cookie, html[at..at + html[at..].find('"')?].to_owned()))
}

/// Pays `link` with the test card that succeeds, through the page form on `base`; the status
/// (303 to the receipt when it succeeded) and the `Location`.
pub(crate) async fn pay_card(
    client: &reqwest::Client,
    base: &str,
    link: &str,
    page: &(String, String),
    method: i64,
) -> (u16, String) {
    let method = method.to_string();
    let form = [
        ("csrf", page.1.as_str()),
        ("method_id", &method),
        ("card_number", "4242424242424242"),
        ("card_expiry", "12/34"),
        ("card_cvv", "123"),
    ];
    let req = client.post(format!("{base}/pay/{link}")).header("cookie", &page.0).form(&form);
    match req.send().await {
        Ok(r) => {
            let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            (r.status().as_u16(), location)
        }
        Err(_) => (0, String::new()),
    }
}

/// Runs `paylink audit verify` on the scratch database; its success and output.
pub(crate) fn audit_verify(scratch: &Scratch) -> (bool, String) {
    let out = scratch.command(&["audit", "verify"]).env("PAYLINK_POSTGRES_POOL_SIZE", "2").output();
    let out = out.expect("run paylink audit verify");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}
