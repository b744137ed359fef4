//! The command line. `serve` runs everything; `admin …` commands act on the configured database
//! directly and print one JSON object with `--json`.

use crate::app;
use crate::clock::Clock;
use crate::config::Config;
use crate::service::{Ctx, bootstrap};
use std::collections::HashMap;
use std::process::ExitCode;

/// The usage before the commands the dialects add.
const USAGE_HEAD: &str = "usage: paylink <command>

  serve                      run the API, pages and background workers
  worker                     run only the background workers
  migrate                    apply database migrations and exit
  openapi                    print the OpenAPI document
  bench [options]            load-test an in-process server (see docs/BENCHMARKS.md)
  admin merchant create --name N --currency SAR --owner-email E [--json]
  admin store create --merchant M --name N --currency C [--json]
  admin branch create --store S --code RIYADH-001 --name N [--json]
  admin user create --merchant M --email E --role CASHIER [--branch CODE] [--store S] [--name N] [--json]
  admin key create --store S --environment sandbox|production (--user E | --role R) [--branch CODE] [--name N] [--json]
  admin key revoke --key K [--json]
";

/// The usage after the commands the dialects add.
const USAGE_TAIL: &str = "  audit verify               check every audit hash chain; names the first bad entry
  backup FILE [--force]      copy the SQLite database to FILE while serving (never replaces FILE without --force)
  restore FILE               replace the SQLite database by the backup FILE (stop every paylink process first)

Configuration: config/default.toml documents every setting; override with paylink.toml or PAYLINK_* variables.";

/// The whole usage text, with the operator commands the dialects add.
fn usage() -> String {
    let added: String = crate::dialects::admin_commands().iter().map(|c| format!("  {}\n", c.usage)).collect();
    format!("{USAGE_HEAD}{added}{USAGE_TAIL}")
}

/// Runs the command line and returns the process exit code. `bench` runs the load generator the
/// binary supplies (it lives there, not in the library), with the configuration and the flags.
pub fn main(bench: impl AsyncFnOnce(Config, HashMap<String, String>) -> Result<(), String>) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
        println!("{}", usage());
        return ExitCode::SUCCESS;
    }
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    init_logging(&config);
    // Blocking work is bounded by the database pools; a small cap keeps idle threads (and the
    // allocator arenas they pin) from accumulating.
    let runtime = match tokio::runtime::Builder::new_multi_thread().max_blocking_threads(32).enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    match runtime.block_on(dispatch(config, args, bench)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("paylink: {message}");
    ExitCode::FAILURE
}

fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if config.log_format == "json" { builder.json().try_init() } else { builder.try_init() };
}

async fn dispatch(
    config: Config,
    args: Vec<String>,
    bench: impl AsyncFnOnce(Config, HashMap<String, String>) -> Result<(), String>,
) -> Result<(), String> {
    let words: Vec<&str> = args.iter().take_while(|a| !a.starts_with("--")).map(String::as_str).collect();
    let flags = Flags::parse(&args[words.len()..])?;
    match words.as_slice() {
        ["serve"] => serve(config).await,
        ["worker"] => worker(config).await,
        ["migrate"] => app::build(config, Clock::system()).await.map(|_| println!("migrations applied")),
        ["openapi"] => {
            println!("{}", app::openapi().to_pretty_json().map_err(|e| e.to_string())?);
            Ok(())
        }
        ["bench"] => bench(config, flags.0).await,
        ["admin", ..] => {
            let ctx = app::build(config, Clock::system()).await?;
            crate::cli::admin::run(&ctx, &words[1..], &flags).await
        }
        ["backup", file] => crate::cli::backup::backup(&config, file, &flags),
        ["restore", file] => crate::cli::backup::restore(&config, file),
        ["audit", ..] => {
            let ctx = app::build(config, Clock::system()).await?;
            crate::cli::audit::run(&ctx, &words[1..]).await
        }
        _ => Err(format!("unknown command; run `paylink --help`\n\n{}", usage())),
    }
}

/// `--name value` pairs and bare `--switch`es.
pub struct Flags(pub HashMap<String, String>);

impl Flags {
    fn parse(args: &[String]) -> Result<Flags, String> {
        let mut map = HashMap::new();
        let mut i = 0;
        while i < args.len() {
            let name = args[i].strip_prefix("--").ok_or_else(|| format!("unexpected argument {}", args[i]))?;
            match args.get(i + 1).filter(|v| !v.starts_with("--")) {
                Some(value) => {
                    map.insert(name.to_owned(), value.clone());
                    i += 2;
                }
                None => {
                    map.insert(name.to_owned(), String::new());
                    i += 1;
                }
            }
        }
        Ok(Flags(map))
    }

    /// A required flag's value.
    pub fn need(&self, name: &str) -> Result<&str, String> {
        self.0.get(name).map(String::as_str).filter(|v| !v.is_empty()).ok_or_else(|| format!("--{name} is required"))
    }

    /// An optional flag's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// Whether a switch is present.
    pub fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

async fn serve(config: Config) -> Result<(), String> {
    let (listen, bootstrap_enabled) = (config.listen.clone(), config.bootstrap);
    let ctx = app::build(config, Clock::system()).await?;
    if bootstrap_enabled {
        if let Some(demo) = bootstrap::bootstrap_if_empty(&ctx).await.map_err(|e| e.to_string())? {
            print_welcome(&ctx, &demo);
        }
    }
    let metrics = crate::metrics::scrape::bind(&ctx).await?;
    let listener =
        tokio::net::TcpListener::bind(&listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    tracing::info!(address = %listen, "paylink listening");
    if let Some(metrics) = metrics {
        crate::metrics::scrape::spawn(metrics, ctx.clone());
    }
    app::serve(listener, ctx, shutdown_signal()).await.map_err(|e| e.to_string())
}

async fn worker(config: Config) -> Result<(), String> {
    let ctx = app::build(config, Clock::system()).await?;
    // A worker has no API, but its outbox and storage figures are worth scraping.
    if let Some(metrics) = crate::metrics::scrape::bind(&ctx).await? {
        crate::metrics::scrape::spawn(metrics, ctx.clone());
    }
    let (tx, rx) = tokio::sync::watch::channel(false);
    let handle = crate::worker::spawn(ctx, rx);
    shutdown_signal().await;
    let _ = tx.send(true);
    let _ = handle.await;
    Ok(())
}

fn print_welcome(ctx: &Ctx, demo: &bootstrap::NewMerchant) {
    let base = ctx.config.public_base();
    println!(
        "\nPaylink is set up with a demo merchant (shown once; store these now):\n\n  \
         store id       {}\n  branch         {}\n  owner login    {} / {}\n  sandbox key    {}\n  dashboard      {base}/dashboard (sign in with the owner login; you then choose your own password)\n\n\
         Create a payment link:\n\n  curl -s {base}/v1/payment_links \\\n    -H 'Authorization: Bearer {}' \\\n    \
         -H 'Content-Type: application/json' \\\n    -d '{{\"amount\": \"150.00\", \"title\": \"Order #1001\", \"customer\": {{\"phone\": \"+966501234567\"}}}}'\n",
        demo.store_id,
        demo.branch_code.as_deref().unwrap_or("-"),
        demo.owner_email,
        demo.owner_password,
        demo.sandbox_key,
        demo.sandbox_key
    );
}

pub mod admin;
pub mod audit;
pub mod backup;
