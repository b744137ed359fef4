//! Graceful shutdown of `paylink serve`: on SIGTERM a request in flight still completes (2xx) and
//! is kept; on SIGINT the delivery loop starts no new send, finishes and records the sends in
//! flight, and leaves the rest to the next instance at once (not when a lease runs out).

use super::harness::{Api, Proc, eventually, free_port, printed_key, wait_ready};
use crate::admin::Scratch;
use crate::helpers::postgres_url;
use crate::receiver::{Behaviour, Receiver};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A client uploading a link's body slowly: half of it, SIGTERM, a second's pause, the rest.
async fn slow_request_completes(scratch: Scratch) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut serve = Proc::start(&scratch, &["serve"], port, &[]);
    wait_ready(&base).await;
    let key = printed_key(&scratch);
    let body = json!({"amount": "9.00", "title": "Uploaded slowly"}).to_string();
    let head = format!(
        "POST /v1/payment_links HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    serve.signal("TERM");
    tokio::time::sleep(Duration::from_secs(1)).await;
    stream.write_all(&body.as_bytes()[10..]).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection was closed after the answer");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    assert!(answer.starts_with("HTTP/1.1 201"), "the request in flight completes: {answer}");
    let link: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap_or_default()).unwrap();
    assert!(serve.exited(Duration::from_secs(15)).await.success(), "serve exits cleanly after draining");

    let serve = Proc::start(&scratch, &["serve"], port, &[]);
    wait_ready(&base).await;
    let (status, read) =
        Api::new(&key).get(&base, &format!("/v1/payment_links/{}", link["id"].as_str().unwrap())).await;
    assert_eq!((status, read["title"].as_str()), (200, Some("Uploaded slowly")), "the answered write is kept");
    drop(serve);
    scratch.cleanup();
}

/// Settings of an instance sending to a slow receiver: 4 at a time, 60 s leases, its own agent.
fn slow_sender(agent: &str) -> [(&str, &str); 5] {
    [
        ("PAYLINK_DELIVERY_LEASE_SECS", "60"),
        ("PAYLINK_DELIVERY_REQUEST_TIMEOUT_SECS", "10"),
        ("PAYLINK_DELIVERY_CONCURRENCY", "4"),
        ("PAYLINK_DELIVERY_BATCH", "4"),
        ("PAYLINK_EGRESS_USER_AGENT", agent),
    ]
}

/// Queues 16 events for an endpoint at `url` with delivery off (so the next instance claims
/// four at once when it starts); the demo merchant's API client.
async fn queue_sixteen_events(scratch: &Scratch, port: u16, url: String) -> Api {
    let base = format!("http://127.0.0.1:{port}");
    let setup = Proc::start(scratch, &["serve"], port, &[("PAYLINK_DELIVERY_ENABLED", "false")]);
    wait_ready(&base).await;
    let api = Api::new(&printed_key(scratch));
    let (status, e) = api.post(&base, "/v1/webhook_endpoints", json!({"url": url})).await;
    assert_eq!(status, 201, "{e}");
    for i in 0..16 {
        let (status, l) =
            api.post(&base, "/v1/payment_links", json!({"amount": "3.00", "title": format!("S{i}")})).await;
        assert_eq!(status, 201, "{l}");
    }
    setup.kill();
    api
}

/// Instance a sends to a slow receiver with every slot busy when SIGINT arrives; instance b,
/// started after a exits, delivers the rest long before a's 60 s leases would run out.
async fn unsent_deliveries_go_to_the_next_instance_at_once(scratch: Scratch) {
    let rx = Receiver::start().await;
    rx.on("slow", Behaviour { delay: Duration::from_secs(2), ..Default::default() });
    let from =
        |agent: &str| rx.all().iter().filter(|r| r.headers.get("user-agent").is_some_and(|v| v == agent)).count();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    queue_sixteen_events(&scratch, port, rx.url("slow")).await;
    let mut a = Proc::start(&scratch, &["serve"], port, &slow_sender("instance a"));
    wait_ready(&base).await;
    // Every slot busy for the next two seconds: no new send could start before the signal.
    assert!(eventually(Duration::from_secs(20), async || from("instance a") >= 4).await, "a is sending");
    let before = from("instance a");
    a.signal("INT");
    assert!(a.exited(Duration::from_secs(20)).await.success(), "a exits cleanly on SIGINT");
    assert_eq!(from("instance a"), before, "a started no send after the signal");

    let b = Proc::start(&scratch, &["serve"], port, &slow_sender("instance b"));
    wait_ready(&base).await;
    let all = eventually(Duration::from_secs(30), async || {
        rx.all().into_iter().map(|r| r.id).collect::<HashSet<_>>().len() >= 16
    })
    .await;
    println!("a sent {before} before SIGINT; b sent {}", from("instance b"));
    assert!(all, "b delivered the rest within 30 s (a's leases were 60 s)");
    assert_eq!(rx.all().len(), 16, "what a sent was recorded before it exited, so nothing was sent twice");
    assert_eq!(rx.overlaps(), 0);
    drop(b);
    scratch.cleanup();
}

mod a_request_in_flight_when_sigterm_arrives_completes_and_is_kept {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        slow_request_completes(Scratch::sqlite()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(server) = postgres_url() else { return };
        slow_request_completes(Scratch::postgres(server)).await;
    }
}

mod on_sigint_the_delivery_loop_finishes_its_sends_and_leaves_the_rest_to_the_next_instance {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        unsent_deliveries_go_to_the_next_instance_at_once(Scratch::sqlite()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(server) = postgres_url() else { return };
        unsent_deliveries_go_to_the_next_instance_at_once(Scratch::postgres(server)).await;
    }
}

/// Whether any delivery is due at `now` (in-process, on the test app's database).
async fn any_due(app: &crate::helpers::TestApp, now: paylink::domain::Timestamp) -> bool {
    app.ctx.db.read(move |c| paylink::store::deliveries::any_due(c, now)).await.unwrap()
}

crate::both!(a_delivery_handed_back_on_shutdown_is_due_at_once_and_only_under_its_own_lease, |app: std::sync::Arc<
    crate::helpers::TestApp,
>| async move {
    use paylink::store::deliveries::{claim, release};
    let r = app.post(&app.owner_key, "/v1/webhook_endpoints", json!({"url": "http://127.0.0.1:9/hook"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    app.create_link(&app.owner_key, json!({"amount": "2.00", "title": "Handed back"})).await;
    paylink::service::events::sequence_pending(&app.ctx).await.unwrap();
    let (now, lease_end) = (app.ctx.clock.now(), app.ctx.clock.now().plus_secs(600));
    let ids = app.ctx.db.write(move |c| claim(c, now, lease_end, "first", 10)).await.unwrap();
    assert_eq!(ids.len(), 1, "one delivery claimed");
    assert!(!any_due(&app, now).await, "leased for ten minutes");
    let wrong = vec![(ids[0], "another worker".to_owned())];
    app.ctx.db.write(move |c| release(c, &wrong, now)).await.unwrap();
    assert!(!any_due(&app, now).await, "a worker gives back only what it holds");
    let mine = vec![(ids[0], "first".to_owned())];
    app.ctx.db.write(move |c| release(c, &mine, now)).await.unwrap();
    assert!(any_due(&app, now).await, "handed back: due at once");
    let again = app.ctx.db.write(move |c| claim(c, now, lease_end, "second", 10)).await.unwrap();
    assert_eq!(again, ids, "another worker takes it at once");
});
