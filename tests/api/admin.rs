//! The operator CLI (`paylink admin …`) run as a real process against a fresh SQLite file and,
//! when configured, a fresh PostgreSQL database; then `paylink serve` proves the keys it made work
//! and that `admin key revoke` shuts one out.

use crate::helpers::postgres_url;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn random_name() -> String {
    paylink::service::secrets::base62(12).to_lowercase()
}

/// A scratch directory and database for one CLI test; removed (database dropped) on cleanup.
pub(crate) struct Scratch {
    pub(crate) dir: PathBuf,
    pub(crate) url: String,
    pg: Option<(String, String)>,
}

impl Scratch {
    pub(crate) fn sqlite() -> Scratch {
        let dir = std::env::temp_dir().join(format!("paylink-cli-{}", random_name()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}", dir.join("paylink.db").display());
        Scratch { dir, url, pg: None }
    }

    pub(crate) fn postgres(server: String) -> Scratch {
        let mut s = Scratch::sqlite();
        let name = format!("paylink_cli_{}", random_name());
        pg_admin(&server, &format!("CREATE DATABASE {name}"));
        s.url = with_database(&server, &name);
        s.pg = Some((server, name));
        s
    }

    pub(crate) fn cleanup(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((server, name)) = &self.pg {
            pg_admin(server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }

    /// A `paylink` command on this database, isolated from any `paylink.toml` and from bootstrap.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_paylink"));
        c.args(args)
            .current_dir(&self.dir)
            .env_remove("PAYLINK_CONFIG")
            .env("PAYLINK_DATABASE_URL", &self.url)
            .env("PAYLINK_BOOTSTRAP", "false")
            // Several processes run at once: none takes the default metrics port.
            .env("PAYLINK_METRICS_LISTEN", "")
            .env("RUST_LOG", "warn");
        c
    }

    /// Runs `paylink args…` to completion.
    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run paylink")
    }

    /// Runs an admin command with `--json`, asserting success; returns the one JSON object printed.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["admin"];
        all.extend_from_slice(args);
        all.push("--json");
        let out = self.run(&all);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "paylink {all:?} failed ({}): {stderr}", out.status);
        let value: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
        assert!(value.is_object(), "one JSON object: {stdout}");
        value
    }

    /// Runs an admin command that must fail; returns its stderr.
    fn fails(&self, args: &[&str]) -> String {
        let mut all = vec!["admin"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "paylink {all:?} should fail; stdout: {}", String::from_utf8_lossy(&out.stdout));
        assert!(out.stdout.is_empty(), "a failure prints nothing on stdout: {}", String::from_utf8_lossy(&out.stdout));
        stderr
    }
}

fn with_database(url: &str, db: &str) -> String {
    let (head, tail) = url.split_once("://").expect("a URL");
    let (authority, rest) = tail.split_once('/').unwrap_or((tail, ""));
    let query = rest.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{head}://{authority}/{db}{query}")
}

fn pg_admin(url: &str, sql: &str) {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    // The postgres client runs its own runtime: keep it off the test's async runtime.
    std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect to the test PostgreSQL server");
        c.batch_execute(&sql).expect("admin statement");
    })
    .join()
    .expect("admin thread");
}

