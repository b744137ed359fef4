//! `TestApp`: the real server on port 0 with a fresh database (a temporary SQLite file, or a new
//! PostgreSQL database when `PAYLINK_TEST_POSTGRES_URL` is set), typed helpers, and the `both!`
//! macro that runs one test body on each backend.

use paylink::clock::Clock;
use paylink::config::Config;
use paylink::domain::Environment;
use paylink::domain::access::Role;
use paylink::domain::id::{MerchantId, StoreId};
use paylink::service::admin::{self, NewKey, NewUser};
use paylink::service::{Ctx, bootstrap};
use serde_json::Value;
use std::path::PathBuf;

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and what a test needs to drive it.
pub struct TestApp {
    pub base: String,
    pub ctx: Ctx,
    pub client: reqwest::Client,
    pub backend: Backend,
    /// The demo merchant's owner key (sandbox).
    pub owner_key: String,
    pub merchant_id: MerchantId,
    pub store_id: StoreId,
    /// The demo branch's id (`MAIN-001`).
    pub branch_id: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    sqlite_dir: Option<PathBuf>,
    pg_database: Option<(String, String)>,
}

/// A response: status, JSON body (or `Null`), headers and raw text.
pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub text: String,
    pub headers: reqwest::header::HeaderMap,
}

fn random_name() -> String {
    paylink::service::secrets::base62(12).to_lowercase()
}

/// The PostgreSQL server URL for tests, if configured. `.ci/run` sets `PAYLINK_REQUIRE_POSTGRES=1`
/// for its PostgreSQL pass, so there a missing URL fails the test instead of skipping it.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("PAYLINK_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("PAYLINK_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("PAYLINK_REQUIRE_POSTGRES=1 but PAYLINK_TEST_POSTGRES_URL is not set");
    }
    url
}

fn with_database(url: &str, db: &str) -> String {
    let (head, tail) = url.split_once("://").expect("a URL");
    let (authority, rest) = tail.split_once('/').unwrap_or((tail, ""));
    let query = rest.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{head}://{authority}/{db}{query}")
}

async fn admin_sql(url: String, sql: String) {
    tokio::task::spawn_blocking(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect to the test PostgreSQL server");
        c.batch_execute(&sql).expect("admin statement");
    })
    .await
    .expect("admin task");
}

