//! The egress client against a receiver on 127.0.0.1 that counts requests and TCP connections,
//! so a refusal can be shown to have sent nothing at all.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::serve::ListenerExt;
use paylink::config::EgressSettings;
use paylink::domain::Environment;
use paylink::egress::{Egress, EgressError, OutboundRequest, OutboundResponse, Reach};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const LOCAL: Reach = Reach { loopback: true, private: false };

/// The parts of a delivered request the tests look at.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    user_agent: String,
    content_type: String,
    signature: String,
    body: String,
}

#[derive(Clone, Default)]
struct Receiver {
    port: u16,
    requests: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
    /// What each `/hook` request carried.
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Receiver {
    async fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let receiver = Receiver { port: listener.local_addr().unwrap().port(), ..Receiver::default() };
        let connections = receiver.connections.clone();
        let listener = listener.tap_io(move |_| {
            connections.fetch_add(1, Ordering::SeqCst);
        });
        let app = Router::new()
            .route("/hook", post(hook))
            .route("/redirect", post(|| async { (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/target")]) }))
            .route("/target", post(|| async { "target" }))
            .route("/busy", post(|| async { (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "120")]) }))
            .route("/busy-until", post(busy_until))
            .route("/huge", post(|| async { "x".repeat(1 << 20) }))
            .layer(middleware::from_fn_with_state(receiver.clone(), count))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        receiver
    }

    fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

async fn count(State(receiver): State<Receiver>, request: Request, next: Next) -> Response {
    receiver.requests.fetch_add(1, Ordering::SeqCst);
    next.run(request).await
}

async fn hook(State(receiver): State<Receiver>, headers: HeaderMap, body: String) -> impl IntoResponse {
    let get = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let seen =
        Seen { user_agent: get("user-agent"), content_type: get("content-type"), signature: get("x-signature"), body };
    receiver.seen.lock().unwrap().push(seen);
    (StatusCode::ACCEPTED, "received, thanks")
}

async fn busy_until() -> impl IntoResponse {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let at = (time::OffsetDateTime::now_utc() + time::Duration::hours(1)).format(format).unwrap();
    (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, at)])
}

/// Reads until the test body's last byte: answering earlier would confuse the client.
async fn read_whole_request(socket: &mut tokio::net::TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.ends_with(b"}") {
        let n = socket.read(&mut buf).await.unwrap();
        assert!(n > 0, "the client closed before sending its body");
        seen.extend_from_slice(&buf[..n]);
    }
}

/// A peer that accepts connections and then says nothing.
async fn silent_peer() -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (addr, task)
}

fn egress() -> Egress {
    Egress::new(&EgressSettings {
        allow_loopback_sandbox: true,
        allow_private_sandbox: false,
        allow_loopback_production: false,
        allow_private_production: false,
        connect_timeout_secs: 2,
        user_agent: "Paylink-test/1".into(),
    })
}

fn request(url: &str) -> OutboundRequest {
    OutboundRequest {
        url: url.to_string(),
        headers: vec![("x-signature".into(), "v1,secret-signature".into())],
        body: br#"{"type":"payment.succeeded"}"#.to_vec(),
        timeout: Duration::from_secs(5),
        max_response_bytes: 64 * 1024,
    }
}

async fn send(reach: Reach, url: &str) -> Result<OutboundResponse, EgressError> {
    egress().post(reach, request(url)).await
}

#[tokio::test]
async fn a_post_arrives_with_its_body_and_headers_and_the_answer_comes_back() {
    let receiver = Receiver::start().await;
    let response = send(LOCAL, &receiver.url("127.0.0.1", "/hook")).await.unwrap();
    assert_eq!(response.status, 202);
    assert_eq!(response.body, b"received, thanks");
    assert_eq!(response.retry_after, None);
    let seen = receiver.seen.lock().unwrap().clone();
    let expected = Seen {
        user_agent: "Paylink-test/1".into(),
        content_type: "application/json".into(),
        signature: "v1,secret-signature".into(),
        body: r#"{"type":"payment.succeeded"}"#.into(),
    };
    assert_eq!(seen, vec![expected]);
}

