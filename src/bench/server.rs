//! The server under test: the real application (`app::build` + `app::serve`) on 127.0.0.1:0 in
//! this process, on a fresh temporary database that is removed afterwards: a SQLite file in a new
//! directory (durable settings as configured: WAL, `synchronous=FULL`) or a new PostgreSQL
//! database that is dropped.

use super::options::{Backend, Options};
use paylink::app;
use paylink::clock::Clock;
use paylink::config::Config;
use paylink::service::{Ctx, secrets};
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// What must be removed when the run ends.
enum Scratch {
    SqliteDir(PathBuf),
    Postgres { server: String, name: String },
}

/// A running in-process server.
pub struct BenchServer {
    pub ctx: Ctx,
    pub addr: SocketAddr,
    /// Where the data lives, for the report (`/tmp/…/paylink.db` or the database name).
    pub location: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
    scratch: Scratch,
}

/// Creates the temporary database and starts serving on it.
pub async fn start(mut config: Config, opts: &Options) -> Result<BenchServer, String> {
    let (url, scratch, location) = prepare(opts).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    config.database_url = url;
    config.listen = addr.to_string();
    config.public_url = format!("http://{addr}");
    config.bootstrap = false;
    // No delivery loop polling beside the scenarios: the delivery benchmark starts its own when
    // it wants deliveries to run, so what it measures is that loop alone.
    config.delivery.enabled = false;
    // The load generator is one client far beyond any per-key allowance; the limiter still runs
    // (a block claim every 20 M requests), so its cost stays in the figures.
    config.auth.sandbox_requests_per_minute = 1_000_000_000;
    config.auth.production_requests_per_minute = 1_000_000_000;
    let ctx = match app::build(config, Clock::system()).await {
        Ok(ctx) => ctx,
        Err(e) => {
            remove(scratch).await;
            return Err(e);
        }
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = ctx.clone();
    let task = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        if let Err(e) = app::serve(listener, serving, shutdown).await {
            eprintln!("bench: the server stopped with an error: {e}");
        }
    });
    Ok(BenchServer { ctx, addr, location, stop, task, scratch })
}

impl BenchServer {
    /// PostgreSQL: `VACUUM ANALYZE`, as autovacuum does soon after a bulk load, so the planner
    /// sees the table as a running system's would. (Without statistics it reads get-by-id through
    /// a `(store_id, environment, …)` index instead of the primary key.) SQLite has no
    /// background analysis, so it runs as the server leaves it.
    pub async fn analyze(&self) -> Result<(), String> {
        match &self.scratch {
            Scratch::Postgres { server, name } => {
                admin_sql(&with_database(server, name)?, "VACUUM ANALYZE".into()).await
            }
            Scratch::SqliteDir(_) => Ok(()),
        }
    }

    /// Stops the server, closes the database and removes it.
    pub async fn stop(self) {
        let BenchServer { ctx, stop, task, scratch, .. } = self;
        let _ = stop.send(());
        let _ = task.await;
        // The last handle to the database goes before its files or database are removed.
        drop(ctx);
        remove(scratch).await;
    }
}

fn random_name() -> String {
    secrets::base62(10).to_lowercase()
}

/// The database URL, what to remove afterwards, and a description.
async fn prepare(opts: &Options) -> Result<(String, Scratch, String), String> {
    match opts.backend {
        Backend::Sqlite => {
            let dir = opts.dir.join(format!("paylink-bench-{}", random_name()));
            std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            let file = dir.join("paylink.db");
            let location = file.display().to_string();
            Ok((format!("sqlite://{location}"), Scratch::SqliteDir(dir), location))
        }
        Backend::Postgres => {
            let name = format!("paylink_bench_{}", random_name());
            admin_sql(&opts.postgres_url, format!("CREATE DATABASE {name}")).await?;
            let url = with_database(&opts.postgres_url, &name)?;
            let location = format!("database {name} on {}", redact(&opts.postgres_url));
            Ok((url, Scratch::Postgres { server: opts.postgres_url.clone(), name }, location))
        }
    }
}

async fn remove(scratch: Scratch) {
    match scratch {
        Scratch::SqliteDir(dir) => {
            if let Err(e) = std::fs::remove_dir_all(&dir) {
                eprintln!("bench: could not remove {}: {e}", dir.display());
            }
        }
        Scratch::Postgres { server, name } => {
            // FORCE ends sessions a pool may still be closing on its own thread.
            if let Err(e) = admin_sql(&server, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await {
                eprintln!("bench: could not drop database {name}: {e}");
            }
        }
    }
}

/// Runs one administrative statement on the PostgreSQL server (blocking client, own thread).
async fn admin_sql(url: &str, sql: String) -> Result<(), String> {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls)
            .map_err(|e| format!("cannot connect to PostgreSQL at {}: {e}", redact(&url)))?;
        c.batch_execute(&sql).map_err(|e| format!("{sql}: {e}"))
    })
    .await
    .map_err(|e| e.to_string())?
}

/// The server URL with another database name (query string kept).
fn with_database(url: &str, db: &str) -> Result<String, String> {
    let (head, tail) = url.split_once("://").ok_or_else(|| format!("not a URL: {}", redact(url)))?;
    let (authority, rest) = tail.split_once('/').unwrap_or((tail, ""));
    let query = rest.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    Ok(format!("{head}://{authority}/{db}{query}"))
}

/// The URL without a password, for messages.
fn redact(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, rest)), Some(_)) => {
            let (userinfo, host) = rest.rsplit_once('@').unwrap_or(("", rest));
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{host}")
        }
        _ => url.to_owned(),
    }
}
