//! Serving `/metrics`: on its own listener (`metrics.listen`, loopback by default, no
//! authentication) and, when `metrics.token` is set, on the main listener behind
//! `Authorization: Bearer <token>`. A scrape first sets the gauges read from elsewhere (the outbox
//! backlog from the database, the pool, `/proc/self`), then encodes the registry in the
//! OpenMetrics text format, which Prometheus asks for and reads.

use super::{FloatGauge, Labels, Metrics, process};
use crate::api::error::ApiError;
use crate::service::Ctx;
use crate::store::outbox_stats;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};

/// The outbox's kinds: deliveries (webhook, callback, dialect callback) and messages (sms, email).
pub const KINDS: [&str; 5] = ["webhook", "callback", "dialect_callback", "sms", "email"];

/// The media type of the OpenMetrics text format.
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The gauges a scrape sets.
pub(super) struct Gauges {
    pending: Family<Labels<1>, Gauge>,
    oldest_due: Family<Labels<1>, FloatGauge>,
    pool_size: Family<Labels<1>, Gauge>,
    pool_in_use: Family<Labels<1>, Gauge>,
    /// `None` where `/proc/self` cannot be read: then nothing is reported.
    process: Option<(Gauge, Gauge)>,
}

impl Gauges {
    pub(super) fn register(r: &mut Registry) -> Gauges {
        let g = Gauges {
            pending: Family::default(),
            oldest_due: Family::default(),
            pool_size: Family::default(),
            pool_in_use: Family::default(),
            process: process::rss_bytes().map(|_| (Gauge::default(), Gauge::default())),
        };
        r.register("paylink_outbox_pending", "Deliveries and messages waiting to be sent, by kind", g.pending.clone());
        r.register(
            "paylink_outbox_oldest_due_age_seconds",
            "How long the oldest due item of each kind has waited past its time (0: none overdue)",
            g.oldest_due.clone(),
        );
        r.register("paylink_db_pool_connections", "Connections in the pool", g.pool_size.clone());
        r.register("paylink_db_pool_connections_in_use", "Connections taken from the pool now", g.pool_in_use.clone());
        if let Some((rss, files)) = &g.process {
            r.register("paylink_process_resident_memory_bytes", "Resident memory of this process", rss.clone());
            r.register("paylink_process_open_files", "Open file descriptors of this process", files.clone());
        }
        g
    }
}

/// Sets the scrape-time gauges and encodes every metric.
pub async fn render(ctx: &Ctx) -> String {
    let m = &ctx.metrics;
    refresh_outbox(ctx).await;
    let pool = ctx.db.pool_use();
    m.gauges.pool_size.get_or_create(&[("pool", pool.pool)]).set(pool.size as i64);
    m.gauges.pool_in_use.get_or_create(&[("pool", pool.pool)]).set(pool.in_use as i64);
    if let Some((rss, files)) = &m.gauges.process {
        rss.set(process::rss_bytes().unwrap_or(0) as i64);
        files.set(process::open_files().unwrap_or(0) as i64);
    }
    encode(m)
}

/// The registry in the text format.
pub fn encode(m: &Metrics) -> String {
    let mut text = String::with_capacity(16 * 1024);
    if let Err(e) = prometheus_client::encoding::text::encode(&mut text, m.registry()) {
        tracing::warn!(error = %e, "could not encode the metrics");
    }
    text
}

/// Reads the backlog. A failed read is logged and leaves the previous figures (the other
/// metrics are still worth serving while the database is away).
async fn refresh_outbox(ctx: &Ctx) {
    let waiting = match ctx.db.read(outbox_stats::waiting).await {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(error = %e, "metrics: could not read the outbox backlog");
            return;
        }
    };
    let now = ctx.clock.now().micros();
    for kind in KINDS {
        let found = waiting.iter().find(|w| w.kind == kind);
        let count = found.map_or(0, |w| w.count);
        let overdue_micros = found.map_or(0, |w| (now - w.earliest).max(0));
        ctx.metrics.gauges.pending.get_or_create(&[("kind", kind)]).set(count);
        ctx.metrics.gauges.oldest_due.get_or_create(&[("kind", kind)]).set(overdue_micros as f64 / 1e6);
    }
}

fn metrics_response(text: String) -> Response {
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response()
}

/// `/metrics` on the metrics listener: no authentication (it listens where the operator chose).
async fn open_metrics(State(ctx): State<Ctx>) -> Response {
    metrics_response(render(&ctx).await)
}

/// `/metrics` on the main listener: only with the configured bearer token.
pub async fn guarded_metrics(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    let given =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(token) if same_secret(token, &ctx.config.metrics.token.0) => metrics_response(render(&ctx).await),
        _ => ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "send Authorization: Bearer <metrics.token>")
            .into_response(),
    }
}

/// Compares the digests, in time independent of where they differ (and of the token's length).
fn same_secret(given: &str, expected: &str) -> bool {
    let (a, b) = (Sha256::digest(given.as_bytes()), Sha256::digest(expected.as_bytes()));
    !expected.is_empty() && a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The metrics listener's whole surface: `/metrics`, and 404 for anything else.
pub fn router(ctx: Ctx) -> Router {
    Router::new()
        .route("/metrics", get(open_metrics))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "ROUTE_NOT_FOUND", "no such route") })
        .with_state(ctx)
}

/// Binds `metrics.listen`; `None` when it is empty (the listener is off). The error names the
/// setting, so an operator knows which address to change.
pub async fn bind(ctx: &Ctx) -> Result<Option<tokio::net::TcpListener>, String> {
    let address = ctx.config.metrics.listen.trim();
    if address.is_empty() {
        return Ok(None);
    }
    let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
        format!(
            "cannot listen on {address} for metrics (metrics.listen, PAYLINK_METRICS_LISTEN; empty turns it off): {e}"
        )
    })?;
    tracing::info!(address, "metrics listening");
    Ok(Some(listener))
}

/// Serves [`router`] on `listener` in the background, for as long as the process runs.
pub fn spawn(listener: tokio::net::TcpListener, ctx: Ctx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router(ctx)).await {
            tracing::error!(error = %e, "the metrics listener stopped");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_configured_token_matches_and_an_empty_one_never_does() {
        assert!(same_secret("s3cret-token", "s3cret-token"));
        assert!(!same_secret("s3cret-tokem", "s3cret-token"));
        assert!(!same_secret("s3cret", "s3cret-token"));
        assert!(!same_secret("", ""));
    }

    #[test]
    fn a_fresh_registry_encodes_counters_and_fixed_buckets() {
        let m = Metrics::new();
        m.payment("card", "succeeded");
        m.delivery_attempt("webhook", "delivered", Some(std::time::Duration::from_millis(30)));
        let text = encode(&m);
        assert!(text.contains("paylink_payments_total{method=\"card\",outcome=\"succeeded\"} 1"), "{text}");
        assert!(text.contains("paylink_delivery_receiver_seconds_bucket{le=\"0.025\",kind=\"webhook\"} 0"), "{text}");
        assert!(text.contains("paylink_delivery_receiver_seconds_bucket{le=\"0.05\",kind=\"webhook\"} 1"), "{text}");
        assert!(text.trim_end().ends_with("# EOF"), "{text}");
    }
}
