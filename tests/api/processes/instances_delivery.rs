//! Webhook delivery by three `paylink serve` processes on one PostgreSQL database: the work is
//! shared, no delivery is sent twice at the same time, and the deliveries of an instance killed
//! with SIGKILL are taken over once their lease runs out. Who sent a request is read from its
//! `User-Agent` (each instance is configured with its own, see `cluster`).

use super::cluster::{Cluster, NAMES, agent};
use super::harness::eventually;
use crate::receiver::{Behaviour, Received, Receiver};
use serde_json::json;
use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

/// The instance a request came from.
fn sender(r: &Received) -> &'static str {
    let ua = r.headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or_default();
    NAMES.into_iter().find(|n| ua == agent(n)).unwrap_or("?")
}

/// Creates `n` links, `parallel` at a time, spread over the instances.
async fn create_links(cluster: &Cluster, n: usize, parallel: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..parallel {
        let (api, bases) = (cluster.api.clone(), cluster.bases.clone());
        tasks.spawn(async move {
            for i in (worker..n).step_by(parallel) {
                let body = json!({"amount": "1.00", "title": format!("Event {i}")});
                let (status, body) = api.post(&bases[i % bases.len()], "/v1/payment_links", body).await;
                assert_eq!(status, 201, "{body}");
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}

fn unique_ids(rx: &Receiver) -> HashSet<String> {
    rx.all().into_iter().map(|r| r.id).collect()
}

mod five_thousand_events_to_one_endpoint_are_delivered_by_all_three_instances_never_twice_at_once {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let env = [
            ("PAYLINK_DELIVERY_LEASE_SECS", "30"),
            ("PAYLINK_DELIVERY_REQUEST_TIMEOUT_SECS", "10"),
            ("PAYLINK_DELIVERY_BATCH", "16"),
            ("PAYLINK_DELIVERY_CONCURRENCY", "16"),
        ];
        let Some(cluster) = Cluster::start(&env).await else { return };
        let rx = Receiver::start().await;
        rx.on("many", Behaviour { delay: Duration::from_millis(5), ..Default::default() });
        let (status, e) =
            cluster.api.post(cluster.base(0), "/v1/webhook_endpoints", json!({"url": rx.url("many")})).await;
        assert_eq!(status, 201, "{e}");
        create_links(&cluster, 5000, 24).await;
        let all = eventually(Duration::from_secs(120), async || unique_ids(&rx).len() >= 5000).await;
        let got = rx.all();
        let mut by_instance = BTreeMap::new();
        for r in &got {
            *by_instance.entry(sender(r)).or_insert(0) += 1;
        }
        println!("5000 events: {} requests, by instance {by_instance:?}, {} overlapping", got.len(), rx.overlaps());
        assert!(all, "only {} of 5000 events delivered", unique_ids(&rx).len());
        assert_eq!(rx.overlaps(), 0, "a delivery was being sent twice at the same time");
        assert_eq!(by_instance.get("?"), None, "every request names its instance");
        for name in NAMES {
            let n = by_instance.get(name).copied().unwrap_or(0);
            assert!(n >= 250, "instance {name} sent {n} of 5000 (the work is shared: at least 5% each)");
        }
    }
}

mod deliveries_leased_by_an_instance_killed_with_sigkill_are_taken_over_after_the_lease {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let env = [
            ("PAYLINK_DELIVERY_LEASE_SECS", "4"),
            ("PAYLINK_DELIVERY_REQUEST_TIMEOUT_SECS", "3"),
            ("PAYLINK_DELIVERY_BATCH", "8"),
            ("PAYLINK_DELIVERY_CONCURRENCY", "8"),
        ];
        let Some(mut cluster) = Cluster::start(&env).await else { return };
        let rx = Receiver::start().await;
        // Slow: a request is in flight for 1.5 s, so the victim dies holding leases.
        rx.on("slow", Behaviour { delay: Duration::from_millis(1500), ..Default::default() });
        let (status, e) =
            cluster.api.post(cluster.base(1), "/v1/webhook_endpoints", json!({"url": rx.url("slow")})).await;
        assert_eq!(status, 201, "{e}");
        create_links(&cluster, 90, 6).await;
        let sending = eventually(Duration::from_secs(20), async || rx.all().iter().any(|r| sender(r) == "a")).await;
        assert!(sending, "instance a started sending");
        let killed_at = std::time::Instant::now();
        cluster.procs[0].take().unwrap().kill();
        let in_flight: HashSet<String> = rx.all().into_iter().filter(|r| sender(r) == "a").map(|r| r.id).collect();
        let all = eventually(Duration::from_secs(60), async || unique_ids(&rx).len() >= 90).await;
        assert!(all, "only {} of 90 events delivered after the kill", unique_ids(&rx).len());
        // What a was sending when it died was sent again by b or c, after its lease: at least
        // 4 s after a claimed it, so at least 3 s after a's request arrived (1 s of slack for
        // the claim-to-arrival time).
        let got = rx.all();
        let first_from_a = |id: &str| got.iter().find(|r| r.id == id && sender(r) == "a").map(|r| r.at);
        let mut taken_over = 0;
        for r in got.iter().filter(|r| sender(r) != "a" && in_flight.contains(&r.id)) {
            let waited = r.at - first_from_a(&r.id).unwrap();
            assert!(waited >= Duration::from_secs(3), "{} was taken over {waited:?} after a sent it", r.id);
            taken_over += 1;
        }
        println!(
            "killed a with {} requests received from it; {taken_over} taken over; all 90 delivered {:?} after the kill",
            in_flight.len(),
            killed_at.elapsed()
        );
        assert!(taken_over > 0, "the deliveries a held were sent again by the others");
        assert_eq!(rx.overlaps(), 0, "a delivery was taken over before its lease ran out");
    }
}
