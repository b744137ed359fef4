//! Several `paylink worker` processes on one PostgreSQL database: no delivery sent twice at the
//! same time, all delivered.

use super::harness::{Api, Proc, free_port, printed_key, wait_ready};
use crate::admin::Scratch;
use crate::helpers::postgres_url;
use crate::receiver::{Behaviour, Receiver};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Link ids of `payment_link.created` events the receiver got.
fn received_links(rx: &Receiver) -> HashSet<String> {
    rx.all()
        .iter()
        .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
        .filter(|b| b["type"] == "payment_link.created")
        .map(|b| b["object_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Three workers start together on 600 due deliveries; the receiver answers slowly so that two
/// sends of one delivery would overlap.
mod three_worker_processes_on_one_postgresql_never_send_a_delivery_twice_at_once {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(server) = postgres_url() else { return };
        let scratch = Scratch::postgres(server);
        let rx = Receiver::start().await;
        rx.on("multi", Behaviour { delay: Duration::from_millis(5), ..Default::default() });
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let serve = Proc::start(&scratch, &["serve"], port, &[("PAYLINK_DELIVERY_ENABLED", "false")]);
        wait_ready(&base).await;
        let api = Api::new(&printed_key(&scratch));
        assert_eq!(api.post(&base, "/v1/webhook_endpoints", json!({"url": rx.url("multi")})).await.0, 201);
        for i in 0..600 {
            let (status, l) =
                api.post(&base, "/v1/payment_links", json!({"amount": "1.00", "title": format!("W{i}")})).await;
            assert_eq!(status, 201, "{l}");
        }
        let small_batches = [("PAYLINK_DELIVERY_BATCH", "16"), ("PAYLINK_DELIVERY_CONCURRENCY", "16")];
        let workers: Vec<Proc> =
            (0..3).map(|_| Proc::start(&scratch, &["worker"], free_port(), &small_batches)).collect();
        let started = Instant::now();
        while received_links(&rx).len() < 600 && started.elapsed() < Duration::from_secs(60) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let got = rx.all();
        let unique: HashSet<&str> = got.iter().map(|r| r.id.as_str()).collect();
        println!("{} deliveries of {} events by 3 workers, {} overlapping", got.len(), unique.len(), rx.overlaps());
        assert_eq!(unique.len(), 600, "all delivered");
        assert_eq!(rx.overlaps(), 0, "a delivery was being sent twice at the same time");
        assert_eq!(got.len(), 600, "each delivery sent once (no failures, so no retries)");
        drop((serve, workers));
        scratch.cleanup();
    }
}