impl TestApp {
    /// Starts a server on `backend`; `None` for PostgreSQL when no server is configured.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, &[]).await
    }

    /// Starts a server on `backend` with extra `PAYLINK_*` settings (name, value).
    pub async fn spawn_with(backend: Backend, settings: &[(&str, &str)]) -> Option<TestApp> {
        let mut sqlite_dir = None;
        let mut pg_database = None;
        let url = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("paylink-test-{}", random_name()));
                std::fs::create_dir_all(&dir).expect("temp dir");
                let url = format!("sqlite://{}", dir.join("paylink.db").display());
                sqlite_dir = Some(dir);
                url
            }
            Backend::Postgres => {
                let server = postgres_url()?;
                let name = format!("paylink_t_{}", random_name());
                admin_sql(server.clone(), format!("CREATE DATABASE {name}")).await;
                pg_database = Some((server.clone(), name.clone()));
                with_database(&server, &name)
            }
        };
        let settings: Vec<(String, String)> = settings.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Some(Self::start(url, backend, sqlite_dir, pg_database, settings).await)
    }

    async fn start(
        url: String,
        backend: Backend,
        sqlite_dir: Option<PathBuf>,
        pg_database: Option<(String, String)>,
        settings: Vec<(String, String)>,
    ) -> TestApp {
        let env = |k: &str| match k {
            k if settings.iter().any(|(name, _)| name == k) => {
                settings.iter().find(|(name, _)| name == k).map(|(_, v)| v.clone())
            }
            "PAYLINK_DATABASE_URL" => Some(url.clone()),
            "PAYLINK_POSTGRES_POOL_SIZE" => Some("8".to_owned()),
            "PAYLINK_SQLITE_READ_CONNECTIONS" => Some("2".to_owned()),
            "PAYLINK_SQLITE_CACHE_KIB" => Some("2048".to_owned()),
            // Tests deliver with `run_pending`, at the moments they choose.
            "PAYLINK_DELIVERY_ENABLED" => Some("false".to_owned()),
            // Tests send bursts far beyond a real client's pace with one key; the limiter's own
            // tests set the real figures.
            "PAYLINK_AUTH_SANDBOX_REQUESTS_PER_MINUTE" | "PAYLINK_AUTH_PRODUCTION_REQUESTS_PER_MINUTE" => {
                Some("1000000".to_owned())
            }
            _ => None,
        };
        let mut config = Config::from_sources(None, env).expect("test configuration");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        config.public_url = base.clone();
        let ctx = paylink::app::build(config, Clock::shiftable()).await.expect("build app");
        let demo = bootstrap::bootstrap_if_empty(&ctx).await.expect("bootstrap").expect("fresh database");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = ctx.clone();
        tokio::spawn(async move {
            let _ = paylink::app::serve(listener, serving, async move {
                let _ = stopped.await;
            })
            .await;
        });
        TestApp {
            base,
            ctx,
            client: reqwest::Client::builder().pool_max_idle_per_host(256).build().expect("client"),
            backend,
            owner_key: demo.sandbox_key,
            merchant_id: MerchantId::parse(&demo.merchant_id).expect("merchant id"),
            store_id: StoreId::parse(&demo.store_id).expect("store id"),
            branch_id: demo.branch_id.expect("demo branch"),
            stop: Some(stop),
            sqlite_dir,
            pg_database,
        }
    }

    /// Stops the server and removes its database.
    pub async fn cleanup(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(dir) = self.sqlite_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((server, name)) = self.pg_database.take() {
            drop(self.ctx);
            admin_sql(server, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
        }
    }

    /// Sends a request with an optional key and JSON body.
    pub async fn call(&self, method: &str, path: &str, key: Option<&str>, body: Option<Value>) -> Resp {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.client.request(method, format!("{}{}", self.base, path));
        if let Some(k) = key {
            req = req.bearer_auth(k);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Self::read(req.send().await.expect("request sent")).await
    }

    /// Sends a prepared request builder.
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        Self::read(req.send().await.expect("request sent")).await
    }

    async fn read(r: reqwest::Response) -> Resp {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, body, text, headers }
    }

    /// GET with a key.
    pub async fn get(&self, key: &str, path: &str) -> Resp {
        self.call("GET", path, Some(key), None).await
    }

    /// POST JSON with a key.
    pub async fn post(&self, key: &str, path: &str, body: Value) -> Resp {
        self.call("POST", path, Some(key), Some(body)).await
    }

    /// Creates a link as `key`, asserting 201; returns the link.
    pub async fn create_link(&self, key: &str, body: Value) -> Value {
        let r = self.post(key, "/v1/payment_links", body).await;
        assert_eq!(r.status, 201, "create link: {}", r.text);
        r.body
    }

    /// Creates a branch in the demo store; returns its id.
    pub async fn branch(&self, code: &str) -> String {
        let (store, now) = (self.store_id.clone(), self.ctx.clock.now());
        let code = code.to_owned();
        let b = self
            .ctx
            .db
            .write(move |c| admin::create_branch(c, &store, &code, "Test branch", now))
            .await
            .expect("branch");
        b.id.to_string()
    }

    /// Creates a user with `role` (in `branch`, an id or code) and a sandbox key bound to them.
    /// Returns (user id, key secret).
    pub async fn staff(&self, role: Role, branch: Option<&str>) -> (String, String) {
        self.staff_in(role, branch, Environment::Sandbox).await
    }

    /// Like `staff`, with a key in the given environment.
    pub async fn staff_in(&self, role: Role, branch: Option<&str>, env: Environment) -> (String, String) {
        let (m, s, now) = (self.merchant_id.clone(), self.store_id.clone(), self.ctx.clock.now());
        let (email, branch) = (format!("{}@example.com", random_name()), branch.map(str::to_owned));
        self.ctx
            .db
            .write(move |c| {
                let user = admin::create_user(
                    c,
                    &m,
                    &s,
                    NewUser { email: &email, name: "Staff", role, branch: branch.as_deref() },
                    now,
                )?;
                let key = NewKey {
                    store: &s,
                    environment: env,
                    name: "test",
                    user: Some(user.user.id.as_str()),
                    role: None,
                    branch: None,
                    expires_at: None,
                };
                let key = admin::create_key(c, &m, key, None, now)?;
                Ok::<_, paylink::service::ServiceError>((user.user.id.to_string(), key.secret))
            })
            .await
            .expect("staff")
    }

    /// A second store of the demo merchant and an OWNER service key for it (sandbox).
    pub async fn second_store_key(&self) -> (StoreId, String) {
        let (merchant, now) = (self.merchant_id.clone(), self.ctx.clock.now());
        self.ctx
            .db
            .write(move |c| {
                let store = admin::create_store(c, &merchant, "Second store", "SAR", now)?;
                let key = NewKey {
                    store: &store.id,
                    environment: Environment::Sandbox,
                    name: "second store",
                    user: None,
                    role: Some(Role::Owner),
                    branch: None,
                    expires_at: None,
                };
                let key = admin::create_key(c, &merchant, key, None, now)?;
                Ok::<_, paylink::service::ServiceError>((store.id, key.secret))
            })
            .await
            .expect("second store")
    }

    /// A key of a different merchant (its owner, sandbox).
    pub async fn foreign_key(&self) -> String {
        let now = self.ctx.clock.now();
        let email = format!("{}@example.org", random_name());
        let m = self
            .ctx
            .db
            .write(move |c| bootstrap::create_merchant(c, "Other", "SAR", &email, now))
            .await
            .expect("merchant");
        m.sandbox_key
    }
}

/// Runs one async test body on SQLite and (when configured) PostgreSQL, as two tests.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run(backend: $crate::helpers::Backend) {
                let Some(app) = $crate::helpers::TestApp::spawn(backend).await else { return };
                let app = std::sync::Arc::new(app);
                ($body)(app.clone()).await;
                if let Ok(app) = std::sync::Arc::try_unwrap(app) {
                    app.cleanup().await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                run($crate::helpers::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                run($crate::helpers::Backend::Postgres).await;
            }
        }
    };
}

/// `both!` for a server started with extra `PAYLINK_*` settings: `with_settings!(name, SETTINGS)`
/// runs `async fn name(app: &TestApp)` of the calling module on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! with_settings {
    ($name:ident, $settings:expr) => {
        mod $name {
            async fn run(backend: $crate::helpers::Backend) {
                let Some(app) = $crate::helpers::TestApp::spawn_with(backend, $settings).await else { return };
                super::$name(&app).await;
                app.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                run($crate::helpers::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                run($crate::helpers::Backend::Postgres).await;
            }
        }
    };
}
