//! An unexpected failure answers an opaque 500 with a request id, and the log line of that
//! request id carries the whole cause chain (here: the database's own complaint about a table
//! that is gone), so an operator handed the id finds the cause. Real `paylink serve` processes
//! with JSON logs, on SQLite and PostgreSQL.

use crate::admin::Scratch;
use crate::audit::tamper::{open, sql};
use crate::helpers::postgres_url;
use crate::processes::{Proc, free_port, printed_key, wait_ready};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The JSON log lines of the process that mention `request_id`.
fn log_lines_of(scratch: &Scratch, request_id: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(scratch.dir.join("serve.log")).unwrap_or_default();
    let lines = text.lines().filter(|l| l.contains(request_id));
    lines.filter_map(|l| serde_json::from_str(l).ok()).collect()
}

async fn a_500_is_logged_with_its_cause(scratch: Scratch, cause: &str) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let serve = Proc::start(&scratch, &["serve"], port, &[("PAYLINK_LOG_FORMAT", "json"), ("RUST_LOG", "info")]);
    wait_ready(&base).await;
    let key = printed_key(&scratch);
    // The table goes behind the running server's back, before it ever read it.
    sql(&open(&scratch).await, "ALTER TABLE customers RENAME TO customers_gone").await;
    let response = reqwest::Client::new().get(format!("{base}/v1/customers")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(response.status(), 500);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error_code"], "INTERNAL_ERROR");
    let id = body["request_id"].as_str().expect("the 500 names its request id").to_owned();
    assert!(!body.to_string().contains(cause), "the cause is never shown to the caller: {body}");
    let started = Instant::now();
    let mut lines = log_lines_of(&scratch, &id);
    while lines.is_empty() && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        lines = log_lines_of(&scratch, &id);
    }
    assert_eq!(lines.len(), 1, "one log line names {id}: {lines:?}");
    let error = lines[0]["fields"]["error"].as_str().unwrap_or_default();
    assert!(error.contains(cause), "the line of {id} carries the cause chain, got {:?}", lines[0]);
    drop(serve);
    scratch.cleanup();
}

mod an_internal_errors_cause_chain_is_in_the_log_line_of_its_request_id {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        a_500_is_logged_with_its_cause(Scratch::sqlite(), "no such table: customers").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(server) = postgres_url() else { return };
        a_500_is_logged_with_its_cause(Scratch::postgres(server), "relation \"customers\" does not exist").await;
    }
}
