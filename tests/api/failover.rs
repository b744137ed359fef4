//! Failover to a hot standby, for real: `paylink serve` on a multi-host PostgreSQL URL with
//! `target_session_attrs=read-write`, a primary with a synchronous standby, and a write load. The
//! primary is stopped at once, the standby promoted; Paylink must answer 503 (not hang, not 500)
//! while no server takes writes, recover on its own within seconds of the promotion, have lost
//! no write it acknowledged with a 201, and keep its background workers running (every
//! acknowledged link's event is delivered). Runs only with `PAYLINK_TEST_FAILOVER=1` (root and
//! Debian's PostgreSQL cluster tools); `.ci/run` runs it after the PostgreSQL pass.

mod clusters;

use crate::admin::Scratch;
use crate::backup::NO_KEY_LIMIT;
use crate::processes::{Proc, free_port, printed_key, wait_ready};
use crate::receiver::{Behaviour, Receiver};
use crate::writers::{Answer, Writers, created_in};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// How long the primary stays down before the standby is promoted.
const OUTAGE: Duration = Duration::from_secs(2);
/// The generous bound on recovery after the promotion (it takes well under a second here).
const RECOVERY_DEADLINE: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paylink_recovers_by_itself_when_the_standby_is_promoted_and_loses_no_acknowledged_write() {
    if std::env::var("PAYLINK_TEST_FAILOVER").as_deref() != Ok("1") {
        println!("skipped: set PAYLINK_TEST_FAILOVER=1 to run (needs root and pg_createcluster; .ci/run does)");
        return;
    }
    let pair = tokio::task::block_in_place(clusters::Pair::create);
    let mut scratch = Scratch::sqlite();
    scratch.url = pair.url();
    let rx = Receiver::start().await;
    rx.on("failover", Behaviour::default());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let serve = Proc::start(&scratch, &["serve"], port, &[NO_KEY_LIMIT]);
    wait_ready(&base).await;
    let key = printed_key(&scratch);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let endpoint = client.post(format!("{base}/v1/webhook_endpoints")).bearer_auth(&key);
    assert_eq!(endpoint.json(&json!({"url": rx.url("failover")})).send().await.unwrap().status(), 201);

    let writers = Writers::start(&base, &key, 4, Duration::from_secs(10));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let stopped = Instant::now();
    tokio::task::block_in_place(|| pair.stop_primary());
    tokio::time::sleep(OUTAGE / 2).await;
    let during = create_one(&client, &base, &key).await;
    assert_eq!(during.0, 503, "a write while no server takes writes is a 503: {:?}", during.1);
    assert_eq!(during.1["error_code"], "SERVICE_UNAVAILABLE", "in the API's error shape: {}", during.1);
    assert!(during.1["details"].is_object() && during.1["error"].is_string(), "{}", during.1);
    tokio::time::sleep(OUTAGE / 2).await;
    let promote_began = Instant::now();
    tokio::task::block_in_place(|| pair.promote_standby());
    let promoted = Instant::now();
    let recovered = wait_for_a_write_after(&writers, promote_began).await;
    println!(
        "primary stopped; standby promoted after {:.2} s (pg_ctlcluster promote took {:.2} s); \
         first acknowledged write {:.2} s after the promotion began, {:.2} s after the primary stopped",
        (promote_began - stopped).as_secs_f64(),
        (promoted - promote_began).as_secs_f64(),
        (recovered - promote_began).as_secs_f64(),
        (recovered - stopped).as_secs_f64(),
    );
    assert!(recovered - promote_began < RECOVERY_DEADLINE, "Paylink did not recover within {RECOVERY_DEADLINE:?}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let answers = writers.stop().await;
    check_outage_answers(&answers, stopped);

    let acknowledged: HashSet<String> = created_in(&answers);
    let on_new_primary = tokio::task::block_in_place(|| links_on(&pair, pair.standby_port));
    let lost: Vec<_> = acknowledged.difference(&on_new_primary).collect();
    println!("{} links acknowledged, {} on the new primary", acknowledged.len(), on_new_primary.len());
    assert!(acknowledged.len() > 100, "only {} links were acknowledged", acknowledged.len());
    assert!(lost.is_empty(), "{} acknowledged links are missing on the new primary: {lost:?}", lost.len());

    let started = Instant::now();
    while !acknowledged.is_subset(&delivered(&rx)) && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let undelivered = acknowledged.difference(&delivered(&rx)).count();
    assert_eq!(undelivered, 0, "the workers survived the failover: every acknowledged link's event is delivered");
    drop(serve);
    scratch.cleanup();
    drop(pair);
}

async fn create_one(client: &reqwest::Client, base: &str, key: &str) -> (u16, Value) {
    let request = client.post(format!("{base}/v1/payment_links")).bearer_auth(key);
    let response = request.json(&json!({"amount": "1.00", "title": "During"})).send().await;
    let response = response.expect("an answer during the outage, not a hang");
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

/// The moment of the first 201 that arrived after `since`.
async fn wait_for_a_write_after(writers: &Writers, since: Instant) -> Instant {
    let started = Instant::now();
    loop {
        let first = writers.answers().into_iter().find(|(at, a)| *at > since && matches!(a, Answer::Created(_)));
        if let Some((at, _)) = first {
            return at;
        }
        assert!(started.elapsed() < RECOVERY_DEADLINE * 2, "no write succeeded after the promotion");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Every request the writers made was answered (no timeout), and every failure was a 503.
fn check_outage_answers(answers: &[(Instant, Answer)], stopped: Instant) {
    let refused: Vec<(u16, &Value)> = answers
        .iter()
        .filter_map(|(_, a)| match a {
            Answer::Refused(status, body) => Some((*status, body)),
            Answer::Created(_) => None,
        })
        .collect();
    let before = answers.iter().filter(|(at, a)| *at < stopped && matches!(a, Answer::Refused(..))).count();
    println!("{} writes refused around the failover, all 503", refused.len());
    assert_eq!(before, 0, "no write failed before the primary stopped");
    let other: Vec<_> = refused.iter().filter(|(s, b)| *s != 503 || b["error_code"] != "SERVICE_UNAVAILABLE").collect();
    assert!(other.is_empty(), "failures other than a 503 SERVICE_UNAVAILABLE: {:?}", &other[..other.len().min(5)]);
}

fn links_on(pair: &clusters::Pair, port: u16) -> HashSet<String> {
    pair.psql(port, "paylink", "SELECT id FROM payment_links").lines().map(str::to_owned).collect()
}

/// Link ids of the `payment_link.created` events the receiver got.
fn delivered(rx: &Receiver) -> HashSet<String> {
    rx.all()
        .iter()
        .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
        .filter(|b| b["type"] == "payment_link.created")
        .filter_map(|b| b["object_id"].as_str().map(str::to_owned))
        .collect()
}

/// The same recovery without a standby, on the CI's PostgreSQL server: the server ends every
/// session of a running `paylink serve` (`pg_terminate_backend`, what a restart does). The first
/// request to find its session gone gets a 503, and the pool then drops every session opened
/// before, so the next requests succeed on new ones — none sees a 500, and at most one fails.
mod every_session_ended_by_the_server_costs_at_most_one_request {
    use super::*;
    use crate::helpers::postgres_url;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(server) = postgres_url() else { return };
        let scratch = Scratch::postgres(server.clone());
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let serve = Proc::start(&scratch, &["serve"], port, &[NO_KEY_LIMIT]);
        wait_ready(&base).await;
        let key = printed_key(&scratch);
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        for _ in 0..20 {
            assert_eq!(create_one(&client, &base, &key).await.0, 201, "the pool is warm");
        }
        let database = scratch.url.rsplit('/').next().unwrap().split('?').next().unwrap().to_owned();
        let ended = tokio::task::block_in_place(|| terminate_sessions(&server, &database));
        assert!(ended >= 2, "paylink's sessions were ended ({ended})");
        let mut answers = Vec::new();
        for _ in 0..20 {
            answers.push(create_one(&client, &base, &key).await);
        }
        let refused: Vec<_> = answers.iter().filter(|(status, _)| *status != 201).collect();
        println!("{ended} sessions ended; {} of 20 requests refused afterwards: {refused:?}", refused.len());
        assert!(refused.iter().all(|(s, b)| *s == 503 && b["error_code"] == "SERVICE_UNAVAILABLE"), "{refused:?}");
        assert!(refused.len() <= 1, "a dead session was reused: {refused:?}");
        drop(serve);
        scratch.cleanup();
    }

    /// Ends every session on `database` but this one; returns how many.
    fn terminate_sessions(server: &str, database: &str) -> i64 {
        let (server, database) = (server.to_owned(), database.to_owned());
        std::thread::spawn(move || {
            let mut c = postgres::Client::connect(&server, postgres::NoTls).unwrap();
            let sql = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                       WHERE datname = $1 AND pid <> pg_backend_pid()";
            c.query_one(sql, &[&database]).unwrap().get(0)
        })
        .join()
        .unwrap()
    }
}
