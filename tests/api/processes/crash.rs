//! Crash safety: `paylink serve` killed with SIGKILL again and again under mixed load (links
//! created, paid through the page, refunded; webhooks delivered) and restarted. Afterwards every
//! write that was answered 2xx exists, every event was delivered at least once, the event
//! sequence is 1..N without a gap, and `paylink audit verify` passes.

use super::harness::{Api, Proc, audit_verify, eventually, free_port, open_page, pay_card, printed_key, wait_ready};
use crate::admin::Scratch;
use crate::helpers::postgres_url;
use crate::receiver::{Behaviour, Receiver};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The ids of writes the server answered 2xx (committed).
#[derive(Default)]
struct Committed {
    links: Vec<String>,
    payments: Vec<String>,
    refunds: Vec<String>,
}

/// The payment id in a receipt's address (`/receipts/pay_…?lang=en`).
fn payment_of(location: &str) -> Option<String> {
    let rest = location.strip_prefix("/receipts/")?;
    Some(rest.split(['?', '/']).next()?.to_owned()).filter(|id| id.starts_with("pay_"))
}

/// One round of load: a link; every other round, paid by card and refunded. Stops at the first
/// failure (the server may be down).
async fn one_round(api: &Api, base: &str, method: i64, i: usize, done: &Mutex<Committed>) -> Option<()> {
    let (status, link) =
        api.post(base, "/v1/payment_links", json!({"amount": "4.00", "title": format!("Crash {i}")})).await;
    (status == 201).then_some(())?;
    let link = link["id"].as_str()?.to_owned();
    done.lock().unwrap().links.push(link.clone());
    (i % 2 == 1).then_some(())?;
    let page = open_page(&api.client, base, &link).await?;
    let (status, location) = pay_card(&api.client, base, &link, &page, method).await;
    let payment = payment_of(&location).filter(|_| status == 303)?;
    done.lock().unwrap().payments.push(payment.clone());
    let body = json!({"payment_id": payment, "amount": "4.00", "reason": "returned"});
    let (status, refund) = api.post(base, "/v1/refunds", body).await;
    (status == 201).then_some(())?;
    done.lock().unwrap().refunds.push(refund["id"].as_str()?.to_owned());
    Some(())
}

/// Runs rounds until `stop`.
fn produce(
    api: Api,
    base: String,
    method: i64,
    done: Arc<Mutex<Committed>>,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut i = 0;
        while !stop.load(Ordering::Relaxed) {
            i += 1;
            if one_round(&api, &base, method, i, &done).await.is_none() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    })
}

/// Whether every write in `done` reads back (200) with `api`.
async fn all_exist(api: &Api, base: &str, done: &Committed) -> Result<(), String> {
    let paths = [("payment_links", &done.links), ("payments", &done.payments), ("refunds", &done.refunds)];
    for (resource, ids) in paths {
        for id in ids {
            let (status, body) = api.get(base, &format!("/v1/{resource}/{id}")).await;
            if status != 200 {
                return Err(format!("{resource}/{id} answered {status}: {body}"));
            }
        }
    }
    Ok(())
}

/// Sequence numbers 1..N without a gap (`None` while some event is not numbered yet).
fn gap_free(events: &[Value]) -> Option<bool> {
    let mut seqs: Vec<i64> = events.iter().map(|e| e["sequence"].as_i64()).collect::<Option<_>>()?;
    seqs.sort_unstable();
    Some(seqs.iter().enumerate().all(|(i, s)| *s == i as i64 + 1))
}

/// Serve settings of every start: cards settle at once, so they can be refunded.
const ENV: &[(&str, &str)] = &[("PAYLINK_PAYMENTS_SANDBOX_CARD_DELAY_SECS", "0")];

/// Four producers of load against `serve` on `port`, which is killed (SIGKILL) and restarted
/// five times; what was answered 2xx, and the serve running at the end.
async fn load_through_kills(scratch: &Scratch, port: u16, api: &Api, mut serve: Proc) -> (Committed, Proc) {
    let base = format!("http://127.0.0.1:{port}");
    let method = api.method_id(&base, "card").await;
    let done = Arc::new(Mutex::new(Committed::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let producers: Vec<_> =
        (0..4).map(|_| produce(api.clone(), base.clone(), method, done.clone(), stop.clone())).collect();
    for round in 0..5 {
        tokio::time::sleep(Duration::from_millis(800 + 300 * round)).await;
        serve.kill();
        tokio::time::sleep(Duration::from_millis(100)).await;
        serve = Proc::start(scratch, &["serve"], port, ENV);
        wait_ready(&base).await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.store(true, Ordering::Relaxed);
    for p in producers {
        p.await.unwrap();
    }
    let done = std::mem::take(&mut *done.lock().unwrap());
    (done, serve)
}

/// Waits until every event is numbered and delivered; asserts the numbers are 1..N.
async fn every_event_delivered_in_sequence(api: &Api, base: &str, rx: &Receiver) {
    let delivered = async || {
        let events = api.all_events(base).await;
        let received: HashSet<String> = rx.all().into_iter().map(|r| r.id).collect();
        let missing = events.iter().filter(|e| !received.contains(e["id"].as_str().unwrap())).count();
        (events, missing)
    };
    let settled = eventually(Duration::from_secs(60), async || {
        let (events, missing) = delivered().await;
        missing == 0 && gap_free(&events).is_some()
    })
    .await;
    let (events, missing) = delivered().await;
    println!("{} events, {} requests received, {missing} undelivered", events.len(), rx.all().len());
    assert!(settled, "{missing} events never delivered, or some never numbered");
    assert_eq!(gap_free(&events), Some(true), "the event sequence has a gap");
    let kinds: HashSet<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(kinds.contains("payment.succeeded") && kinds.contains("refund.created"), "{kinds:?}");
}

async fn crash_and_recover(scratch: Scratch) {
    let rx = Receiver::start().await;
    rx.on("crash", Behaviour { delay: Duration::from_millis(2), ..Default::default() });
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let serve = Proc::start(&scratch, &["serve"], port, ENV);
    wait_ready(&base).await;
    let api = Api::new(&printed_key(&scratch));
    let (status, e) = api.post(&base, "/v1/webhook_endpoints", json!({"url": rx.url("crash")})).await;
    assert_eq!(status, 201, "{e}");
    let (done, mut serve) = load_through_kills(&scratch, port, &api, serve).await;
    let (links, payments, refunds) = (done.links.len(), done.payments.len(), done.refunds.len());
    println!("across 5 SIGKILLs: {links} links, {payments} payments, {refunds} refunds answered 2xx");
    assert!(links >= 20 && payments >= 5 && refunds >= 5, "too little load to show anything");
    all_exist(&api, &base, &done).await.unwrap();
    every_event_delivered_in_sequence(&api, &base, &rx).await;

    // Let the audit chainer catch up, stop gracefully, and verify the chains offline.
    tokio::time::sleep(Duration::from_secs(2)).await;
    serve.signal("TERM");
    assert!(serve.exited(Duration::from_secs(30)).await.success(), "serve stops cleanly on SIGTERM");
    let (ok, report) = audit_verify(&scratch);
    assert!(ok, "paylink audit verify failed: {report}");
    drop(serve);
    scratch.cleanup();
}

/// One test per backend, named like the `both!` tests so CI's PostgreSQL pass runs it.
mod every_write_answered_before_repeated_sigkills_survives_with_its_events_delivered_in_sequence {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        crash_and_recover(Scratch::sqlite()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(server) = postgres_url() else { return };
        crash_and_recover(Scratch::postgres(server)).await;
    }
}