/// `paylink serve` on a free port, killed when dropped.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    async fn start(scratch: &Scratch) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().unwrap().port();
        let log = scratch.dir.join("serve.log");
        let file = std::fs::File::create(&log).expect("log file");
        let child = scratch
            .command(&["serve"])
            .env("PAYLINK_LISTEN", format!("127.0.0.1:{port}"))
            .env("PAYLINK_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("PAYLINK_AUTH_CACHE_SECS", "1")
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("spawn paylink serve");
        let server = Server { child, base: format!("http://127.0.0.1:{port}"), log };
        server.wait_ready().await;
        server
    }

    async fn wait_ready(&self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if let Ok(r) = reqwest::get(format!("{}/readyz", self.base)).await {
                if r.status() == 200 {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("paylink serve did not become ready: {}", self.log_text());
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    async fn call(&self, key: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = reqwest::Client::new().request(method, format!("{}{path}", self.base)).bearer_auth(key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn list(&self, key: &str) -> u16 {
        self.call(key, reqwest::Method::GET, "/v1/payment_links", None).await.0
    }

    async fn create_link(&self, key: &str) -> (u16, Value) {
        let body = json!({"amount": "25.00", "title": "From the CLI test"});
        self.call(key, reqwest::Method::POST, "/v1/payment_links", Some(body)).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or_else(|| panic!("{field} in {v}"))
}

/// The whole operator flow on one database.
async fn admin_flow(scratch: &Scratch) {
    let m = scratch.json(&[
        "merchant",
        "create",
        "--name",
        "Acme Trading",
        "--currency",
        "SAR",
        "--owner-email",
        "Owner@Acme.test",
    ]);
    let (merchant, store) = (text(&m, "merchant_id"), text(&m, "store_id"));
    assert!(merchant.starts_with("mer_") && store.starts_with("sto_"), "{m}");
    assert!(text(&m, "owner_user_id").starts_with("usr_"), "{m}");
    assert_eq!(text(&m, "owner_email"), "owner@acme.test");
    assert!(text(&m, "owner_password").len() >= 12, "{m}");
    assert!(text(&m, "sandbox_key").starts_with("sk_test_"), "{m}");

    let second =
        scratch.json(&["store", "create", "--merchant", merchant, "--name", "Acme Dubai", "--currency", "AED"]);
    assert!(text(&second, "store_id").starts_with("sto_") && text(&second, "store_id") != store, "{second}");
    assert_eq!(second["currency"], "AED");

    let branch = scratch.json(&["branch", "create", "--store", store, "--code", "RIYADH-001", "--name", "Riyadh"]);
    assert_eq!(branch["code"], "RIYADH-001");
    let branch_id = text(&branch, "branch_id");
    assert!(branch_id.starts_with("br_"), "{branch}");

    let cashier = scratch.json(&[
        "user",
        "create",
        "--merchant",
        merchant,
        "--email",
        "cashier@acme.test",
        "--role",
        "CASHIER",
        "--branch",
        "RIYADH-001",
    ]);
    assert_eq!((&cashier["role"], &cashier["email"]), (&json!("CASHIER"), &json!("cashier@acme.test")));
    assert!(text(&cashier, "user_id").starts_with("usr_") && !text(&cashier, "password").is_empty(), "{cashier}");

    let no_branch =
        scratch.fails(&["user", "create", "--merchant", merchant, "--email", "c2@acme.test", "--role", "CASHIER"]);
    assert!(no_branch.contains("--branch is required for SUPERVISOR and CASHIER"), "unclear message: {no_branch}");

    let ops = scratch.json(&["key", "create", "--store", store, "--environment", "sandbox", "--role", "OPERATION"]);
    assert!(text(&ops, "secret").starts_with("sk_test_") && text(&ops, "key_id").starts_with("key_"), "{ops}");
    let live = scratch.json(&[
        "key",
        "create",
        "--store",
        store,
        "--environment",
        "production",
        "--user",
        "cashier@acme.test",
    ]);
    assert!(text(&live, "secret").starts_with("sk_live_"), "{live}");
    assert_eq!(live["environment"], "production");

    let server = Server::start(scratch).await;
    let sandbox = text(&m, "sandbox_key");
    assert_eq!(server.list(sandbox).await, 200, "the merchant's sandbox key works: {}", server.log_text());
    let (status, link) = server.create_link(text(&ops, "secret")).await;
    assert_eq!((status, &link["environment"]), (201, &json!("sandbox")), "{link}");
    let (status, link) = server.create_link(text(&live, "secret")).await;
    assert_eq!(status, 201, "{link}");
    assert_eq!(
        (&link["environment"], &link["branch_id"]),
        (&json!("production"), &json!(branch_id)),
        "the cashier's branch"
    );

    let revoked = scratch.json(&["key", "revoke", "--key", text(&m, "sandbox_key_id")]);
    assert_eq!(revoked, json!({"key_id": m["sandbox_key_id"], "revoked": true}));
    // Another process revoked it: the server notices within its key-cache time (1 s here).
    let started = Instant::now();
    while server.list(sandbox).await != 401 {
        assert!(started.elapsed() < Duration::from_secs(10), "the revoked key still works after 10 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(server.list(text(&ops, "secret")).await, 200, "other keys keep working");
    let again = scratch.fails(&["key", "revoke", "--key", text(&m, "sandbox_key_id")]);
    assert!(again.contains("revoked"), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_cli_sets_up_a_merchant_whose_keys_work_and_can_be_revoked_on_sqlite() {
    let scratch = Scratch::sqlite();
    admin_flow(&scratch).await;
    scratch.cleanup();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_cli_sets_up_a_merchant_whose_keys_work_and_can_be_revoked_on_postgres() {
    let Some(server) = postgres_url() else { return };
    let scratch = Scratch::postgres(server);
    admin_flow(&scratch).await;
    scratch.cleanup();
}

#[test]
fn admin_commands_with_missing_wrong_or_conflicting_flags_fail_with_a_clear_message() {
    let scratch = Scratch::sqlite();
    let m =
        scratch.json(&["merchant", "create", "--name", "Acme", "--currency", "SAR", "--owner-email", "o@acme.test"]);
    let (merchant, store) = (text(&m, "merchant_id"), text(&m, "store_id"));
    let cases: [(&[&str], &str); 8] = [
        (&["merchant", "create", "--name", "X", "--owner-email", "x@acme.test"], "--currency is required"),
        (&["merchant", "create", "--name", "X", "--currency", "XXX", "--owner-email", "x@acme.test"], "--currency"),
        (
            &["store", "create", "--merchant", "sto_nope", "--name", "X", "--currency", "SAR"],
            "--merchant is not a merchant id",
        ),
        (&["branch", "create", "--store", store, "--code", "bad code", "--name", "X"], "--code"),
        (
            &["user", "create", "--merchant", merchant, "--email", "s@acme.test", "--role", "SUPERVISOR"],
            "--branch is required",
        ),
        (&["user", "create", "--merchant", merchant, "--email", "s@acme.test", "--role", "KING"], "--role must be"),
        (
            &["key", "create", "--store", store, "--environment", "staging", "--role", "ADMIN"],
            "--environment must be sandbox or production",
        ),
        (
            &[
                "key",
                "create",
                "--store",
                store,
                "--environment",
                "sandbox",
                "--role",
                "ADMIN",
                "--user",
                "o@acme.test",
            ],
            "exactly one of user or role",
        ),
    ];
    for (args, expected) in cases {
        let stderr = scratch.fails(args);
        assert!(stderr.contains(expected), "paylink admin {args:?}: expected {expected:?} in {stderr:?}");
    }
    let unknown = scratch.fails(&["key", "revoke", "--key", "key_nope"]);
    assert!(unknown.contains("--key is not a key id"), "{unknown}");
    scratch.cleanup();
}

#[test]
fn admin_output_without_json_is_one_readable_line_per_field() {
    let scratch = Scratch::sqlite();
    let m =
        scratch.json(&["merchant", "create", "--name", "Acme", "--currency", "SAR", "--owner-email", "o@acme.test"]);
    let out = scratch.run(&[
        "admin",
        "branch",
        "create",
        "--store",
        text(&m, "store_id"),
        "--code",
        "JED-1",
        "--name",
        "Jeddah",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("code") && l.trim_end().ends_with("JED-1")), "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("branch_id") && l.contains("br_")), "{stdout}");
    scratch.cleanup();
}
