//! Requests by route template, method and status class, with their latency. The route is the
//! template axum matched (`/v1/payment_links/{id}`), never the raw path: ids in label values
//! would make a series per link. A request no route matched is `unmatched`.

use super::{Histograms, Labels, Metrics, latency_histogram};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;
use std::collections::HashSet;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

/// The route label of a request no route matched.
pub const UNMATCHED: &str = "unmatched";

/// The HTTP metrics.
pub struct HttpMetrics {
    requests: Family<Labels<3>, Counter>,
    seconds: Histograms<2>,
}

impl HttpMetrics {
    pub(super) fn register(r: &mut Registry) -> HttpMetrics {
        let m = HttpMetrics {
            requests: Family::default(),
            seconds: Family::new_with_constructor(latency_histogram as fn() -> _),
        };
        r.register(
            "paylink_http_requests",
            "HTTP requests by route template, method and status class",
            m.requests.clone(),
        );
        r.register(
            "paylink_http_request_duration_seconds",
            "Seconds until the response head, by route template and method",
            m.seconds.clone(),
        );
        m
    }

    /// Records one request.
    pub fn observe(&self, route: &'static str, method: &'static str, status: StatusCode, started: Instant) {
        let class = status_class(status);
        self.requests.get_or_create(&[("route", route), ("method", method), ("status", class)]).inc();
        self.seconds.get_or_create(&[("route", route), ("method", method)]).observe(started.elapsed().as_secs_f64());
    }
}

/// Middleware (a `Router::layer`, so it runs inside routing and sees the matched template).
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or(UNMATCHED, |p| intern(p.as_str()));
    let method = method_label(req.method());
    let started = Instant::now();
    let response = next.run(req).await;
    metrics.http.observe(route, method, response.status(), started);
    response
}

/// `2xx`, `4xx`, …
pub fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() / 100 {
        1 => "1xx",
        2 => "2xx",
        3 => "3xx",
        4 => "4xx",
        _ => "5xx",
    }
}

/// The standard methods by name; anything else is `other` (method names are client input).
pub fn method_label(m: &Method) -> &'static str {
    static KNOWN: [Method; 7] =
        [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::HEAD, Method::OPTIONS];
    KNOWN.iter().find(|k| *k == m).map_or("other", |k| k.as_str())
}

/// The route template as a `&'static str`. Templates come from the router's own table, so the
/// set is small and fixed; each is leaked once per process, and a request after the first finds
/// its template under a read lock without allocating.
fn intern(template: &str) -> &'static str {
    static TEMPLATES: OnceLock<RwLock<HashSet<&'static str>>> = OnceLock::new();
    let set = TEMPLATES.get_or_init(Default::default);
    if let Some(found) = set.read().unwrap_or_else(|p| p.into_inner()).get(template) {
        return found;
    }
    let mut set = set.write().unwrap_or_else(|p| p.into_inner());
    if let Some(found) = set.get(template) {
        return found;
    }
    let leaked: &'static str = Box::leak(template.to_owned().into_boxed_str());
    set.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_interned_once() {
        let a = intern("/v1/things/{id}");
        let b = intern(&String::from("/v1/things/{id}"));
        assert!(std::ptr::eq(a, b));
        assert_eq!(a, "/v1/things/{id}");
    }

    #[test]
    fn statuses_fall_in_their_class_and_odd_methods_are_other() {
        assert_eq!(status_class(StatusCode::NO_CONTENT), "2xx");
        assert_eq!(status_class(StatusCode::NOT_FOUND), "4xx");
        assert_eq!(status_class(StatusCode::BAD_GATEWAY), "5xx");
        assert_eq!(method_label(&Method::PATCH), "PATCH");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
    }
}
