//! Prometheus metrics: one registry per context ([`Metrics`], in `Ctx`), so several applications in
//! one process (the API tests) never mix their figures. Counters and histograms are updated where
//! each thing happens (the HTTP layer, the service functions, the outbox workers, the storage
//! layer); what lives in the database (the outbox backlog) and in `/proc` is read when scraped.
//! Names carry the `paylink_` prefix and their unit; histogram buckets are fixed, so the series
//! of several instances add up. docs/metrics.md lists every metric.

pub mod http;
pub mod process;
pub mod scrape;

use crate::store::stats::StoreStats;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// A label set of `N` fixed names, each with a value from a closed set (`&'static str`): looking
/// one up hashes a few pointers' worth of text and allocates nothing.
pub type Labels<const N: usize> = [(&'static str, &'static str); N];

/// A histogram family with fixed buckets (the constructor makes each series with them).
pub type Histograms<const N: usize> = Family<Labels<N>, Histogram, fn() -> Histogram>;

/// A float gauge (ages in seconds).
type FloatGauge = Gauge<f64, AtomicU64>;

/// Upper bounds of the latency buckets, seconds: HTTP requests and webhook receivers.
pub const LATENCY_BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// Every metric of one application, and the registry that encodes them.
pub struct Metrics {
    registry: Registry,
    /// Requests by route template, method and status class, and their latency.
    pub http: http::HttpMetrics,
    links_created: Counter,
    payments: Family<Labels<2>, Counter>,
    refunds: Family<Labels<1>, Counter>,
    messages: Family<Labels<2>, Counter>,
    logins: Family<Labels<1>, Counter>,
    attempts: Family<Labels<2>, Counter>,
    receiver_seconds: Histograms<1>,
    /// The storage layer's own measurements (handed to `Db::open`).
    pub store: Arc<StoreStats>,
    /// Gauges set when scraped (the outbox, the pool, the process).
    gauges: scrape::Gauges,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric at zero.
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let http = http::HttpMetrics::register(&mut registry);
        let m = Metrics {
            http,
            links_created: Counter::default(),
            payments: Family::default(),
            refunds: Family::default(),
            messages: Family::default(),
            logins: Family::default(),
            attempts: Family::default(),
            receiver_seconds: Family::new_with_constructor(latency_histogram as fn() -> _),
            store: Arc::new(StoreStats::default()),
            gauges: scrape::Gauges::register(&mut registry),
            registry: Registry::default(),
        };
        m.register_business(&mut registry);
        m.register_outbox_and_store(&mut registry);
        Metrics { registry, ..m }
    }

    fn register_business(&self, r: &mut Registry) {
        r.register(
            "paylink_links_created",
            "Payment links created (API, dialects, dashboard)",
            self.links_created.clone(),
        );
        r.register("paylink_payments", "Payments that reached an end, by method and outcome", self.payments.clone());
        r.register("paylink_refunds", "Refunds that reached a status, by status", self.refunds.clone());
        r.register("paylink_messages", "SMS and e-mail send attempts, by channel and outcome", self.messages.clone());
        r.register("paylink_dashboard_logins", "Dashboard sign-in attempts, by outcome", self.logins.clone());
    }

    fn register_outbox_and_store(&self, r: &mut Registry) {
        let s = &self.store;
        r.register(
            "paylink_delivery_attempts",
            "Webhook and callback attempts, by kind and outcome",
            self.attempts.clone(),
        );
        r.register(
            "paylink_delivery_receiver_seconds",
            "How long receivers took to answer (or fail), by kind",
            self.receiver_seconds.clone(),
        );
        r.register(
            "paylink_sqlite_write_batch_size",
            "Writes per SQLite durable transaction",
            s.write_batch_size.clone(),
        );
        r.register("paylink_sqlite_commit_seconds", "Seconds one SQLite COMMIT (fsync) took", s.commit_seconds.clone());
        r.register("paylink_db_pool_waits", "Times every pooled connection was busy", s.pool_waits.clone());
        r.register(
            "paylink_db_pool_wait_seconds",
            "Seconds spent waiting for a connection",
            s.pool_wait_seconds.clone(),
        );
    }

    /// A payment link was created.
    pub fn link_created(&self) {
        self.links_created.inc();
    }

    /// A payment ended: `method` (`card`, …) and `outcome` (`succeeded`, `failed`, `cancelled`).
    pub fn payment(&self, method: &'static str, outcome: &'static str) {
        self.payments.get_or_create(&[("method", method), ("outcome", outcome)]).inc();
    }

    /// A refund reached `status`.
    pub fn refund(&self, status: &'static str) {
        self.refunds.get_or_create(&[("status", status)]).inc();
    }

    /// A message attempt on `channel` ended `outcome` (`sent`, `retry`, `failed`).
    pub fn message(&self, channel: &'static str, outcome: &'static str) {
        self.messages.get_or_create(&[("channel", channel), ("outcome", outcome)]).inc();
    }

    /// A dashboard sign-in ended `outcome` (`success`, `failure`, `locked`, `error`).
    pub fn login(&self, outcome: &'static str) {
        self.logins.get_or_create(&[("outcome", outcome)]).inc();
    }

    /// A delivery attempt of `kind` ended `outcome`; `took` is the receiver's time, when a
    /// request was made.
    pub fn delivery_attempt(&self, kind: &'static str, outcome: &'static str, took: Option<Duration>) {
        self.attempts.get_or_create(&[("kind", kind), ("outcome", outcome)]).inc();
        if let Some(took) = took {
            self.receiver_seconds.get_or_create(&[("kind", kind)]).observe(took.as_secs_f64());
        }
    }

    /// The registry, for encoding.
    pub(crate) fn registry(&self) -> &Registry {
        &self.registry
    }
}