#[tokio::test]
async fn every_spelling_of_loopback_is_refused_under_public_only_and_nothing_is_sent() {
    let receiver = Receiver::start().await;
    for host in ["127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "[::1]"] {
        let err = send(Reach::PUBLIC_ONLY, &receiver.url(host, "/hook")).await.unwrap_err();
        assert!(matches!(err, EgressError::Refused(_)), "{host}: {err}");
        assert_eq!(err.code(), "refused");
        let message = err.to_string();
        assert!(message.contains("loopback") && !message.contains("secret"), "{host}: {message}");
    }
    assert_eq!(receiver.requests(), 0);
    assert_eq!(receiver.connections.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_at_connect_time() {
    let receiver = Receiver::start().await;
    let err = send(Reach::PUBLIC_ONLY, &receiver.url("localhost", "/hook")).await.unwrap_err();
    assert!(matches!(&err, EgressError::Refused(m) if m.contains("loopback")), "{err}");
    assert_eq!(receiver.requests(), 0);
    let allowed = send(LOCAL, &receiver.url("localhost", "/hook")).await.unwrap();
    assert_eq!(allowed.status, 202);
}

#[tokio::test]
async fn a_redirect_is_returned_as_is_and_never_followed() {
    let receiver = Receiver::start().await;
    let response = send(LOCAL, &receiver.url("127.0.0.1", "/redirect")).await.unwrap();
    assert_eq!(response.status, 301);
    assert_eq!(receiver.requests(), 1, "the Location target must get nothing");
}

#[tokio::test]
async fn a_receiver_that_never_answers_times_out_within_the_timeout() {
    let (addr, _peer) = silent_peer().await;
    let mut slow = request(&format!("http://{addr}/hook"));
    slow.timeout = Duration::from_millis(300);
    let started = Instant::now();
    let err = egress().post(LOCAL, slow).await.unwrap_err();
    assert!(matches!(err, EgressError::Timeout), "{err}");
    assert_eq!(err.code(), "timeout");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_huge_response_body_is_cut_at_the_bound() {
    let receiver = Receiver::start().await;
    let mut huge = request(&receiver.url("127.0.0.1", "/huge"));
    huge.max_response_bytes = 1000;
    let response = egress().post(LOCAL, huge).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body, vec![b'x'; 1000]);
}

#[tokio::test]
async fn an_endless_response_body_is_not_drained() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_whole_request(&mut socket).await;
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 1000000000000\r\n\r\n";
        socket.write_all(head).await.unwrap();
        while socket.write_all(&[b'y'; 16 * 1024]).await.is_ok() {}
    });
    let mut endless = request(&format!("http://{addr}/hook"));
    endless.max_response_bytes = 100_000;
    let response = egress().post(LOCAL, endless).await.unwrap();
    assert_eq!(response.body.len(), 100_000);
    assert!(response.latency < Duration::from_secs(5));
}

#[tokio::test]
async fn retry_after_in_seconds_and_as_an_http_date_come_back_as_waits() {
    let receiver = Receiver::start().await;
    let seconds = send(LOCAL, &receiver.url("127.0.0.1", "/busy")).await.unwrap();
    assert_eq!((seconds.status, seconds.retry_after), (503, Some(Duration::from_secs(120))));
    let date = send(LOCAL, &receiver.url("127.0.0.1", "/busy-until")).await.unwrap();
    let wait = date.retry_after.expect("an HTTP-date Retry-After");
    assert_eq!(date.status, 429);
    assert!(wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600), "{wait:?}");
}

#[tokio::test]
async fn sequential_requests_reuse_pooled_connections() {
    let receiver = Receiver::start().await;
    let egress = egress();
    for _ in 0..50 {
        let response = egress.post(LOCAL, request(&receiver.url("127.0.0.1", "/hook"))).await.unwrap();
        assert_eq!(response.status, 202);
    }
    assert_eq!(receiver.requests(), 50);
    assert_eq!(receiver.connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_connection_opened_under_a_wider_reach_is_not_reused_by_a_stricter_one() {
    let receiver = Receiver::start().await;
    let egress = egress();
    let url = receiver.url("127.0.0.1", "/hook");
    assert_eq!(egress.post(LOCAL, request(&url)).await.unwrap().status, 202);
    let err = egress.post(Reach::PUBLIC_ONLY, request(&url)).await.unwrap_err();
    assert_eq!(err.code(), "refused");
    assert_eq!(receiver.requests(), 1);
}

#[tokio::test]
async fn non_http_schemes_and_userinfo_are_bad_urls() {
    let receiver = Receiver::start().await;
    let userinfo = format!("http://user:pass@127.0.0.1:{}/hook", receiver.port);
    for url in ["ftp://127.0.0.1/hook", "file:///etc/passwd", "127.0.0.1/hook", &userinfo] {
        let err = send(Reach::ANYWHERE, url).await.unwrap_err();
        assert_eq!(err.code(), "bad_url", "{url}: {err}");
        assert!(!err.to_string().contains("user:pass"), "{err}");
    }
    assert_eq!(receiver.requests(), 0);
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error_and_plain_http_under_https_is_a_tls_error() {
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let err = send(LOCAL, &format!("http://{closed}/hook")).await.unwrap_err();
    assert_eq!(err.code(), "connect", "{err}");
    let receiver = Receiver::start().await;
    let err = send(LOCAL, &format!("https://127.0.0.1:{}/hook", receiver.port)).await.unwrap_err();
    assert_eq!(err.code(), "tls", "{err}");
    assert!(!err.to_string().contains("secret"), "{err}");
}

#[tokio::test]
async fn the_reach_of_each_environment_follows_the_operator_settings() {
    let egress = egress();
    assert_eq!(egress.reach_for(Environment::Sandbox), LOCAL);
    assert_eq!(egress.reach_for(Environment::Production), Reach::PUBLIC_ONLY);
}
